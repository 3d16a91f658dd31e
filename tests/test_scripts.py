"""Every script, every direction: a memorial carved in Hebrew, Yiddish and Arabic.

tests/data/scripts holds a small memorial (an English article, a stone carved in Hebrew,
Yiddish and Arabic) with stand-in Hebrew, Yiddish and Arabic translations.  It is built
once, and the outputs are read as a reader and a printer would: the HTML's directions
and isolates, the PDFs' fonts (pdffonts), their text (pdftotext), their pages (pdfinfo).
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from memorial_kit import fonts, po

from conftest import ROOT, run_kit

DATA = ROOT / "tests" / "data" / "scripts"
SLUG = "yizkor-stone"
RTL = ("he", "yi", "ar")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CJK_FAMILY = "Noto Serif CJK SC"


def script_workspace(target: Path) -> Path:
    shutil.copytree(ROOT / "templates", target / "templates",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("seeds", "locales"):
        shutil.copytree(DATA / name, target / name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    ws = script_workspace(tmp_path_factory.mktemp("scripts") / "ws")
    # --allow-fallback: words the templates gain later print in English (marked), instead
    # of stopping these products.
    result = run_kit(ws, "build", "--format", "html,pdf,png", "--allow-fallback", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert {r["status"] for r in report["results"]} == {"built"}
    return ws, ws / "dist" / SLUG


def read(dist: Path, rel: str) -> str:
    return (dist / rel).read_text("utf-8")


def pdftext(path: Path) -> str:
    """pdftotext's text without the directional marks it adds around runs."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return BIDI_CONTROLS.sub("", out)


def squashed(text: str) -> str:
    return "".join(text.split())


def embedded_fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def declared_families(templates: Path) -> set[str]:
    return ({face.family for face in fonts.font_faces(templates)}
            | {item.family for item in fonts.script_fonts(templates)})


def undeclared(pdf: Path, families: set[str]) -> list[str]:
    """The fonts embedded in ``pdf`` that are none of ``families`` (a subset's name is
    ABCDEF+Family-Style)."""
    keys = [_key(f) for f in families]
    return [name for name in embedded_fonts(pdf)
            if not any(_key(name.split("+", 1)[-1]).startswith(k) for k in keys)]


# --------------------------------------------------------------------------
# Direction and isolation in the HTML
# --------------------------------------------------------------------------
def test_pages_take_their_direction_from_cldr(built):
    _, dist = built
    for code in RTL:
        for product in ("leaflet", "plaque"):
            page = read(dist, f"{code}/{product}.html")
            assert re.search(rf'<html lang="{code}" dir="rtl"', page), (code, product)
            assert 'class="hyphens-manual"' in page.split(">", 2)[1] + ">"
    assert re.search(r'<html lang="en" dir="ltr"', read(dist, "en/leaflet.html"))
    labels = read(dist, "labels/he-en.html")
    assert '<html lang="he" dir="rtl"' in labels
    # The English side of a Hebrew label is a passage of the other direction.
    assert re.search(r'<div class="side secondary [^"]*" lang="en" dir="ltr">', labels)
    assert not re.search(r'<div class="side primary [^"]*" lang="he" dir=', labels)


def test_carvings_dates_and_filled_values_are_isolated(built):
    _, dist = built
    english = read(dist, "en/leaflet.html")
    for code, text in (("he", "יזכור"), ("yi", "מיר װעלן נישט פֿאַרגעסן"), ("ar", "لن ننسى")):
        assert f'<blockquote class="carved" lang="{code}" dir="rtl">{text}</blockquote>' in english
    hebrew = read(dist, "he/leaflet.html")
    # Arabic on a Hebrew page: the same direction, so no dir; a block of its own.
    assert '<blockquote class="carved" lang="ar">لن ننسى</blockquote>' in hebrew
    period = re.search(r"<td><bdi>([^<]+)</bdi></td>", hebrew)
    assert period and period.group(1) == "22 ביולי – 21 בספטמבר 1942"
    # Filled placeholders: the label's dates and counts, the credit line's names.
    labels = read(dist, "labels/he-en.html")
    assert "בין <bdi>22 ביולי – 21 בספטמבר 1942</bdi> גורשו" in labels
    assert "<bdi>1,200</bdi> איש." in labels
    assert '<bdi class="carved" lang="he">יזכור</bdi>' in labels
    assert "<bdi>memorial-kit tests</bdi>" in hebrew


