"""PDF -> PNG: a page's preview at the width asked, the thumbnail a contact sheet shows,
and no WeasyPrint loaded to draw them."""
import io

from PIL import Image

from conftest import run_python
from memorial_kit import previews, printing

PAGES = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
@page { size: 100mm 150mm } p { break-after: page }</style></head>
<body><p>Vorkuta</p><p>Mine 29</p></body></html>"""


def test_a_page_is_drawn_at_the_width_asked_and_its_thumbnail_fits_a_cell(workspace):
    pdf = printing.html_to_pdf(PAGES, workspace / "templates", "t", keep=False).pdf
    png, thumb = previews.preview(pdf, width_px=400)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (400, 600)     # 100 x 150 mm
    assert thumb.size == (previews.CELL_PX, 390)
    second = previews.pdf_to_png(pdf, page=1, width_px=200)
    with Image.open(io.BytesIO(second)) as image:
        assert image.size == (200, 300)
    assert second != previews.pdf_to_png(pdf, page=0, width_px=200)  # another page's text


def test_drawing_previews_loads_no_weasyprint():
    out = run_python("import sys, memorial_kit.previews, memorial_kit.site\n"
                     "print('weasyprint' in sys.modules)")
    assert out.stdout.split() == ["False"]
