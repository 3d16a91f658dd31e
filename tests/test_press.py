"""Press files (PDF/X-4), the accessible leaflet (PDF/UA-1) and archive copies (PDF/A-3),
built by the real command line and read back with pikepdf and poppler."""
import hashlib
import json
import subprocess

import pikepdf
import pytest

from memorial_kit import pdfstandards

from conftest import copy_workspace, run_kit

MM = 72 / 25.4
EPOCH = "1700000000"
BASE_URL = "https://memorial.example.org/editions"
SOURCES_FILES = "{%s}files" % pdfstandards.SOURCES_NS


def _with_online_edition(ws):
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace('article = "article.txt"\n',
                                     f'article = "article.txt"\nonline_base_url = "{BASE_URL}"\n',
                                     1), "utf-8")


def _build(ws, *args, epoch=EPOCH):
    result = run_kit(ws, "build", "--json", *args, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    ws = copy_workspace(tmp_path_factory.mktemp("press") / "ws")
    _with_online_edition(ws)
    report = _build(ws, "--locale", "lt", "--product", "leaflet", "--product", "press",
                    "--product", "archive", "--format", "pdf")
    return ws, ws / "dist" / "vorkuta-uprising", report


def boxes_mm(page) -> dict:
    """Each box of ``page`` as (width, height) in mm, and the boxes themselves in pt."""
    found = {}
    for name in ("MediaBox", "BleedBox", "TrimBox"):
        x0, y0, x1, y1 = (float(v) for v in page[f"/{name}"])
        found[name] = (x0, y0, x1, y1)
    return found


def size_mm(box) -> tuple[float, float]:
    return round((box[2] - box[0]) / MM, 2), round((box[3] - box[1]) / MM, 2)


def inside(inner, outer, by_mm: float | None = None) -> bool:
    margins = [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]]
    if by_mm is not None:
        return all(abs(m / MM - by_mm) < 0.01 for m in margins)
    return all(m > 0 for m in margins)


def assert_press_page(page, trim_mm, bleed_mm=3.0):
    box = boxes_mm(page)
    assert size_mm(box["TrimBox"]) == trim_mm
    assert inside(box["TrimBox"], box["BleedBox"], by_mm=bleed_mm)
    assert inside(box["BleedBox"], box["MediaBox"])     # room for the crop marks


def xmp(pdf) -> dict:
    with pdf.open_metadata() as meta:
        return dict(meta)


def fonts_embedded(pdf) -> list[str]:
    """Every font of every page, with whether its program is embedded."""
    found = []
    for page in pdf.pages:
        for _name, font in page.Resources.get("/Font", {}).items():
            descendants = font.get("/DescendantFonts", [font])
            for part in descendants:
                descriptor = part.get("/FontDescriptor", {})
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.append((str(font.get("/BaseFont")), embedded))
    return found


def struct_elements(pdf):
    """Every structure element, depth first, in reading order."""
    stack = list(reversed(list(pdf.Root.StructTreeRoot.K)))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        yield element
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend(reversed([k for k in kids if isinstance(k, pikepdf.Dictionary)]))


