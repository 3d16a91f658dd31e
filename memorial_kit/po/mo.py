"""Compile a catalog to a GNU .mo file, byte-identical to msgfmt's."""
from __future__ import annotations

import itertools
import struct

from .mo_hash import hashpjw_all
from .model import PoFile
from .writer import output_codec


def _msgfmt_is_prime(candidate: int) -> bool:
    # msgfmt's own test, quirks included (it calls 3 composite); only
    # matching it gives msgfmt's table size.
    divisor, square = 3, 9
    while square < candidate and candidate % divisor != 0:
        divisor += 1
        square += 4 * divisor
        divisor += 1
    return candidate % divisor != 0


def _hash_size(count: int) -> int:
    """msgfmt: next 'prime' from 4/3 of the string count, at least 3."""
    size = ((count * 4) // 3) | 1
    while not _msgfmt_is_prime(size):
        size += 2
    return max(size, 3)


def write_mo(po: PoFile) -> bytes:
    """GNU .mo bytes: header + translated entries, with msgfmt's hash table.

    We write the hash table (msgfmt does too) so the file is msgfmt-like
    byte for byte; readers such as Python's gettext simply ignore it.
    """
    codec = output_codec(po)[0] if po.charset else "utf-8"
    pairs = []
    if po.header is not None and po.header.msgstr:
        # msgfmt leaves POT-Creation-Date out, so a .mo changes only with its translations
        header = "\n".join(line for line in po.header.msgstr.split("\n")
                           if not line.startswith("POT-Creation-Date:"))
        pairs.append((b"", header.encode(codec)))
    for entry in po.entries:
        if entry.obsolete or not entry.translated:
            continue
        key = entry.msgid.encode(codec)
        if entry.msgctxt is not None:
            key = entry.msgctxt.encode(codec) + b"\x04" + key
        if entry.msgid_plural is not None:
            orig = key + b"\0" + entry.msgid_plural.encode(codec)
            trans = b"\0".join(s.encode(codec) for s in entry.msgstr_plural)
        else:
            orig, trans = key, entry.msgstr.encode(codec)
        pairs.append((orig, trans))
    pairs.sort(key=lambda pair: pair[0])
    return _mo_bytes(pairs)


def _mo_bytes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    n = len(pairs)
    size = _hash_size(n)
    orig_at, trans_at, hash_at = 28, 28 + 8 * n, 28 + 16 * n
    strings = [orig for orig, _ in pairs] + [trans for _, trans in pairs]
    lengths = [len(s) for s in strings]
    # each string follows the previous one and its NUL, after the tables
    offsets = list(itertools.accumulate((length + 1 for length in lengths[:-1]),
                                        initial=hash_at + 4 * size))[:len(lengths)]
    descriptors = [0] * (2 * len(strings))
    descriptors[0::2], descriptors[1::2] = lengths, offsets
    table = [0] * size
    hashes = hashpjw_all([orig.split(b"\0", 1)[0] for orig, _ in pairs])
    for i, h in enumerate(hashes):
        idx, incr = h % size, 1 + h % (size - 2)
        while table[idx]:
            idx = idx - (size - incr) if idx >= size - incr else idx + incr
        table[idx] = i + 1
    header = struct.pack("<7I", 0x950412DE, 0, n, orig_at, trans_at, size, hash_at)
    return b"".join([header, struct.pack(f"<{len(descriptors)}I", *descriptors),
                     struct.pack(f"<{size}I", *table), b"\0".join(strings), b"\0" if n else b""])