def test_every_face_name_is_translated(built):
    _, dist = built
    plaque = read(dist, "he/plaque.html")
    for name in ("חזית", "צד אחורי", "צד שמאל"):
        assert f'<figcaption class="face-name">{name}</figcaption>' in plaque
    assert "Left" not in plaque and "LEFT" not in pdftext(dist / "he" / "plaque.pdf")


# --------------------------------------------------------------------------
# The PDFs
# --------------------------------------------------------------------------
def test_every_pdf_embeds_only_declared_fonts(built):
    ws, dist = built
    families = declared_families(ws / "templates")
    pdfs = sorted(dist.rglob("*.pdf"))      # the products' PDFs, and any archive or press ones
    names = {str(p.relative_to(dist)) for p in pdfs}
    assert {f"{c}/{p}.pdf" for c in ("en",) + RTL for p in ("leaflet", "plaque")} <= names
    assert {"labels/he-en.pdf", "labels/ar-en.pdf"} <= names
    for pdf in pdfs:
        assert undeclared(pdf, families) == [], pdf
    hebrew = {_key(n.split("+", 1)[1]) for n in embedded_fonts(dist / "he" / "leaflet.pdf")}
    arabic = {_key(n.split("+", 1)[1]) for n in embedded_fonts(dist / "ar" / "leaflet.pdf")}
    assert "notoserifhebrew" in hebrew and "notonaskharabic" in arabic


def test_pdftotext_reads_hebrew_and_arabic_in_logical_order_with_dates_intact(built):
    _, dist = built
    for code, title in (("he", "אבן הזיכרון של בית הכנסת הישן"),
                        ("ar", "النصب التذكاري للكنيس القديم")):
        page = read(dist, f"{code}/leaflet.html")
        period = html.unescape(re.search(r"<td><bdi>([^<]+)</bdi></td>", page).group(1))
        text = pdftext(dist / code / "leaflet.pdf")
        assert title in text, code
        # Day, month, dash, day, month, year: in the order written (pdftotext places the
        # spaces around numbers in right-to-left lines its own way).
        assert squashed(period) in squashed(text), (code, period)
    plaque = pdftext(dist / "he" / "plaque.pdf")
    assert "יזכור" in plaque and "لن ننسى" in plaque


def test_plaques_are_one_page(built):
    _, dist = built
    for code in ("en",) + RTL:
        info = subprocess.run(["pdfinfo", str(dist / code / "plaque.pdf")], capture_output=True,
                              text=True, check=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), code


def test_no_hyphen_is_inserted_into_hebrew_or_arabic(built):
    _, dist = built
    for code in RTL:
        for line in pdftext(dist / code / "leaflet.pdf").splitlines():
            assert not re.search(r"[\u0590-\u06ff][-\u2010\u00ad]$", line.strip()), (code, line)


def test_check_is_clean(built):
    ws, _ = built
    result = run_kit(ws, "check", "--memorial", SLUG, "--json")
    findings = json.loads(result.stdout)
    errors = [f for f in findings if f["severity"] == "error"]
    assert result.returncode == 0 and errors == [], errors