def pdfinfo(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout


# --------------------------------------------------------------------------
# Press files
# --------------------------------------------------------------------------
def test_the_plaque_press_file_is_pdf_x4_at_trim_size_with_bleed(built):
    ws, dist, report = built
    path = dist / "press" / "plaque-yurshor-lt.pdf"
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert_press_page(pdf.pages[0], (600.0, 400.0))
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "sRGB"
        profile = intent.DestOutputProfile.read_bytes()
        shipped = (ws / "templates" / "color" / "sRGB.icc").read_bytes()
        assert profile[36:40] == b"acsp" and profile[16:20] == shipped[16:20] == b"RGB "
        meta = xmp(pdf)
        assert meta["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["{http://ns.adobe.com/xap/1.0/mm/}DocumentID"].startswith("uuid:")
        fonts = fonts_embedded(pdf)
        assert fonts and all(embedded for _, embedded in fonts), fonts
    assert "vorkuta-uprising/plaque-yurshor.press/lt" in {r["job"] for r in report["results"]}


def test_the_index_lists_the_press_files_and_archive_copies(built):
    ws, _, _ = built
    index = (ws / "dist" / "index.html").read_text("utf-8")
    assert 'href="vorkuta-uprising/press/plaque-yurshor-lt.pdf"' in index
    assert 'href="vorkuta-uprising/press/labels-lt-en.pdf"' in index
    assert "Leaflet, archive copy (PDF/A-3)" in index
    assert 'href="vorkuta-uprising/lt/leaflet.archive.pdf"' in index


def test_the_label_press_file_has_one_label_a_page(built):
    ws, dist, _ = built
    with pikepdf.open(dist / "press" / "labels-lt-en.pdf") as pdf:
        labels = (ws / "seeds" / "vorkuta-uprising" / "memorial.toml").read_text(
            "utf-8").count("[[labels.items]]")
        assert len(pdf.pages) == labels == 7
        for page in pdf.pages:
            assert_press_page(page, (120.0, 80.0))
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        assert all(embedded for _, embedded in fonts_embedded(pdf))
    # each page is one label: the fifth is the monument's, with its carved text
    text = subprocess.run(["pdftotext", "-f", "5", "-l", "5", str(dist / "press" / "labels-lt-en.pdf"),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert "Tėvynė Lietuva didžiuojasi" in text and "Paminklas" in text
    assert "Vorkutos sukilimas" not in text.split("\n")[0]


def test_the_imposed_sheets_stay_for_office_printers(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    report = _build(ws, "--locale", "lt", "--product", "labels", "--product", "press",
                    "--format", "pdf")
    jobs = {r["job"]: r for r in report["results"]}
    assert jobs["vorkuta-uprising/labels/lt-en"]["outputs"] == [
        "dist/vorkuta-uprising/labels/lt-en.pdf"]
    assert jobs["vorkuta-uprising/labels.press/lt-en"]["outputs"] == [
        "dist/vorkuta-uprising/press/labels-lt-en.pdf"]
    with pikepdf.open(ws / "dist" / "vorkuta-uprising" / "labels" / "lt-en.pdf") as pdf:
        assert size_mm(boxes_mm(pdf.pages[0])["MediaBox"]) == (297.0, 210.0)


# --------------------------------------------------------------------------
# The accessible leaflet
# --------------------------------------------------------------------------
def test_the_leaflet_is_tagged_pdf_ua(built):
    _, dist, _ = built
    path = dist / "lt" / "leaflet.pdf"
    assert "Tagged:          yes" in pdfinfo(path)
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True and str(root.Lang) == "lt"
        assert root.ViewerPreferences.DisplayDocTitle is True
        meta = xmp(pdf)
        assert meta["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
        assert meta["{http://purl.org/dc/elements/1.1/}title"] == str(pdf.docinfo.Title) != ""
        elements = list(struct_elements(pdf))
    kinds = [str(e.S) for e in elements]
    for kind in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/BlockQuote",
                 "/Figure"):
        assert kind in kinds, kind
    assert kinds.count("/H1") == 1 and kinds.index("/H1") < kinds.index("/Table")
    # the fact box's row headers are headers of their row
    assert all(e.A.get("/O") == "/Table" for e in elements if e.S == "/TH")
    # the carved texts carry their language
    carved = {str(e.Lang) for e in elements if e.S == "/BlockQuote" and "/Lang" in e}
    assert carved == {"lt", "la"}
    # the QR code is a figure named by the address it encodes
    figures = [e for e in elements if e.S == "/Figure"]
    assert [str(f.Alt) for f in figures] == [f"{BASE_URL}/vorkuta-uprising/lt/leaflet.html"]
    # reading order is the printed order: the inscriptions' heading comes after the article
    headings = [i for i, e in enumerate(elements) if e.S == "/H2"]
    assert kinds.index("/BlockQuote") > headings[-1] > headings[0]


def test_a_passage_printed_in_english_carries_its_language(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    _build(ws, "--locale", "la", "--product", "leaflet", "--format", "pdf", "--allow-fallback")
    with pikepdf.open(ws / "dist" / "vorkuta-uprising" / "la" / "leaflet.pdf") as pdf:
        assert str(pdf.Root.Lang) == "la"
        langs = [str(e.Lang) for e in struct_elements(pdf) if "/Lang" in e]
    assert langs.count("en") >= 10 and "lt" in langs


# --------------------------------------------------------------------------
# Archive copies
# --------------------------------------------------------------------------
def test_the_archive_copy_carries_its_sources_and_their_hashes(built):
    ws, dist, _ = built
    path = dist / "lt" / "leaflet.archive.pdf"
    sources = {"article.txt": ws / "seeds" / "vorkuta-uprising" / "article.txt",
               "memorial.toml": ws / "seeds" / "vorkuta-uprising" / "memorial.toml",
               "vorkuta-uprising.po": ws / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po",
               "memorial-kit.po": ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"}
    listed = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout
    assert sorted(line.split(": ", 1)[1] for line in listed.splitlines()[1:]) == sorted(sources)
    assert "Tagged:          yes" in pdfinfo(path)
    with pikepdf.open(path) as pdf:
        meta = xmp(pdf)
        assert meta["{http://www.aiim.org/pdfa/ns/id/}part"] == "3"
        assert meta["{http://www.aiim.org/pdfa/ns/id/}conformance"] == "A"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        recorded = dict(reversed(line.split("  ", 1)) for line in meta[SOURCES_FILES])
        assert len(pdf.Root.AF) == len(sources)
        assert {str(spec.AFRelationship) for spec in pdf.Root.AF} == {"/Source"}
        for name, source in sources.items():
            attached = pdf.attachments[name].get_file()
            data = attached.read_bytes()
            assert data == source.read_bytes()
            assert recorded[name] == hashlib.sha256(data).hexdigest()
        assert str(pdf.attachments["memorial.toml"].get_file().obj.Subtype) == "/application/toml"
        assert all(embedded for _, embedded in fonts_embedded(pdf))


def test_the_same_inputs_give_the_same_bytes_and_nothing_is_rebuilt(built, tmp_path):
    ws, dist, _ = built
    products = ["--locale", "lt", "--product", "leaflet", "--product", "press",
                "--product", "archive", "--format", "pdf"]
    again = _build(ws, *products)
    assert {r["status"] for r in again["results"]} == {"unchanged"}
    other = tmp_path / "other"
    _build(ws, *products, "--out", str(other), "--serial")
    for name in ("lt/leaflet.pdf", "lt/leaflet.archive.pdf", "press/plaque-yurshor-lt.pdf",
                 "press/labels-lt-en.pdf"):
        assert (other / "vorkuta-uprising" / name).read_bytes() == (dist / name).read_bytes(), name
    with pikepdf.open(dist / "lt" / "leaflet.archive.pdf") as pdf:
        assert xmp(pdf)["{http://ns.adobe.com/xap/1.0/}CreateDate"] == "2023-11-14T22:13:20Z"


def test_another_source_date_rebuilds_the_dated_pdfs_only(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    args = ["--locale", "lt", "--product", "plaque", "--product", "archive", "--format", "pdf"]
    _build(ws, *args)
    report = _build(ws, *args, epoch="1800000000")
    status = {r["job"]: r["status"] for r in report["results"]}
    assert status == {"vorkuta-uprising/plaque/lt": "unchanged",
                      "vorkuta-uprising/leaflet.archive/lt": "built"}
    with pikepdf.open(ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.archive.pdf") as pdf:
        assert xmp(pdf)["{http://ns.adobe.com/xap/1.0/}CreateDate"] == "2027-01-15T08:00:00Z"


def test_a_changed_catalog_rebuilds_the_archive_copy(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    args = ["--locale", "lt", "--product", "archive", "--format", "pdf"]
    _build(ws, *args)
    po = ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po"
    po.write_bytes(po.read_bytes() + b"\n")
    report = _build(ws, *args)
    assert [r["status"] for r in report["results"]] == ["built"]
    with pikepdf.open(ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.archive.pdf") as pdf:
        assert pdf.attachments["memorial-kit.po"].get_file().read_bytes() == po.read_bytes()


# --------------------------------------------------------------------------
# The manifest chooses
# --------------------------------------------------------------------------
def _set_print(ws, lines: str):
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("[print]\n", "[print]\n" + lines, 1), "utf-8")


def test_the_manifest_turns_the_editions_off(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    _set_print(ws, "press = false\narchive = false\naccessible = false\n")
    report = _build(ws, "--locale", "lt", "--format", "pdf")
    jobs = {r["job"] for r in report["results"]}
    assert jobs == {"vorkuta-uprising/leaflet/lt", "vorkuta-uprising/plaque/lt",
                    "vorkuta-uprising/labels/lt-en"}
    dist = ws / "dist" / "vorkuta-uprising"
    assert not (dist / "press").exists() and not (dist / "lt" / "leaflet.archive.pdf").exists()
    assert "Tagged:          no" in pdfinfo(dist / "lt" / "leaflet.pdf")


@pytest.mark.parametrize("line, problem", [
    ('press = "yes"\n', "print.press must be a boolean"),
    ('icc_profile = "../../etc/profile.icc"\n', "print.icc_profile must be an .icc file"),
])
def test_a_bad_print_setting_is_one_clear_error(tmp_path, line, problem):
    ws = copy_workspace(tmp_path / "ws")
    _set_print(ws, line)
    result = run_kit(ws, "build", "--locale", "lt", "--format", "pdf")
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("seeds/vorkuta-uprising/memorial.toml:") and problem in first, first
    assert not (ws / "dist" / "vorkuta-uprising").exists()


def test_a_profile_that_is_not_icc_fails_the_press_files_only(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    (ws / "templates" / "color" / "broken.icc").write_bytes(b"not a profile" * 20)
    _set_print(ws, 'icc_profile = "color/broken.icc"\n')
    result = run_kit(ws, "build", "--locale", "lt", "--product", "press", "--product", "plaque",
                     "--format", "pdf", "--json", env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 1
    jobs = {r["job"]: r for r in json.loads(result.stdout)["results"]}
    assert jobs["vorkuta-uprising/plaque/lt"]["status"] == "built"
    failed = jobs["vorkuta-uprising/plaque-yurshor.press/lt"]
    assert failed["status"] == "failed" and "broken.icc" in failed["reason"]


def test_a_document_written_twice_gives_the_bytes_of_a_fresh_one(built):
    """The leaflet and its archive copy share one layout: writing it as one standard leaves
    nothing behind that the other would carry."""
    from memorial_kit import jobs, printing, press
    from memorial_kit.workspace import Workspace
    ws = Workspace(built[0])
    session = jobs.RenderSession(ws)
    memorial = session.memorial("vorkuta-uprising")
    html = session.page(memorial, jobs.Job(memorial.slug, "leaflet", ("lt",)), False).html
    ua, archive = (press.standard(ws, memorial, "leaflet", ("lt",), edition, "ab" * 32)
                   for edition in ("", "archive"))
    printing._LAID_OUT.clear()
    fresh = printing.html_to_pdf(html, ws.templates, "t", archive).pdf
    printing._LAID_OUT.clear()
    first_ua = printing.html_to_pdf(html, ws.templates, "t", ua).pdf
    assert len(printing._LAID_OUT) == 1
    assert printing.html_to_pdf(html, ws.templates, "t", archive).pdf == fresh
    assert printing.html_to_pdf(html, ws.templates, "t", ua).pdf == first_ua
    assert len(printing._LAID_OUT) == 1


def test_a_large_label_set_is_laid_out_in_chunks_and_joined_as_pdf_x(tmp_path, monkeypatch):
    from memorial_kit import build, jobs
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    monkeypatch.setattr(jobs, "LABEL_CHUNK_SHEETS", 3)       # 7 labels -> 4 documents, joined
    outputs = {}
    for mode in ("serial", "parallel"):
        out = tmp_path / mode
        report = build.run_build(ws, build.BuildRequest(
            products=["press"], locales=["ru"], formats=("pdf",), out=str(out),
            parallel=mode == "parallel", force=True))
        assert {r.status for r in report.results} == {"built"}, report.results
        outputs[mode] = (out / "vorkuta-uprising" / "press" / "labels-ru-en.pdf").read_bytes()
    assert outputs["serial"] == outputs["parallel"]
    with pikepdf.open(tmp_path / "serial" / "vorkuta-uprising" / "press" / "labels-ru-en.pdf") as pdf:
        assert len(pdf.pages) == 7
        for page in pdf.pages:
            assert_press_page(page, (120.0, 80.0))
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        assert xmp(pdf)["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        assert all(embedded for _, embedded in fonts_embedded(pdf))


@pytest.mark.parametrize("product, edition", [("leaflet", ""), ("leaflet", "archive"),
                                              ("plaque", "press"), ("labels", "press"),
                                              ("plaque", "")])
def test_only_an_edition_with_a_stylesheet_of_its_own_is_laid_out_apart(built, product,
                                                                        edition):
    """What the build's render order takes as laid out apart is what the edition's
    standard lays out with a stylesheet of its own (the press edition's bleed)."""
    from memorial_kit import jobs, press
    from memorial_kit.workspace import Workspace
    ws = Workspace(built[0])
    memorial = jobs.RenderSession(ws).memorial("vorkuta-uprising")
    locales = ("lt", "en") if product == "labels" else ("lt",)
    standard = press.standard(ws, memorial, product, locales, edition, "ab" * 32)
    assert press.laid_out_apart(edition) == bool(standard and standard.css)
