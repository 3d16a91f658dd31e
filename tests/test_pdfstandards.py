"""memorial_kit/pdfstandards.py: a laid-out document written as PDF/UA-1, PDF/X-4 or
PDF/A-3 with the build's date, a DocumentID from the job's identity, languages on its
structure elements, the exact bleed and recorded sources; read back with pikepdf."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pikepdf
import pytest

from memorial_kit import pdfstandards
from memorial_kit.pdfstandards import IccProfile, PdfStandard, Source

from conftest import ROOT, copy_workspace, run_kit, snapshot

TEMPLATES = ROOT / "templates"
IDENTITY = hashlib.sha256(b"the job's inputs").hexdigest()
EPOCH = "1764460800"                                    # 2025-11-30 00:00:00 UTC
XMP_MM = "{http://ns.adobe.com/xap/1.0/mm/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
SOURCES_FILES = "{%s}files" % pdfstandards.SOURCES_NS
MM = 72 / 25.4
PAGE = """<html lang="en"><head><title>Mine 29</title></head><body>
<h1>Mine 29 "Yurshor"</h1><p>The monument is carved in Lithuanian:</p>
<blockquote lang="lt">Tėvynė Lietuva didžiuojasi</blockquote></body></html>"""


def document(extra_css: str = ""):
    """PAGE laid out by WeasyPrint in the bundled DejaVu Serif."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    config = FontConfiguration()
    css = CSS(string='@font-face { font-family: K; src: url("fonts/DejaVuSerif.ttf"); }\n'
                     "body { font-family: K; }\n" + extra_css,
              base_url=f"{TEMPLATES}/", font_config=config)
    return HTML(string=PAGE, base_url=f"{TEMPLATES}/").render(stylesheets=[css],
                                                               font_config=config)


def srgb() -> IccProfile:
    return IccProfile("--press", (TEMPLATES / "color" / "sRGB.icc").read_bytes())


def written(tmp_path, standard: PdfStandard, doc=None, name="out.pdf"):
    path = tmp_path / name
    path.write_bytes(standard.write(doc or document(standard.css), identifier=b"memorial-kit"))
    return path


def xmp(pdf) -> dict:
    with pdf.open_metadata() as meta:
        return dict(meta)