# --------------------------------------------------------------------------
# A script without a font: check reports it once per script, build refuses it
# --------------------------------------------------------------------------
def test_a_carving_in_a_script_without_a_font_stops_the_english_products(tmp_path):
    ws = script_workspace(tmp_path / "ws")
    css = ws / "templates" / "fonts.css"
    css.write_text(re.sub(r"\n\s*--script-Arab:[^\n]*", "", css.read_text("utf-8")), "utf-8")
    result = run_kit(ws, "check", "--memorial", SLUG, "--no-render", "--json")
    findings = [f for f in json.loads(result.stdout) if f["code"] == "glyph-missing"]
    assert result.returncode == 1
    english = [f for f in findings if f["locale"] == "en"]
    # Once per product that prints the Arabic carving, once per script.
    assert sorted(f["message"].split(":")[0] for f in english) == ["the leaflet", "the plaque"]
    for finding in english:
        assert "Arabic: " in finding["message"] and "letters that no declared font covers" \
            in finding["message"]
        assert "declare a font for Arabic in templates/fonts.css" in finding["message"]
        assert finding["path"] == f"seeds/{SLUG}/memorial.toml"
    result = run_kit(ws, "build", "--locale", "en", "--format", "html", "--json")
    status = {r["job"]: r for r in json.loads(result.stdout)["results"]}
    leaflet = status[f"{SLUG}/leaflet/en"]
    assert result.returncode == 1 and leaflet["status"] == "skipped"
    (finding,) = leaflet["findings"]
    assert finding.startswith(f"seeds/{SLUG}/memorial.toml: error: [glyph-missing] the leaflet: "
                              "Arabic: ")


def _stand_in_chinese(ws: Path, code: str) -> None:
    """``code`` added to the memorial, every entry of its catalogs given a Chinese stand-in
    with the placeholders."""
    manifest = ws / "seeds" / SLUG / "memorial.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(
        'locales = ["en", "he", "yi", "ar"]', f'locales = ["en", "he", "yi", "ar", "{code}"]'),
        "utf-8")
    assert run_kit(ws, "extract").returncode == 0
    assert run_kit(ws, "init", code).returncode == 0
    for domain in (SLUG, "memorial-kit"):
        path = ws / "locales" / code / "LC_MESSAGES" / f"{domain}.po"
        catalog = po.read_po_file(path)
        for entry in catalog.entries:
            if not entry.msgid:
                continue
            # placeholders, numbers and quoted carved texts, as the checks ask
            keep = " ".join(re.findall(r"%\(\w+\)s|\{\w+\}|\d[\d,]*|«[^»]+»", entry.msgid))
            text = ("纪念碑上刻着遇难者的名字每年都有人来这里献花" * (4 if len(entry.msgid) > 150 else 1)
                    + keep + "。")
            if entry.msgid_plural is not None:
                entry.msgstr_plural = [text] * len(entry.msgstr_plural)
            else:
                entry.msgstr = text
        po.write_po_file(catalog, path)


def test_a_cjk_family_that_is_not_installed_is_named_with_its_package(tmp_path):
    ws = script_workspace(tmp_path / "ws")
    css = ws / "templates" / "fonts.css"
    text = re.sub(r"\n\s*--script-(Hans|Hant|Jpan|Kore):[^\n]*", "", css.read_text("utf-8"))
    css.write_text(text.replace(
        ":root {", ':root {\n  --script-Hans: "Noto Serif CJK Absent" system("fonts-noto-cjk");'),
        "utf-8")
    _stand_in_chinese(ws, "zh")
    result = run_kit(ws, "build", "--locale", "zh", "--product", "plaque", "--format", "html",
                     "--json")
    (job,) = json.loads(result.stdout)["results"]
    assert result.returncode == 1 and job["status"] == "skipped"
    (finding,) = job["findings"]
    assert "Han: " in finding and "'Noto Serif CJK Absent', is not installed" in finding
    assert "install the package fonts-noto-cjk" in finding


