"""A contact sheet as PNG, band by band: each band of pixel rows (the title, a language's
row of products) is compressed on its own and kept between builds, so that a rebuild
compresses only the bands that changed, whatever the number of languages.

A PNG's pixels are one zlib stream.  A deflate stream can be cut into pieces that each end
on a full flush and then joined, as pigz does; the stream's Adler-32 checksum comes from
the pieces' own (zlib's ``adler32_combine``).  Every row of pixels is written with PNG
filter 0 (none), so a band's bytes depend on its own pixels only.  A kept band is found by
the digest of its pixels and trusted by the digest of its compressed bytes: the PNG is
the same, byte for byte, whether its bands were kept or compressed just now.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

from .fsutil import atomic_write

LEVEL = 3                   # zlib's: quick, and about as small as PIL's default here
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\x01"              # deflate, 32 KiB window, no preset dictionary
_FINAL_BLOCK = b"\x03\x00"              # an empty last block: the stream ends
_ADLER_BASE = 65521
_KEPT_HEAD = struct.Struct(">32sII")    # digest of the compressed bytes, Adler-32, length


def encode(image, bands: list[tuple[int, int]], cache: Path | None = None) -> bytes:
    """The RGB ``image`` as PNG; ``bands``: (top, bottom) pixel rows, in order, covering
    the image; ``cache``: the folder where bands are kept (None: nothing kept)."""
    width, height = image.size
    if image.mode != "RGB" or not bands or bands[0][0] != 0 or bands[-1][1] != height or any(
            a[1] != b[0] for a, b in zip(bands, bands[1:])):
        raise ValueError("the bands must cover an RGB image's rows in order")
    kept = _Bands(cache)
    pieces, adler = [], 1
    for top, bottom in bands:
        deflated, band_adler, length = kept.band(width, image.crop((0, top, width, bottom)).tobytes())
        pieces.append(deflated)
        adler = adler32_combine(adler, band_adler, length)
    kept.forget_others()
    stream = _ZLIB_HEADER + b"".join(pieces) + _FINAL_BLOCK + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)    # 8-bit RGB
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's (zlib's
    adler32_combine)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = rem * sum1 % _ADLER_BASE
    sum1 = (sum1 + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    sum2 = (sum2 + (first >> 16) + (second >> 16) + _ADLER_BASE - rem) % _ADLER_BASE
    return sum1 | (sum2 << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _compress(width: int, pixels: bytes) -> tuple[bytes, int, int]:
    stride = 3 * width
    raw = b"".join(b"\x00" + pixels[at:at + stride] for at in range(0, len(pixels), stride))
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH), zlib.adler32(raw), len(raw)


class _Bands:
    """The compressed bands kept in ``folder``, each in a file named by its pixels' digest."""

    def __init__(self, folder: Path | None):
        self.folder, self.used = folder, set()

    def band(self, width: int, pixels: bytes) -> tuple[bytes, int, int]:
        """(compressed bytes, Adler-32 and length of the filtered rows) of a band."""
        if self.folder is None:
            return _compress(width, pixels)
        name = hashlib.sha256(b"%d %d\n" % (width, LEVEL) + pixels).hexdigest()[:32]
        self.used.add(name)
        found = self._load(name)
        if found is None:
            found = _compress(width, pixels)
            deflated, adler, length = found
            atomic_write(self.folder / name, _KEPT_HEAD.pack(hashlib.sha256(deflated).digest(),
                                                             adler, length) + deflated)
        return found

    def _load(self, name: str) -> tuple[bytes, int, int] | None:
        """A kept band, or None if it is not kept, or damaged."""
        try:
            data = (self.folder / name).read_bytes()
            digest, adler, length = _KEPT_HEAD.unpack_from(data)
        except (OSError, struct.error):
            return None
        deflated = data[_KEPT_HEAD.size:]
        return (deflated, adler, length) if hashlib.sha256(deflated).digest() == digest else None

    def forget_others(self) -> None:
        """Remove the bands the sheet just made does not use (those of earlier sheets)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
