"""Real builds of the shipped edition, read back as a reader, a printer and a screen reader would."""
import json
import re
import subprocess
import unicodedata

import pytest

from memorial_kit import po

from conftest import copy_workspace, run_kit, snapshot

MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    ws = copy_workspace(tmp_path_factory.mktemp("build") / "ws")
    result = run_kit(ws, "build", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return ws, json.loads(result.stdout)


def pdftext(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def pdfinfo(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size_mm(path) -> tuple[float, float]:
    match = re.search(r"([\d.]+) x ([\d.]+) pts", pdfinfo(path)["Page size"])
    return round(float(match[1]) / MM, 1), round(float(match[2]) / MM, 1)


def status(report, job) -> dict:
    return next(r for r in report["results"] if r["job"] == job)


def test_everything_the_edition_needs_is_built(built):
    ws, report = built
    dist = ws / "dist" / "vorkuta-uprising"
    for locale in ("en", "lt", "ru"):
        for product in ("leaflet", "plaque"):
            for fmt in ("pdf", "html", "png"):
                assert (dist / locale / f"{product}.{fmt}").stat().st_size > 1000
    for pair in ("ru-en", "lt-en"):
        assert (dist / "labels" / f"{pair}.pdf").exists() and (dist / "labels" / f"{pair}.html").exists()
    assert (dist / "la" / "plaque.pdf").exists()
    latin_leaflet = status(report, "vorkuta-uprising/leaflet/la")
    assert latin_leaflet["status"] == "skipped" and "not translated" in latin_leaflet["reason"]
    assert not (dist / "la" / "leaflet.pdf").exists()
    index = (ws / "dist" / "index.html").read_text("utf-8")
    assert 'href="vorkuta-uprising/lt/leaflet.pdf"' in index and "labels/ru-en.pdf" in index
    assert not report["failed"]


def test_page_sizes_and_counts(built):
    ws, _ = built
    dist = ws / "dist" / "vorkuta-uprising"
    for locale in ("en", "lt", "ru", "la"):
        plaque = dist / locale / "plaque.pdf"
        assert pdfinfo(plaque)["Pages"].strip() == "1"
        assert page_size_mm(plaque) == (600.0, 400.0)
    assert page_size_mm(dist / "lt" / "leaflet.pdf") == (148.0, 210.0)
    assert int(pdfinfo(dist / "lt" / "leaflet.pdf")["Pages"]) >= 2
    assert page_size_mm(dist / "labels" / "lt-en.pdf") == (297.0, 210.0)


def test_fonts_embedded_and_subset(built):
    ws, _ = built
    for pdf in (ws / "dist").rglob("*.pdf"):
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows, pdf
        for row in rows:
            assert "DejaVu" in row, row
            emb, sub, uni = row.split()[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_lithuanian_leaflet_reads_right(built):
    ws, _ = built
    text = pdftext(ws / "dist" / "vorkuta-uprising" / "lt" / "leaflet.pdf")
    assert "1953 m. liepos 19 d. – rugpjūčio 1 d." in text
    assert "Tėvynė Lietuva didžiuojasi" in text and "Tėvynė Lietuva verkia" in text
    assert "Patria Lituania superbit" in text and "Patria Lituania flet" in text
    assert "62 700" in text
    catalog = po.read_po_file(ws / "locales" / "lt" / "LC_MESSAGES" / "memorial-kit.po")
    forms = catalog.get(None, "%(num)s person killed").msgstr_plural
    assert forms[1].replace("%(num)s", "42") in text      # 42: Lithuanian's second form
    assert "Wikipedia" in text and "CC BY-SA 4.0" in text
    assert "https://en.wikipedia.org/wiki/Vorkuta_uprising" in text.replace(" ", "")


def test_russian_leaflet_reads_right(built):
    ws, _ = built
    text = pdftext(ws / "dist" / "vorkuta-uprising" / "ru" / "leaflet.pdf")
    assert "19 июля – 1 августа 1953 г." in text
    assert "62 700" in text and "18 000" in text
    catalog = po.read_po_file(ws / "locales" / "ru" / "LC_MESSAGES" / "memorial-kit.po")
    forms = catalog.get(None, "%(num)s person killed").msgstr_plural
    assert forms[1].replace("%(num)s", "42") in text      # 42 -> "few"
    assert forms[2].replace("%(num)s", "66") in text      # 66 -> "many"
    assert re.search(r"\bСтраница 1 из \d+\b", text), text[-400:]


def test_plaque_text_and_metadata(built):
    ws, _ = built
    plaque = ws / "dist" / "vorkuta-uprising" / "ru" / "plaque.pdf"
    text = pdftext(plaque)
    for carved in ("Tėvynė Lietuva didžiuojasi", "Patria Lituania superbit",
                   "Tėvynė Lietuva verkia", "Patria Lituania flet"):
        assert carved in text
    for year in ("1990", "2009", "2003"):
        assert year in text
    info = pdfinfo(plaque)
    assert "CC BY-SA 4.0" in info["Subject"] and "Wikipedia" in info["Author"]
    assert info["Title"].strip()


def test_labels_are_bilingual_with_local_formats(built):
    ws, _ = built
    text = pdftext(ws / "dist" / "vorkuta-uprising" / "labels" / "ru-en.pdf")
    assert "62 700" in text and "62,700" in text          # ru and en conventions side by side
    assert "26 июня 1953 г." in text and "June 26, 1953" in text
    assert "Tėvynė Lietuva didžiuojasi" in text
    for number in ("77", "42", "135", "66", "18 000", "56 000"):
        assert number in text


def test_lang_attributes(built):
    ws, _ = built
    html = (ws / "dist" / "vorkuta-uprising" / "ru" / "leaflet.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"ru\" dir=\"ltr\"")
    assert '<blockquote class="carved" lang="lt">Tėvynė Lietuva didžiuojasi</blockquote>' in html
    assert '<blockquote class="carved" lang="la">Patria Lituania flet</blockquote>' in html
    labels = (ws / "dist" / "vorkuta-uprising" / "labels" / "lt-en.html").read_text("utf-8")
    assert '<div class="side primary hyphens-auto" lang="lt">' in labels
    assert '<div class="side secondary hyphens-auto" lang="en">' in labels
    assert "http://" not in html.replace("https://en.wikipedia.org", "").replace(
        "https://creativecommons.org", "")


def test_rebuild_uses_the_cache_and_only_changed_locale_rebuilds(built):
    ws, _ = built
    again = json.loads(run_kit(ws, "build", "--json").stdout)
    assert {r["status"] for r in again["results"]} <= {"unchanged", "skipped"}
    path = ws / "locales" / "ru" / "LC_MESSAGES" / "vorkuta-uprising.po"
    catalog = po.read_po_file(path)
    catalog.get(None, "John H. Noble").msgstr += "."
    po.write_po_file(catalog, path)
    changed = json.loads(run_kit(ws, "build", "--json").stdout)
    rebuilt = sorted(r["job"] for r in changed["results"] if r["status"] == "built")
    assert rebuilt == ["vorkuta-uprising/labels.press/ru-en", "vorkuta-uprising/labels/ru-en",
                       "vorkuta-uprising/leaflet.archive/ru", "vorkuta-uprising/leaflet/ru",
                       "vorkuta-uprising/plaque-yurshor.press/ru", "vorkuta-uprising/plaque/ru"]


def test_fallback_marks_english_text(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    result = run_kit(ws, "build", "--locale", "la", "--product", "leaflet", "--format", "html",
                     "--allow-fallback")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (ws / "dist" / "vorkuta-uprising" / "la" / "leaflet.html").read_text("utf-8")
    assert '<span lang="en" class="fallback">Background</span>' in html
    assert "          fallback to English: la/vorkuta-uprising: [infobox label] Conflict\n" \
        in result.stdout


def test_changed_carved_letter_stops_the_build(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    path = ws / "locales" / "lt" / "LC_MESSAGES" / "vorkuta-uprising.po"
    path.write_text(path.read_text("utf-8").replace("Tėvynė Lietuva verkia", "Tėvyne Lietuva verkia"),
                    "utf-8")
    result = run_kit(ws, "build", "--locale", "ru", "--product", "plaque", "--format", "pdf")
    assert result.returncode == 1
    assert re.search(r"^locales/lt/LC_MESSAGES/vorkuta-uprising.po:\d+: error: "
                     r"\[inscription-changed\] the inscription carved on the back face of "
                     r"yurshor reads 'Tėvynė Lietuva verkia'", result.stdout, re.M)
    assert not (ws / "dist" / "vorkuta-uprising" / "ru" / "plaque.pdf").exists()


def test_plaque_that_does_not_fit_is_an_error(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    manifest.write_text(manifest.read_text("utf-8").replace("plaque_mm = [600, 400]",
                                                            "plaque_mm = [300, 150]"), "utf-8")
    result = run_kit(ws, "build", "--locale", "en", "--product", "plaque", "--format", "pdf")
    assert result.returncode == 1
    assert "the plaque in en does not fit on one page" in result.stdout


def test_missing_font_fails_clearly(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    (ws / "templates" / "fonts" / "DejaVuSerif-Bold.ttf").unlink()
    result = run_kit(ws, "build", "--locale", "en", "--product", "plaque", "--format", "pdf")
    assert result.returncode == 1
    assert "templates/fonts.css" in result.stdout and "DejaVuSerif-Bold.ttf" in result.stdout


def test_translators_markup_is_never_printed(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    path = ws / "locales" / "ru" / "LC_MESSAGES" / "vorkuta-uprising.po"
    catalog = po.read_po_file(path)
    catalog.get(None, "John H. Noble").msgstr = "<script>alert(x)</script> Джон Х. Нобл"
    po.write_po_file(catalog, path)
    leaflet = ws / "dist" / "vorkuta-uprising" / "ru" / "leaflet.html"
    result = run_kit(ws, "build", "--locale", "ru", "--product", "leaflet", "--format", "html,pdf")
    assert result.returncode == 1, result.stdout + result.stderr       # check's error: refused
    assert "error: [markup]" in result.stdout and not leaflet.exists()
    result = run_kit(ws, "build", "--locale", "ru", "--product", "leaflet", "--format", "html,pdf",
                     "--allow-fallback")
    assert result.returncode == 0, result.stdout + result.stderr
    html = leaflet.read_text("utf-8")
    assert "<script" not in html and "alert(x)" not in html
    assert "<span lang=\"en\" class=\"fallback\">John H. Noble</span>" in html
    text = pdftext(leaflet.with_suffix(".pdf"))
    assert "John H. Noble" in text and "alert(x)" not in text


def test_contact_sheet_shows_every_product(built):
    ws, _ = built
    from PIL import Image
    sheet = ws / "dist" / "vorkuta-uprising" / "contact-sheet.png"
    with Image.open(sheet) as image:
        width, height = image.size
    # rows: en, lt, ru, la, labels; the widest row has leaflet + plaque (or two label pairs)
    assert width >= 2 * 260 and height >= 5 * 200


def test_contact_sheet_from_thumbnails_equals_the_one_from_the_pngs(built, tmp_path):
    """A build hands the contact sheet the thumbnails it made with the PNGs; a rebuild of
    only the sheet reads the PNG files.  The sheet is the same either way."""
    ws, _ = built
    from PIL import Image
    from memorial_kit import previews
    folder = ws / "dist" / "vorkuta-uprising"
    cells = [(p.stem, p) for p in sorted((folder / "lt").glob("*.png"))]
    pdfs = [p.with_suffix(".pdf") for _, p in cells]
    thumbnails = {}
    for (_, png), pdf in zip(cells, pdfs):
        made, thumb = previews.preview(pdf.read_bytes())
        assert made == png.read_bytes()
        thumbnails[str(png)] = thumb
    rows = [("lt", cells)]
    from_files = previews.contact_sheet("t", rows)
    assert previews.contact_sheet("t", rows, thumbnails=thumbnails) == from_files
    with Image.open(folder / "contact-sheet.png") as sheet:
        assert sheet.width >= 2 * previews.CELL_PX


def test_fonts_are_loaded_once_per_process_and_state_of_the_templates(tmp_path):
    """Documents share WeasyPrint's font configuration, with the same PDF bytes as a fresh
    one; a changed font file gets a new configuration."""
    import gc
    import os
    from memorial_kit import printing
    ws = copy_workspace(tmp_path)
    templates = ws / "templates"
    html = ('<html><head><style>' + (templates / "fonts.css").read_text("utf-8") +
            'body { font-family: "DejaVu Serif" }</style></head><body><p>Žemė <b>Ж</b></p>'
            '</body></html>')
    config = printing.font_config(templates)
    first = printing.html_to_pdf(html, templates, "test").pdf
    assert printing.font_config(templates) is config
    assert printing.html_to_pdf(html, templates, "test").pdf == first
    font = next((templates / "fonts").glob("*.ttf"))
    later = font.stat().st_mtime_ns + 5_000_000_000
    os.utime(font, ns=(later, later))
    assert printing.font_config(templates) is not config
    assert printing.html_to_pdf(html, templates, "test").pdf == first
    # a long-lived process keeps a few configurations (each holds its fonts in a temp folder)
    for n in range(printing._FONT_CONFIGS_KEPT + 1):
        other = tmp_path / f"other{n}"
        other.mkdir()
        printing.font_config(other)
    assert len(printing._FONT_CONFIGS) == printing._FONT_CONFIGS_KEPT
    # a forked worker that makes (and drops) configurations of its own leaves the parent's
    printing.html_to_pdf(html, templates, "test")
    fonts_folder = printing.font_config(templates)._folder
    del config                  # only the cache holds it now, as in a build
    assert printing._PARSED_SHEETS          # its sheets, kept with their configurations
    child = os.fork()
    if child == 0:
        code = 1
        try:
            code = 3 if printing._PARSED_SHEETS else 0      # set aside, with the configurations
            for n in range(printing._FONT_CONFIGS_KEPT + 2):
                (tmp_path / f"child{n}").mkdir()
                printing.font_config(tmp_path / f"child{n}")
            gc.collect()        # WeasyPrint's objects hold cycles: freed only now
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert fonts_folder.exists()
    assert printing.html_to_pdf(html, templates, "test").pdf == first



SECOND_MONUMENT = '''
[[monuments]]
id = "yurshor-copy"
name = "A second monument with the same words"
caption = ""

[[monuments.faces]]
id = "base"
inscriptions = { lt = "Tėvynė Lietuva verkia" }
'''


def test_several_monuments_each_their_plaque_job_and_record(tmp_path):
    """Two [[monuments]]: two plaques named by id; parallel and serial builds agree and
    a second serial build rebuilds nothing."""
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("# Exhibit labels:", SECOND_MONUMENT + "\n# Exhibit labels:"),
                        "utf-8")
    args = ["build", "--product", "plaque", "--locale", "en", "--format", "html", "--json"]
    parallel = run_kit(ws, *args, "--out", str(tmp_path / "parallel"))
    assert parallel.returncode == 0, parallel.stdout + parallel.stderr
    jobs = {r["job"]: r["status"] for r in json.loads(parallel.stdout)["results"]}
    assert jobs == {"vorkuta-uprising/plaque-yurshor/en": "built",
                    "vorkuta-uprising/plaque-yurshor-copy/en": "built"}
    serial = run_kit(ws, *args, "--serial", "--out", str(tmp_path / "serial"))
    assert serial.returncode == 0, serial.stdout + serial.stderr
    for name in ("plaque-yurshor.html", "plaque-yurshor-copy.html"):
        a = (tmp_path / "parallel" / "vorkuta-uprising" / "en" / name).read_text("utf-8")
        b = (tmp_path / "serial" / "vorkuta-uprising" / "en" / name).read_text("utf-8")
        assert a == b
    copy = (tmp_path / "serial" / "vorkuta-uprising" / "en" / "plaque-yurshor-copy.html")
    html = copy.read_text("utf-8")
    assert "A second monument with the same words" in html and 'class="gloss"' not in html
    again = run_kit(ws, *args, "--serial", "--out", str(tmp_path / "serial"))
    statuses = {r["status"] for r in json.loads(again.stdout)["results"]}
    assert statuses == {"unchanged"}, again.stdout


def test_no_credit_line_without_a_licence(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8").replace('licence = "CC BY-SA 4.0"', 'licence = ""')
    manifest.write_text(text, "utf-8")
    line = text[:text.index('licence = ""')].count("\n") + 1
    result = run_kit(ws, "build", "--locale", "en", "--product", "leaflet", "--product", "plaque",
                     "--format", "html", "--json")
    report = json.loads(result.stdout)
    leaflet = status(report, "vorkuta-uprising/leaflet/en")
    assert leaflet["status"] == "skipped"
    assert f"seeds/vorkuta-uprising/memorial.toml:{line} provenance.licence" in leaflet["reason"]
    assert not (ws / "dist" / "vorkuta-uprising" / "en" / "leaflet.html").exists()
    assert status(report, "vorkuta-uprising/plaque/en")["status"] == "built"


def test_a_catalog_that_does_not_load_stops_the_build_before_anything_is_written(tmp_path,
                                                                                 capsys):
    """Also when the other languages' products are up to date: the broken catalog's file and
    line, exit code 2, and dist/ as it was."""
    from memorial_kit import cli
    ws = copy_workspace(tmp_path / "ws")
    assert cli.main(["--root", str(ws), "build", "--format", "html"]) == 0
    before = snapshot(ws / "dist")
    po = ws / "locales" / "ru" / "LC_MESSAGES" / "vorkuta-uprising.po"
    lines = po.read_text("utf-8").splitlines(keepends=True)
    broken = next(n for n, line in enumerate(lines) if line.startswith("msgstr ") and n > 40)
    lines[broken] = 'msgstr "half-saved\n'
    po.write_text("".join(lines), "utf-8")
    capsys.readouterr()
    assert cli.main(["--root", str(ws), "build", "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert f"locales/ru/LC_MESSAGES/vorkuta-uprising.po:{broken + 1}: error:" in err
    assert snapshot(ws / "dist") == before


def test_check_warns_of_an_empty_licence(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8").replace('licence = "CC BY-SA 4.0"', 'licence = ""')
    manifest.write_text(text, "utf-8")
    result = run_kit(ws, "check", "lt", "--no-render", "--json")
    found = [f for f in json.loads(result.stdout) if f["code"] == "provenance-missing"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "provenance.licence is empty" in found[0]["message"]


def test_check_and_build_agree_on_a_leaflet_without_a_licence(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8").replace('licence = "CC BY-SA 4.0"', 'licence = ""')
    manifest.write_text(text, "utf-8")
    result = run_kit(ws, "check", "lt", "--json")
    coverage = next(f for f in json.loads(result.stdout) if f["code"] == "coverage")
    assert coverage["message"].startswith("lt: plaque can ship")
    assert "the leaflet and the labels lt-en cannot be built: its credit line needs" \
        in coverage["message"]


def test_a_plaque_without_a_licence_prints_no_credit_line(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    manifest = ws / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text("utf-8").replace('licence = "CC BY-SA 4.0"', 'licence = ""')
    manifest.write_text(text, "utf-8")
    result = run_kit(ws, "build", "--locale", "en", "--product", "plaque", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = (ws / "dist" / "vorkuta-uprising" / "en" / "plaque.html").read_text("utf-8")
    assert 'class="credit"' not in html and "Tėvynė Lietuva didžiuojasi" in html


def _render_order(tmp_path, formats: tuple[str, ...], workers: int = 2) -> tuple[list, list]:
    from memorial_kit import build
    from memorial_kit.jobs import RenderSession
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    session = RenderSession(ws)
    jobs = build.plan(ws, build.BuildRequest(locales=["en", "lt", "ru"]))
    longest_first = sorted([(job, "", formats) for job in jobs],
                           key=lambda item: build.EXPECTED_COST[item[0].product], reverse=True)
    assert build._verdicts_asked(longest_first[0], session) == (
        {"la", "lt", "ru"} if "html" in formats else set())
    ordered = build._soonest_first(longest_first, session, workers)
    assert sorted(ordered, key=longest_first.index) == longest_first    # every job, once
    return ([job.name.split("/", 1)[1] for job, _, _ in longest_first],
            [job.name.split("/", 1)[1] for job, _, _ in ordered])


def test_each_worker_starts_on_the_job_whose_html_is_ready_soonest(tmp_path):
    """A parallel build's workers wait for the first jobs rendered: those ask for the fewest
    catalogs' verdicts (a page's language switcher asks for every language's; the source
    language has none).  Then come the press editions, which ask only for their own
    languages' and are laid out apart, so that the workers have them to print while the
    renderer works out every verdict a switcher asks for; the others keep the
    longest-first order, each archive copy beside its leaflet."""
    longest_first, ordered = _render_order(tmp_path, ("html", "pdf", "png"))
    # the longest job that asks for no verdict: the source language's archive leaflet (a
    # PDF: no switcher); then another that asks for none, the English plaque's press file
    assert ordered[:2] == ["leaflet.archive/en", "plaque-yurshor.press/en"]
    assert ordered[2:6] == ["labels.press/ru-en", "labels.press/lt-en",
                            "plaque-yurshor.press/lt", "plaque-yurshor.press/ru"]
    assert ordered[6:] == [name for name in longest_first if name not in ordered[:6]]
    assert ordered[7:9] == ["leaflet/lt", "leaflet.archive/lt"]
    _, one_worker = _render_order(tmp_path / "one", ("html", "pdf", "png"), workers=1)
    assert one_worker[0] == ordered[0] and one_worker[1:6] == [
        "labels.press/ru-en", "labels.press/lt-en", "plaque-yurshor.press/en",
        "plaque-yurshor.press/lt", "plaque-yurshor.press/ru"]


def test_a_job_that_shares_its_layout_keeps_its_place_beside_the_other(tmp_path):
    """PDFs only: no job asks for another language's verdict; a leaflet and its archive
    copy, printed from one layout, stay side by side; a plaque's PDF, laid out for itself
    alone, and the press editions come first."""
    longest_first, ordered = _render_order(tmp_path, ("pdf",))
    assert ordered[:2] == ["leaflet/en", "leaflet.archive/en"]
    fills = ["labels/ru-en", "labels.press/ru-en", "labels/lt-en", "labels.press/lt-en",
             "plaque/en", "plaque-yurshor.press/en", "plaque/lt", "plaque-yurshor.press/lt",
             "plaque/ru", "plaque-yurshor.press/ru"]
    assert ordered[2:12] == fills
    assert ordered[12:] == ["leaflet/lt", "leaflet.archive/lt", "leaflet/ru",
                            "leaflet.archive/ru"]
