"""Real builds of the shipped edition, read back as a reader, a printer and a screen reader would."""
import json
import re
import subprocess
import unicodedata
from pathlib import Path

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


def test_parallel_output_equals_serial(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    serial = run_kit(ws, "build", "--serial", "--locale", "ru", "--out", str(tmp_path / "a"))
    parallel = run_kit(ws, "build", "--locale", "ru", "--out", str(tmp_path / "b"))
    assert serial.returncode == 0 and parallel.returncode == 0, serial.stdout + parallel.stdout
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 8
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _lane_jobs(*names):
    from memorial_kit.build import Job
    jobs = [Job("m", name.split("/")[0], tuple(name.split("/")[1].split("-"))) for name in names]
    return sorted(jobs, key=lambda job: {"leaflet": 0, "labels": 0, "plaque": 1}[job.product])


class _Ready:
    def __init__(self, job):
        self.job = job


def test_lanes_keep_each_language_to_one_worker_and_balance_the_work():
    """The edition's English jobs (its leaflet, plaque and both label sets, whose secondary
    language it is) make one lane; the other languages the other, of as much work."""
    from memorial_kit.build import _Lanes
    jobs = _lane_jobs("leaflet/en", "leaflet/lt", "leaflet/ru", "leaflet/la",
                      "labels/lt-en", "labels/ru-en",
                      "plaque/en", "plaque/lt", "plaque/ru", "plaque/la")
    lanes = _Lanes(jobs, 2)
    by_lane = {}
    for job in jobs:
        by_lane.setdefault(lanes.lane[job.name], set()).add(job.name)
    assert sorted(by_lane.values(), key=len) == [
        {"m/leaflet/en", "m/labels/lt-en", "m/labels/ru-en", "m/plaque/en"},
        {"m/leaflet/lt", "m/leaflet/ru", "m/leaflet/la", "m/plaque/lt", "m/plaque/ru",
         "m/plaque/la"}]


def test_a_free_worker_takes_its_lanes_longest_job_else_another_lanes():
    from memorial_kit.build import _Lanes
    jobs = _lane_jobs("leaflet/en", "leaflet/lt", "labels/lt-en", "plaque/en", "plaque/lt")
    lanes = _Lanes(jobs, 2)
    english, lithuanian = lanes.lane["m/leaflet/en"], lanes.lane["m/leaflet/lt"]
    assert english != lithuanian
    for job in reversed(jobs):                      # sent in any order
        lanes.add(_Ready(job), job.name)
    # a tie (as many jobs in English as in Lithuanian): the label set goes with its primary
    assert lanes.lane["m/labels/lt-en"] == lithuanian
    assert lanes.take(lithuanian) == "m/leaflet/lt"
    assert lanes.take(english) == "m/leaflet/en"
    assert lanes.take(english) == "m/plaque/en"
    assert lanes.take(english) == "m/labels/lt-en"  # its own lane empty: another's longest
    assert lanes.take(lithuanian) == "m/plaque/lt"
    assert not lanes.ready()


def test_every_worker_gets_a_lane_even_when_one_language_is_all_there_is():
    from memorial_kit.build import _Lanes
    jobs = _lane_jobs("leaflet/lt", "plaque/lt")
    lanes = _Lanes(jobs, 2)
    for job in jobs:
        lanes.add(_Ready(job), job.name)
    busy = lanes.lane["m/leaflet/lt"]
    # the first worker back from a job of the busy lane owns it; the next one gets the
    # other lane, and takes from the busy one since its own is empty
    assert lanes.of_worker(101, busy) == busy
    assert lanes.of_worker(102, busy) == 1 - busy
    assert lanes.take(1 - busy) == "m/leaflet/lt"
    assert lanes.take(busy) == "m/plaque/lt"


def _worker_state():
    import gc
    import signal
    return gc.get_freeze_count(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_leave_ctrl_c_to_the_main_process_and_inherited_objects_to_it(tmp_path):
    """A printing worker ignores SIGINT (the main process stops them all) and keeps what
    it inherited out of its garbage collector's passes, which would copy its memory."""
    import concurrent.futures
    import gc
    import multiprocessing
    from memorial_kit import build
    with concurrent.futures.ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"),
            initializer=build._worker_setup) as pool:
        frozen, ignores_ctrl_c = pool.submit(_worker_state).result()
    assert ignores_ctrl_c
    assert frozen > len(gc.get_objects()) // 2
    assert gc.get_freeze_count() == 0           # the parent's collector is untouched


def test_a_rendering_process_that_dies_fails_its_jobs_and_the_build_ends(tmp_path,
                                                                         monkeypatch):
    """The parallel build renders in a separate process; if that process dies (here: exits
    at once when it comes to the plaques, as when the system kills it), the jobs it never
    sent fail with a reason, the others are built, and the build returns."""
    import os
    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    ws = copy_workspace(tmp_path / "ws")
    real = build._prepare_job

    def dies_at_the_plaques(root, job, *args, **kwargs):
        if job.product == "plaque":
            os._exit(3)
        return real(root, job, *args, **kwargs)
    monkeypatch.setattr(build, "_prepare_job", dies_at_the_plaques)
    report = build.run_build(Workspace(ws), build.BuildRequest(
        locales=["lt"], products=list(build.PRODUCTS), formats=("pdf",),
        out=str(tmp_path / "out"), parallel=True, force=True))
    status = {r.job.split("/")[1]: (r.status, r.reason) for r in report.results}
    assert set(status) == {"leaflet", "plaque", "labels"}
    died = ("failed", "internal error: the rendering process died")
    assert status["plaque"] == died
    # what the renderer had sent before it died is built; what it had not, fails
    for result in report.results:
        assert result.status == "built" or (result.status, result.reason) == died, result
        for output in result.outputs:
            path = Path(output) if Path(output).is_absolute() else ws / output
            assert path.exists(), output
    assert not (tmp_path / "out" / "vorkuta-uprising" / "lt" / "plaque.pdf").exists()
    assert report.failed
    # the index, which the renderer would have written, is written by the main process
    assert "vorkuta-uprising/lt/leaflet.pdf" in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.parametrize("how", ["fails", "dies"])
def test_an_index_the_renderer_cannot_write_is_written_by_the_main_process(tmp_path,
                                                                          monkeypatch, how):
    """In a parallel build the rendering process writes the index page at the end; if it
    fails or dies doing so, the main process writes it instead."""
    import os
    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    ws = copy_workspace(tmp_path / "ws")
    main, real = os.getpid(), build.write_index

    def not_in_the_renderer(*args):
        if os.getpid() != main:
            if how == "dies":
                os._exit(3)
            raise OSError("disk full")
        return real(*args)
    monkeypatch.setattr(build, "write_index", not_in_the_renderer)
    report = build.run_build(Workspace(ws), build.BuildRequest(
        locales=["ru"], formats=("html",), out=str(tmp_path / "out"), parallel=True))
    assert not report.failed
    index = (tmp_path / "out" / "index.html").read_text()
    assert "vorkuta-uprising/ru/leaflet.html" in index
    assert "vorkuta-uprising/labels/ru-en.html" in index


def test_ctrl_c_once_the_build_has_reported_changes_nothing(tmp_path):
    """After the summary, Python still tears the process down for a tenth of a second; a
    Ctrl-C then must not kill the command with a signal instead of its exit code."""
    import os
    import signal
    import sys
    ws = copy_workspace(tmp_path / "ws")
    command = subprocess.Popen(
        [sys.executable, "-m", "memorial_kit", "--root", str(ws), "build", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    lines = []
    for line in command.stdout:
        lines.append(line)
        if re.match(r"\d+ built, ", line):
            os.killpg(command.pid, signal.SIGINT)
            break
    lines.extend(command.stdout)
    command.wait(timeout=30)
    text = "".join(lines)
    assert command.returncode in (0, 130), (command.returncode, text)
    assert "Traceback" not in text
    assert command.returncode == 0 or text.rstrip().endswith("interrupted")


@pytest.mark.parametrize("moment", [0.3, 0.8, "first job printed"])
def test_ctrl_c_stops_a_parallel_build_cleanly(tmp_path, moment):
    """Ctrl-C reaches every process of the terminal's group.  At any moment of a parallel
    build (importing WeasyPrint, rendering, printing), the command stops with exit code
    130 and one line, no traceback, and leaves no process behind.  A cold build of the
    edition takes longer than the first two moments, and the third comes with nine jobs
    still to print: the build is always interrupted, never done before the signal."""
    import os
    import signal
    import sys
    import time
    ws = copy_workspace(tmp_path / "ws")
    command = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "memorial_kit", "--root", str(ws),
         "build", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    before = b""
    if isinstance(moment, float):
        time.sleep(moment)
    else:
        while not before.splitlines()[-1:] or not before.splitlines()[-1].startswith(b"built "):
            line = command.stdout.readline()
            assert line, before             # (the Latin leaflet is reported as skipped first)
            before += line
    os.killpg(command.pid, signal.SIGINT)
    try:
        output, _ = command.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        processes = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:24,args", "-g",
                                    str(command.pid)], capture_output=True, text=True).stdout
        command.send_signal(signal.SIGABRT)         # faulthandler: where each thread waits
        time.sleep(1)
        os.killpg(command.pid, signal.SIGKILL)
        output, _ = command.communicate()
        raise AssertionError(f"the build hung after Ctrl-C:\n{processes}\n"
                             f"{output.decode()[-4000:]}") from None
    text = (before + output).decode()
    assert command.returncode == 130, (command.returncode, text)
    assert "Traceback" not in text
    assert text.rstrip().endswith("interrupted")
    assert not re.search(r"\d+ built, ", text)     # no summary: the build did not finish
    for _ in range(50):                 # no process of the group is left (the system
        try:                            # reaps what the interrupt killed, gcc's included)
            os.killpg(command.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("processes of the build are still running")


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
    from memorial_kit import printing
    folder = ws / "dist" / "vorkuta-uprising"
    cells = [(p.stem, p) for p in sorted((folder / "lt").glob("*.png"))]
    pdfs = [p.with_suffix(".pdf") for _, p in cells]
    thumbnails = {}
    for (_, png), pdf in zip(cells, pdfs):
        made, thumb = printing.preview(pdf.read_bytes())
        assert made == png.read_bytes()
        thumbnails[str(png)] = thumb
    rows = [("lt", cells)]
    from_files = printing.contact_sheet("t", rows)
    assert printing.contact_sheet("t", rows, thumbnails=thumbnails) == from_files
    with Image.open(folder / "contact-sheet.png") as sheet:
        assert sheet.width >= 2 * printing.CELL_PX


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
    child = os.fork()
    if child == 0:
        try:
            for n in range(printing._FONT_CONFIGS_KEPT + 2):
                (tmp_path / f"child{n}").mkdir()
                printing.font_config(tmp_path / f"child{n}")
            gc.collect()        # WeasyPrint's objects hold cycles: freed only now
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert fonts_folder.exists()
    assert printing.html_to_pdf(html, templates, "test").pdf == first


def test_babel_filters_format_in_the_page_language():
    import datetime as dt
    from memorial_kit import render
    from memorial_kit.workspace import Workspace
    from conftest import ROOT
    ws = Workspace.at(ROOT)
    memorial = ws.memorial("vorkuta-uprising")
    env = render.environment(ws.templates)
    template = env.from_string("{{ 62700|number }}|{{ 0.25|percent }}|{{ a|date_interval(b) }}"
                               "|{{ a|month_year }}|{{ names|format_list }}|{{ 62700|number(lang=en) }}")
    en = render.make_lang(ws, memorial, "en")
    out = {code: template.render(lang=render.make_lang(ws, memorial, code), en=en,
                                 a=dt.date(1953, 7, 19), b=dt.date(1953, 8, 1),
                                 names=["Vilnius", "Vorkuta"]).split("|")
           for code in ("lt", "ru", "en")}
    assert out["lt"] == ["62\u00a0700", "25\u00a0%", "1953 m. liepos 19 d. – rugpjūčio 1 d.",
                         "1953 m. liepa", "Vilnius ir Vorkuta", "62,700"]
    assert out["ru"][0] == "62\u00a0700" and out["ru"][2] == "19 июля – 1 августа 1953\u202fг."
    assert out["en"][:3] == ["62,700", "25%", "July 19 – August 1, 1953"]


def test_large_label_sets_print_in_chunks_with_the_same_bytes(tmp_path, monkeypatch):
    from memorial_kit import build
    from memorial_kit.workspace import Workspace
    ws = Workspace(copy_workspace(tmp_path / "ws"))
    monkeypatch.setattr(build, "LABEL_CHUNK_SHEETS", 1)       # 2 sheets -> 2 chunks, joined
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
