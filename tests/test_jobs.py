"""One job rendered and printed: a large label set in chunks of sheets, joined."""
import pytest

from conftest import copy_workspace
from test_build import pdfinfo, pdftext


def test_large_label_sets_print_in_chunks_with_the_same_bytes(tmp_path, monkeypatch):
    from memorial_kit import build, jobs
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    monkeypatch.setattr(jobs, "LABEL_CHUNK_SHEETS", 1)       # 2 sheets -> 2 chunks, joined
    outputs = {}
    for mode in ("serial", "parallel"):
        out = tmp_path / mode
        report = build.run_build(ws, build.BuildRequest(
            products=["labels"], locales=["ru"], formats=("pdf",), out=str(out),
            parallel=mode == "parallel", force=True))
        assert [r.status for r in report.results] == ["built"], report.results
        outputs[mode] = (out / "vorkuta-uprising" / "labels" / "ru-en.pdf").read_bytes()
    assert outputs["serial"] == outputs["parallel"]
    pdf = tmp_path / "serial" / "vorkuta-uprising" / "labels" / "ru-en.pdf"
    assert pdfinfo(pdf)["Pages"].strip() == "2"
    assert "CC BY-SA 4.0" in pdfinfo(pdf)["Subject"]
    text = pdftext(pdf)
    assert "Речлаг" in text and "John H. Noble" in text        # first and last sheet


def test_each_document_a_build_prints_is_laid_out_once(tmp_path, monkeypatch):
    """WeasyPrint lays a document out in one call of layout_document (a profile counts a
    call per page, as it is a generator): a label set's chunks are laid out once each, in
    one pass, and the leaflet and its archive copy share one layout.  No chunk's layout is
    kept: nothing prints it again."""
    import weasyprint.document
    import weasyprint.layout
    from memorial_kit import build, jobs, printing
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    monkeypatch.setattr(jobs, "LABEL_CHUNK_SHEETS", 1)       # 2 sheets -> 2 chunks
    layouts, passes = [], []
    real_layout, real_pages = weasyprint.document.layout_document, weasyprint.layout.make_all_pages

    def layout_document(html, *args, **kwargs):
        layouts.append(html.etree_element.findtext(".//title"))
        return real_layout(html, *args, **kwargs)

    def make_all_pages(*args, **kwargs):
        passes.append(layouts[-1])
        return real_pages(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "layout_document", layout_document)
    monkeypatch.setattr(weasyprint.layout, "make_all_pages", make_all_pages)
    printing._LAID_OUT.clear()
    report = build.run_build(ws, build.BuildRequest(
        products=["labels", "leaflet", "archive"], locales=["lt"], formats=("pdf",),
        out=str(tmp_path / "dist"), parallel=False, force=True))
    assert sorted((r.job, r.status) for r in report.results) == [
        ("vorkuta-uprising/labels/lt-en", "built"), ("vorkuta-uprising/leaflet.archive/lt", "built"),
        ("vorkuta-uprising/leaflet/lt", "built")]
    labels = [title for title in layouts if title.endswith("lt/en")]
    assert len(labels) == 2                                   # one layout per chunk
    assert [title for title in passes if title.endswith("lt/en")] == labels   # one pass each
    assert len(layouts) == 3                                  # the leaflet's is shared
    assert len(printing._LAID_OUT) == 1                       # the leaflet's, not a chunk's
    sheets = pdfinfo(tmp_path / "dist" / "vorkuta-uprising" / "labels" / "lt-en.pdf")["Pages"]
    assert sheets.strip() == "2"


@pytest.mark.parametrize("held, added, other", [("ru", " 4444", "lt"),      # a number
                                               ("lt", " \u16a0", "ru")])    # a runic letter
def test_a_page_links_only_the_languages_a_build_prints_even_the_first_time(tmp_path, held,
                                                                            added, other):
    """A leaflet held back (a translation with an error; a letter no font has) is not in
    the other pages' language switchers, in the very first build as in the next, and the
    next build has nothing to make again."""
    import re

    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    root = copy_workspace(tmp_path / "ws")
    po = root / "locales" / held / "LC_MESSAGES" / "vorkuta-uprising.po"
    text = po.read_text("utf-8")
    paragraph = re.search(r'(?m)^msgid "(.{40,})"\nmsgstr "(.+)"$', text).group(0)
    po.write_text(text.replace(paragraph, paragraph[:-1] + added + '"'), "utf-8")
    ws = Workspace(root)
    request = build.BuildRequest(products=["leaflet"], formats=("html",))
    first = {r.job: r.status for r in build.run_build(ws, request).results}
    assert first == {"vorkuta-uprising/leaflet/en": "built", f"vorkuta-uprising/leaflet/{other}": "built",
                     f"vorkuta-uprising/leaflet/{held}": "skipped", "vorkuta-uprising/leaflet/la": "skipped"}
    for code in ("en", other):
        page = (root / "dist" / "vorkuta-uprising" / code / "leaflet.html").read_text("utf-8")
        switcher = re.search(r'<nav class="switcher".*?</nav>', page, re.S).group(0)
        assert 'hreflang="en"' in switcher and f'hreflang="{other}"' in switcher
        assert f'hreflang="{held}"' not in page and 'hreflang="la"' not in page
    again = {r.job: r.status for r in build.run_build(ws, request).results}
    assert again == dict(first, **{f"vorkuta-uprising/leaflet/{code}": "unchanged"
                                   for code in ("en", other)})
