"""sheetpng: a contact sheet's PNG made band by band, its unchanged bands kept between builds."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from memorial_kit import sheetpng

BANDS = [(0, 30), (30, 95), (95, 160), (160, 200)]


def sheet(mark: str = "lt") -> Image.Image:
    """An RGB image with something different in each band (text, shades, a line)."""
    image = Image.new("RGB", (211, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.text((5, 5), "every product", fill="black")
    draw.text((5, 40), mark, fill="black")
    draw.rectangle([60, 100, 150, 150], fill=(200, 120, 40), outline="#999")
    draw.line([0, 199, 210, 160], fill=(10, 20, 250), width=3)
    return image


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, each CRC checked."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        found.append((kind, data))
        at += 12 + length
    return found


def test_the_png_holds_the_image_exactly_and_is_well_formed():
    image = sheet()
    png = sheetpng.encode(image, BANDS)
    assert [kind for kind, _ in chunks(png)] == [b"IHDR", b"IDAT", b"IEND"]
    decoded = Image.open(io.BytesIO(png))
    decoded.verify()                                    # PIL's own checks of the file
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGB" and decoded.size == image.size
    assert decoded.tobytes() == image.tobytes()
    # one zlib stream, its checksum right: zlib itself decompresses it to the filtered rows
    rows = zlib.decompress(dict(chunks(png))[b"IDAT"])
    stride = 3 * image.width
    assert rows == b"".join(b"\x00" + image.tobytes()[y * stride:(y + 1) * stride]
                            for y in range(image.height))


def test_kept_bands_are_used_and_give_the_same_bytes(tmp_path, monkeypatch):
    compressed = []
    real = sheetpng._compress
    monkeypatch.setattr(sheetpng, "_compress",
                        lambda width, pixels: compressed.append(len(pixels)) or real(width, pixels))
    fresh = sheetpng.encode(sheet(), BANDS)
    assert len(compressed) == len(BANDS)
    compressed.clear()
    kept = tmp_path / "bands"
    assert sheetpng.encode(sheet(), BANDS, kept) == fresh and len(compressed) == len(BANDS)
    compressed.clear()
    assert sheetpng.encode(sheet(), BANDS, kept) == fresh and compressed == []
    # a language's row changed: that band alone is compressed again, and the file is the
    # one made from scratch
    changed = sheet(mark="ru")
    again = sheetpng.encode(changed, BANDS, kept)
    assert len(compressed) == 1 and again == sheetpng.encode(changed, BANDS)
    assert Image.open(io.BytesIO(again)).tobytes() == changed.tobytes()
    # the band the sheet no longer has is not kept
    assert len(list(kept.iterdir())) == len(BANDS)


def test_a_damaged_kept_band_is_compressed_again(tmp_path):
    kept = tmp_path / "bands"
    fresh = sheetpng.encode(sheet(), BANDS, kept)
    files = sorted(kept.iterdir())
    files[0].write_bytes(files[0].read_bytes()[:-5])            # cut short
    data = bytearray(files[1].read_bytes())
    data[-1] ^= 0xFF                                           # a flipped byte
    files[1].write_bytes(bytes(data))
    files[2].write_bytes(b"")                                  # emptied
    assert sheetpng.encode(sheet(), BANDS, kept) == fresh
    assert sheetpng.encode(sheet(), BANDS, kept) == fresh      # and kept right again


@pytest.mark.parametrize("bands", [[], [(0, 100)], [(0, 100), (101, 200)], [(5, 200)],
                                   [(0, 120), (100, 200)]])
def test_bands_that_do_not_cover_the_image_in_order_are_refused(bands):
    with pytest.raises(ValueError, match="cover"):
        sheetpng.encode(sheet(), bands)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.binary(max_size=70000))
def test_the_checksum_of_two_pieces_is_the_checksum_of_the_whole(first, second):
    assert sheetpng.adler32_combine(zlib.adler32(first), zlib.adler32(second),
                                    len(second)) == zlib.adler32(first + second)
