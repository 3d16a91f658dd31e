"""hashpjw, the hash of the .mo hash table, and the same hashes for many keys at once.

Hashing every key byte by byte in Python (hashpjw below) makes a 10,000-message compile
take about four times as long (write_mo: 275 ms against 67 ms), which fails the
benchmark target "compile <= 2x msgfmt" (benchmarks/run.py, section 1b): hashpjw_all,
the lanes below, are here for that target only.  tests/test_po_mo.py checks that both
give the same hashes.
"""
from __future__ import annotations

import struct


def hashpjw(data: bytes) -> int:
    value = 0
    for byte in data:
        value = ((value << 4) + byte) & 0xFFFFFFFF
        g = value & 0xF0000000
        if g:
            value ^= g >> 24
            value ^= g
    return value


_HASH_GROUP = 2048          # keys hashed together, in 64-bit lanes of one integer
_HASH_BUFFER = 8 << 20      # at most this many bytes of byte columns for one group
_LONG_KEY = 4096            # a longer key is hashed byte by byte, alone


def hashpjw_all(keys: list[bytes]) -> list[int]:
    """hashpjw of every key, with the same answers, about seven times faster.

    The byte loop runs once per byte position instead of once per byte: keys of
    similar length share one big integer, each in a 64-bit lane (room for the 33 bits
    a step needs), and each step is a few integer operations over all their lanes.
    A group's byte columns take 8 bytes per lane and position, so groups of long keys
    are smaller, and a very long key is hashed alone.
    """
    hashes = [0] * len(keys)
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]), reverse=True)
    first = 0
    while first < len(order) and len(keys[order[first]]) > _LONG_KEY:
        hashes[order[first]] = hashpjw(keys[order[first]])
        first += 1
    while first < len(order):
        longest = max(1, len(keys[order[first]]))
        size = max(1, min(_HASH_GROUP, _HASH_BUFFER // (8 * longest)))
        group = order[first:first + size]
        for i, value in zip(group, _hashpjw_lanes([keys[i] for i in group])):
            hashes[i] = value
        first += size
    return hashes


def _hashpjw_lanes(keys: list[bytes]) -> list[int]:
    """Hashes of ``keys``, longest first; lane k of each step holds key k."""
    n, longest = len(keys), len(keys[0])
    stride = 8 * n
    columns = bytearray(longest * stride)     # byte j of key k at j * stride + 8 * k
    for k, key in enumerate(keys):
        if key:
            columns[8 * k:8 * k + len(key) * stride:stride] = key
    low32 = int.from_bytes(b"\xff\xff\xff\xff\0\0\0\0" * n, "little")
    top4 = int.from_bytes(b"\0\0\0\xf0\0\0\0\0" * n, "little")
    done: list[bytes] = []                 # lanes of finished keys, last key first
    lanes, active = 0, n
    for j in range(longest):
        still = active
        while still and len(keys[still - 1]) <= j:
            still -= 1
        if still < active:                 # keys that have no byte j are hashed
            done.append((lanes >> (64 * still)).to_bytes(8 * (active - still), "little"))
            lanes &= (1 << (64 * still)) - 1
            active = still
        column = int.from_bytes(columns[j * stride:j * stride + 8 * active], "little")
        lanes = ((lanes << 4) + column) & low32
        high = lanes & top4
        lanes ^= high | (high >> 24)
    done.append(lanes.to_bytes(8 * active, "little"))
    flat = b"".join(reversed(done))
    return list(struct.unpack(f"<{n}Q", flat)) if n else []

