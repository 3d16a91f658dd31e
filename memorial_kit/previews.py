"""PDF -> PNG: a page's preview, its thumbnail and the contact sheet of an edition's
thumbnails (pypdfium2 draws the page, Pillow the rest).  No WeasyPrint here: drawing a
contact sheet does not load it."""
from __future__ import annotations

import io
from pathlib import Path


CELL_PX = 260                  # a contact sheet's cell width


def pdf_to_png(pdf: bytes, page: int = 0, width_px: int = 800) -> bytes:
    """The ``page``-th page of ``pdf`` as a PNG ``width_px`` wide (a preview)."""
    return _png(_page_image(pdf, page, width_px))


def preview(pdf: bytes, width_px: int = 800):
    """The first page as a PNG ``width_px`` wide, and its contact-sheet thumbnail (the
    one ``contact_sheet`` would make from the PNG: PNG is lossless)."""
    image = _page_image(pdf, 0, width_px)
    return _png(image), thumbnail(image)


def _page_image(pdf: bytes, page: int, width_px: int):
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    try:
        pdf_page = document[page]
        return pdf_page.render(scale=width_px / pdf_page.get_width()).to_pil()
    finally:
        document.close()


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=3)   # smaller and faster than 6 here
    return buffer.getvalue()


def thumbnail(image, cell_px: int = CELL_PX):
    """``image`` ``cell_px`` wide, for a contact sheet."""
    from PIL import Image
    rgb = image.convert("RGB")
    # a box filter from the integer reduction is enough for a thumbnail, and fast
    factor = max(1, rgb.width // cell_px)
    small = rgb.reduce(factor) if factor > 1 else rgb
    return small.resize((cell_px, round(rgb.height * cell_px / rgb.width)), Image.BILINEAR)


def contact_sheet(title: str, rows: list[tuple[str, list[tuple[str, Path]]]],
                  cell_px: int = CELL_PX, thumbnails: dict | None = None,
                  bands: Path | None = None) -> bytes:
    """A grid of preview PNGs: one row per language, each cell a product's first page.
    ``thumbnails`` (PNG path -> its thumbnail) spares decoding the PNGs made just now;
    ``bands``: where the sheet's compressed rows are kept (see :mod:`.sheetpng`)."""
    from . import sheetpng
    from PIL import Image, ImageDraw, ImageFont
    font_path = Path(__file__).resolve().parent.parent / "templates" / "fonts" / "DejaVuSerif.ttf"
    font = ImageFont.truetype(str(font_path), 14) if font_path.exists() else ImageFont.load_default()
    thumbs = {}
    for _, cells in rows:
        for _, path in cells:
            found = (thumbnails or {}).get(str(path))
            if found is None or found.width != cell_px:
                with Image.open(path) as image:
                    found = thumbnail(image, cell_px)
            thumbs[path] = found
    label_w, caption_h, pad, header = 90, 22, 12, 40
    columns = max(len(cells) for _, cells in rows)
    width = label_w + columns * (cell_px + pad) + pad
    heights = [max(thumbs[path].height for _, path in cells) + caption_h + pad
               for _, cells in rows]
    sheet = Image.new("RGB", (width, header + sum(heights) + pad), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, pad), title, fill="black", font=font)
    y, edges = header, [0, header]
    for (name, cells), height in zip(rows, heights):
        draw.text((pad, y + caption_h), name, fill="black", font=font)
        x = label_w
        for caption, path in cells:
            thumb = thumbs[path]
            draw.text((x, y), caption, fill="#444", font=font)
            sheet.paste(thumb, (x, y + caption_h))
            draw.rectangle([x - 1, y + caption_h - 1, x + thumb.width, y + caption_h + thumb.height],
                           outline="#999")
            x += cell_px + pad
        y += height
        edges.append(y)
    edges.append(sheet.height)
    return sheetpng.encode(sheet, list(zip(edges, edges[1:])), bands)