def test_chinese_prints_in_the_declared_system_family_and_wraps(tmp_path):
    if not fonts.system_faces(CJK_FAMILY):
        pytest.skip(f"the system font {CJK_FAMILY!r} is not installed (Debian package "
                    "fonts-noto-cjk; .ci/run installs it): no CJK printing test")
    ws = script_workspace(tmp_path / "ws")
    _stand_in_chinese(ws, "zh")
    result = run_kit(ws, "build", "--locale", "zh", "--product", "leaflet", "--product",
                     "plaque", "--format", "html,pdf", "--json")
    assert result.returncode == 0, result.stdout
    dist = ws / "dist" / SLUG / "zh"
    families = declared_families(ws / "templates")
    for pdf in ("leaflet.pdf", "plaque.pdf"):
        assert undeclared(dist / pdf, families) == []
    assert any(_key(CJK_FAMILY) in _key(n) for n in embedded_fonts(dist / "leaflet.pdf"))
    assert '<html lang="zh" dir="ltr" class="hyphens-manual">' in read(dist, "leaflet.html")
    # The long paragraph, written without spaces, breaks between characters over many lines.
    lines = [line for line in pdftext(dist / "leaflet.pdf").splitlines() if "纪念碑" in line
             or "献花" in line]
    assert len(lines) >= 4 and all(not line.endswith("-") for line in lines)
    assert "纪念碑上刻着遇难者的名字" in pdftext(dist / "plaque.pdf")


# --------------------------------------------------------------------------
# The web edition in a browser
# --------------------------------------------------------------------------
def test_a_right_to_left_page_mirrors_in_chromium(built, tmp_path):
    import base64
    import os

    from test_web import chromium_tab, png_size
    _, dist = built
    with chromium_tab(dist.parent, tmp_path / "profile") as browser:
        browser.viewport(1024, 768, False)
        start = browser.load(browser.root + f"{SLUG}/he/leaflet.html")
        assert browser.problems(start, browser.root) == []
        shot = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
        assert png_size(shot) == (1024, 768)
        keep = os.environ.get("MEMORIAL_KIT_SCREENSHOTS")   # a folder to keep it in, to look at
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / "he-leaflet-1024.png").write_bytes(shot)
        measure = """(() => {
          const text = el => { const r = document.createRange(); r.selectNodeContents(el);
                               return r.getBoundingClientRect(); };
          const box = el => el.getBoundingClientRect();
          const h1 = document.querySelector('h1'), main = document.querySelector('main');
          const dt = document.querySelector('.factbox th'), dd = document.querySelector('.factbox td');
          const ul = getComputedStyle(document.querySelector('main section ul'));
          const a = document.querySelector('.switcher a[aria-current]');
          return {dir: getComputedStyle(document.documentElement).direction,
                  h1Right: text(h1).right, h1Left: text(h1).left, mainRight: box(main).right,
                  mainLeft: box(main).left, dt: box(dt).left, dd: box(dd).left,
                  ulStart: ul.paddingRight, ulEnd: ul.paddingLeft,
                  firstLanguage: box(document.querySelector('.switcher li')).left,
                  lastLanguage: box([...document.querySelectorAll('.switcher li')].pop()).left};
        })()"""
        m = browser.evaluate(measure)
        assert m["dir"] == "rtl"
        # The title starts at the right edge; the fact box's labels are its right column;
        # the list's bullets hang on the right; the switcher runs right to left.
        assert abs(m["h1Right"] - m["mainRight"]) < 2 and m["h1Left"] > m["mainLeft"] + 50
        assert m["dt"] > m["dd"]
        assert m["ulStart"] != "0px" and m["ulEnd"] == "0px"
        assert m["firstLanguage"] > m["lastLanguage"]
        # An English page: the Hebrew carving is a right-to-left passage inside it.
        browser.load(browser.root + f"{SLUG}/en/leaflet.html")
        carving = browser.evaluate("""(() => {
          const q = document.querySelector('blockquote.carved[lang="he"]');
          const r = document.createRange(); r.selectNodeContents(q);
          return {dir: getComputedStyle(q).direction, right: r.getBoundingClientRect().right,
                  boxRight: q.getBoundingClientRect().right};
        })()""")
        assert carving["dir"] == "rtl" and abs(carving["right"] - carving["boxRight"]) < 2