# ----------------------------------------------------------------- build time ---
def test_the_build_time_without_source_date_epoch_is_fixed(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert pdfstandards.build_time() == dt.datetime(2000, 1, 1, 0, 0, 0)


@pytest.mark.parametrize("value, expected", [
    (EPOCH, dt.datetime(2025, 11, 30)), ("0", dt.datetime(1970, 1, 1)),
    (" 1700000000\n", dt.datetime(2023, 11, 14, 22, 13, 20)),
    ("253402300799", dt.datetime(9999, 12, 31, 23, 59, 59)),
])
def test_the_build_time_is_source_date_epochs(monkeypatch, value, expected):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert pdfstandards.build_time() == expected


def test_a_build_of_dated_pdfs_refuses_a_bad_source_date_epoch(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    before = snapshot(ws)
    result = run_kit(ws, "build", "--locale", "lt", "--product", "press",
                     env={"SOURCE_DATE_EPOCH": "999999999999999999999"})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("error: SOURCE_DATE_EPOCH='999999999999999999999' is not a number "
                             "of seconds since 1970 before the year 10000\n"
                             "  hint: for example SOURCE_DATE_EPOCH=$(date +%s)\n")
    assert snapshot(ws) == before


# ------------------------------------------------------------ sources, profiles ---
@pytest.mark.parametrize("name, media_type", [
    ("article.txt", "text/plain"), ("memorial.toml", "application/toml"),
    ("memorial-kit.po", "text/x-gettext-translation"), ("x.pot", "text/x-gettext-translation"),
    ("photo.jpeg", "application/octet-stream"), ("README", "application/octet-stream"),
])
def test_a_sources_media_type_is_the_kits(name, media_type):
    source = Source(name, b"Mine 29\n", "a source")
    assert source.media_type == media_type
    assert source.sha256 == hashlib.sha256(b"Mine 29\n").hexdigest()


def test_an_icc_profile_names_its_components():
    def profile(space: bytes) -> IccProfile:
        return IccProfile("--p", bytes(16) + space + bytes(16) + b"acsp" + bytes(90))
    assert profile(b"RGB ").components == ["r", "g", "b"]
    assert profile(b"CMYK").components == ["c", "m", "y", "k"]
    assert profile(b"GRAY").components == ["k"]
    assert srgb().components == ["r", "g", "b"]
    with pytest.raises(ValueError, match="colour space"):
        profile(b"Lab ").check()
    with pytest.raises(ValueError, match="not an ICC profile"):
        IccProfile("--p", b"short").check()


@pytest.mark.parametrize("variant, tagged", [
    ("pdf/ua-1", True), ("pdf/a-3a", True), ("pdf/a-3b", False), ("pdf/x-4", False)])
def test_which_standards_are_tagged(variant, tagged):
    assert PdfStandard(variant, IDENTITY).tagged is tagged


# -------------------------------------------------------------- written PDFs ---
def test_an_accessible_pdf_carries_the_build_time_and_its_passages_languages(
        tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY))
    with pikepdf.open(path) as pdf:
        meta = xmp(pdf)
        assert meta["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
        assert meta[XMP + "CreateDate"] == meta[XMP + "ModifyDate"] == "2025-11-30T00:00:00Z"
        assert str(pdf.docinfo.CreationDate).startswith("D:20251130000000")
        assert str(pdf.Root.Lang) == "en"
        languages = [str(e.Lang) for e in _elements(pdf) if "/Lang" in e]
    assert languages == ["lt"]                  # the carved text; the rest is the page's


def press_file(tmp_path, identity: str, name: str):
    return written(tmp_path, PdfStandard("pdf/x-4", identity, profile=srgb()), name=name)


def test_the_xmp_document_id_comes_from_the_identity(tmp_path, monkeypatch):
    """WeasyPrint's is random: the same inputs would never give the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    other = hashlib.sha256(b"other inputs").hexdigest()
    for identity in (IDENTITY, other):
        with pikepdf.open(press_file(tmp_path, identity, identity + ".pdf")) as pdf:
            meta = xmp(pdf)
        assert meta[XMP_MM + "DocumentID"] == f"uuid:{uuid.UUID(hex=identity[:32])}"
        assert meta[XMP + "MetadataDate"] == "2025-11-30T00:00:00Z"


def test_the_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert press_file(tmp_path, IDENTITY, "one.pdf").read_bytes() == \
        press_file(tmp_path, IDENTITY, "two.pdf").read_bytes()
    one = written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY), name="three.pdf")
    two = written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY), name="four.pdf")
    assert one.read_bytes() == two.read_bytes()


def test_another_build_time_gives_other_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    with pikepdf.open(written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY))) as pdf:
        assert xmp(pdf)[XMP + "CreateDate"].startswith("1970-01-01T00:00:00")


def test_a_document_is_left_as_it_was_for_the_next_standard(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    doc = document()
    before = (doc.metadata.created, doc.metadata.modified, dict(doc.color_profiles),
              doc.output_intent)
    archive = PdfStandard("pdf/a-3a", IDENTITY, profile=srgb(),
                          sources=[Source("article.txt", b"Mine 29\n", "the source article")])
    written(tmp_path, archive, doc, "archive.pdf")
    assert (doc.metadata.created, doc.metadata.modified, dict(doc.color_profiles),
            doc.output_intent) == before
    assert "generate_rdf_metadata" not in vars(doc.metadata)
    again = written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY), doc, "again.pdf")
    fresh = written(tmp_path, PdfStandard("pdf/ua-1", IDENTITY), None, "fresh.pdf")
    assert again.read_bytes() == fresh.read_bytes()


def test_a_press_page_bleeds_exactly_the_manifests_bleed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    press = PdfStandard("pdf/x-4", IDENTITY, bleed_mm=3, profile=srgb(),
                        css="@page { size: 120mm 80mm; bleed: 10mm; marks: crop; }")
    with pikepdf.open(written(tmp_path, press)) as pdf:
        assert xmp(pdf)["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        page = pdf.pages[0].obj
        trim = [float(v) / MM for v in page.TrimBox]
        bleed = [float(v) / MM for v in page.BleedBox]
        media = [float(v) / MM for v in page.MediaBox]
    assert trim[2] - trim[0] == pytest.approx(120) and trim[3] - trim[1] == pytest.approx(80)
    assert [b - t for b, t in zip(bleed, trim)] == pytest.approx([-3, -3, 3, 3])
    assert media[0] < bleed[0] and media[2] > bleed[2]          # the marks sit outside


def test_an_archive_copy_records_its_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    sources = [Source("article.txt", "Mine 29 “Yurshor”\n".encode(), "the source article"),
               Source("memorial.toml", b'[memorial]\ntitle = "Vorkuta"\n', "the manifest"),
               Source("lt.po", b'msgid ""\nmsgstr ""\n', "a catalog")]
    archive = PdfStandard("pdf/a-3a", IDENTITY, profile=srgb(), sources=sources)
    with pikepdf.open(written(tmp_path, archive)) as pdf:
        meta = xmp(pdf)
        assert meta["{http://www.aiim.org/pdfa/ns/id/}part"] == "3"
        assert meta["{http://www.aiim.org/pdfa/ns/id/}conformance"] == "A"
        assert sorted(meta[SOURCES_FILES]) == sorted(
            f"{hashlib.sha256(s.data).hexdigest()}  {s.name}" for s in sources)
        assert [str(spec.UF) for spec in pdf.Root.AF] == [s.name for s in sources]   # once each
        for source in sources:
            attached = pdf.attachments[source.name].get_file()
            assert attached.read_bytes() == source.data
            assert str(attached.obj.Subtype) == "/" + source.media_type
            assert str(pdf.attachments[source.name].obj.AFRelationship) == "/Source"
        with pdf.open_metadata() as rdf:
            text = str(rdf)
    assert "mksources" in text and "pdfaExtension:schemas" in text


def _elements(pdf):
    stack = list(pdf.Root.StructTreeRoot.K) if isinstance(pdf.Root.StructTreeRoot.K,
                                                          pikepdf.Array) \
        else [pdf.Root.StructTreeRoot.K]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
