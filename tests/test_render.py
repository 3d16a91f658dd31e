"""A product's render context and page: directions, isolates and the words of each language."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import copy_workspace
from memorial_kit import api, printing, render
from memorial_kit.language import make_lang
from memorial_kit.manifest import load_memorial


@pytest.fixture(scope="module")
def scripts(scripts_memorial):
    ws, memorial = scripts_memorial
    return ws, memorial, {code: make_lang(ws, memorial, code) for code in ("en", "he", "yi", "ar")}


def plaque(scripts, code: str) -> tuple[dict, str]:
    ws, memorial, langs = scripts
    context = render.plaque_context(memorial, memorial.monuments[0], langs[code], langs)
    return context, render.Renderer(ws.templates).render("plaque.html.j2", context)


def test_a_carved_text_has_a_direction_only_where_it_differs_from_the_page(scripts):
    english, _ = plaque(scripts, "en")
    hebrew, page = plaque(scripts, "he")
    carved = {c["lang"]: c["dir"] for f in english["monument"]["faces"] for c in f["inscriptions"]}
    assert carved == {"he": "rtl", "yi": "rtl", "ar": "rtl"}
    carved = {c["lang"]: c["dir"] for f in hebrew["monument"]["faces"] for c in f["inscriptions"]}
    assert carved == {"he": "", "yi": "", "ar": ""}
    assert '<html lang="he" dir="rtl"' in page
    assert '<blockquote class="carved" lang="yi">מיר װעלן נישט פֿאַרגעסן</blockquote>' in page


def test_an_english_page_marks_each_carved_text_right_to_left(scripts):
    _, page = plaque(scripts, "en")
    assert '<html lang="en" dir="ltr"' in page
    assert '<blockquote class="carved" lang="he" dir="rtl">יזכור</blockquote>' in page
    assert '<blockquote class="carved" lang="ar" dir="rtl">لن ننسى</blockquote>' in page


def test_filled_years_are_isolated_from_the_words_around_them(scripts):
    _, page = plaque(scripts, "he")
    years = re.search(r'<p class="years">(.*?)</p>', page, re.S).group(1)
    assert "<bdi>1995</bdi>" in years


def test_a_bilingual_label_gives_its_other_language_a_direction(scripts):
    ws, memorial, langs = scripts
    context = render.labels_context(memorial, langs["he"], langs["en"], langs)
    page = render.Renderer(ws.templates).render("labels.html.j2", context)
    assert '<div class="side primary hyphens-manual" lang="he">' in page
    assert '<div class="side secondary hyphens-auto" lang="en" dir="ltr">' in page
    card = context["sheets"][0]["cards"][0]
    assert (card["primary"]["dir"], card["secondary"]["dir"]) == ("rtl", "ltr")
    # the period in the text of each side, isolated
    assert page.count("<bdi>") >= 2 and "<bdi>22" in page


def test_a_label_sheet_has_no_whitespace_between_its_blocks_and_keeps_it_between_words(scripts):
    ws, memorial, langs = scripts
    context = render.labels_context(memorial, langs["he"], langs["en"], langs)
    url = "https://example.org/yizkor-stone/he/leaflet.html"
    context["online"] = {"url": url, "qr": render.qr_svg(url)}
    page = render.Renderer(ws.templates).render("labels.html.j2", context)
    sheets = re.findall(r'<section class="sheet">(.*?)</section>', page, re.S)
    assert len(sheets) == 1 and sheets[0].count('<article class="card"') == 2
    # whitespace text only between tags of the page outside the sheets (the web edition's)
    assert re.findall(r">\s+<", sheets[0]) == []
    assert sheets[0].startswith('<svg class="crop"')
    assert f'<div class="trim fit"><a class="qr-link" href="{url}">' in sheets[0]
    # the spaces of texts and between inline elements stay
    assert '<p class="carved-line"><bdi class="carved" lang="he">יזכור</bdi> · <bdi class="carved"' in page
    assert re.search(r'<p class="glosses">[^<]+ · [^<]+</p>', page)
    assert "<h2>The memorial stone</h2><p>The stone was unveiled in 1995.</p>" in page


# --------------------------------------------------------------------------
# A timeline's date is the whole of its term: isolated only where isolation can show
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def timelines(tmp_path_factory):
    """The Vorkuta memorial, whose labels have timelines, in Russian, English and Hebrew
    (its Hebrew untranslated: Hebrew dates, English words)."""
    root = copy_workspace(tmp_path_factory.mktemp("timelines") / "ws")
    manifest = root / "seeds" / "vorkuta-uprising" / "memorial.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"la"]', '"la", "he"]', 1), encoding="utf-8")
    ws = api.workspace(root)
    api.init(ws, "he")
    memorial = load_memorial(root / "seeds" / "vorkuta-uprising", root)
    return ws, memorial, {code: make_lang(ws, memorial, code) for code in ("ru", "en", "he")}


def labels_page(timelines, primary: str, secondary: str, dates: dict | None = None) -> str:
    """The label sheets of a pair; ``dates``: language -> a date to print in place of
    each of its side's timeline dates."""
    ws, memorial, langs = timelines
    context = render.labels_context(memorial, langs[primary], langs[secondary], langs)
    for card in (c for sheet in context["sheets"] for c in sheet["cards"]):
        for side in (card["primary"], card["secondary"]):
            for row in side["rows"]:
                row["date"] = (dates or {}).get(side["lang"], row["date"])
    return render.Renderer(ws.templates).render("labels.html.j2", context)


def terms(page: str) -> dict[str, list[str]]:
    """Each language's timeline terms, as the page's label sides write them."""
    found: dict[str, list[str]] = {}
    for lang, side in re.findall(r'<div class="side [^"]*" lang="(\w+)"[^>]*>(.*?)</div>',
                                 page, re.S):
        found.setdefault(lang, []).extend(re.findall(r"<dt>(.*?)</dt>", side))
    return found


def test_a_timeline_date_is_isolated_on_a_right_to_left_side_only(timelines):
    page = terms(labels_page(timelines, "ru", "en"))
    assert page["ru"][0] == "26 июня 1953\u202fг." and "July 19, 1953" in page["en"]
    assert len(page["ru"]) == len(page["en"]) == 5
    hebrew = terms(labels_page(timelines, "he", "en"))
    assert hebrew["he"][0] == "<bdi>26 ביוני 1953</bdi>"
    assert all(term.startswith("<bdi>") for term in hebrew["he"])
    # the English side of a Hebrew page is left to right (its own dir): no isolate
    assert hebrew["en"] == page["en"]


def test_a_side_of_the_other_direction_isolates_by_its_own(timelines):
    page = labels_page(timelines, "en", "he")
    assert '<div class="side secondary hyphens-manual" lang="he" dir="rtl">' in page
    sides = terms(page)
    assert sides["en"] == terms(labels_page(timelines, "ru", "en"))["en"]
    assert sides["he"] == terms(labels_page(timelines, "he", "en"))["he"]


@pytest.mark.parametrize("date", ["26 июня ١٩٥٣", "26\u200f июня 1953"])
def test_a_date_with_an_arabic_digit_or_a_directional_mark_stays_isolated(timelines, date):
    sides = terms(labels_page(timelines, "ru", "en", dates={"ru": date}))
    assert set(sides["ru"]) == {f"<bdi>{date}</bdi>"}
    assert "<bdi>" not in "".join(sides["en"])


def test_a_leaflets_period_is_isolated_on_a_right_to_left_page_only(timelines):
    ws, memorial, langs = timelines
    renderer = render.Renderer(ws.templates)
    periods = {}
    for code in ("en", "he"):      # the Hebrew page's row headers: English, marked as such
        page = renderer.render("leaflet.html.j2", render.leaflet_context(memorial, langs[code], {}))
        periods[code] = re.search(r"Date(?:</span>)?</th>\s*<td>(.*?)</td>", page).group(1)
    assert periods == {"en": "July 19 – August 1, 1953", "he": "<bdi>19 ביולי – 1 באוגוסט 1953</bdi>"}


def bboxes(pdf: bytes, tmp_path, name: str) -> str:
    """The PDF's words and where each stands (pdftotext's boxes)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_left_to_right_label_sheet_prints_its_dates_where_isolated_ones_stand(timelines,
                                                                              tmp_path):
    ws = timelines[0]
    page = labels_page(timelines, "ru", "en")
    isolating = re.sub(r"<dt>(.*?)</dt>", r"<dt><bdi>\1</bdi></dt>", page)
    assert isolating.count("<dt><bdi>") == 10 and "<dt><bdi>" not in page
    printed = [bboxes(printing.html_to_pdf(html, ws.templates, "labels", keep=False).pdf,
                      tmp_path, name) for name, html in (("kit", page), ("isolating", isolating))]
    assert ">July</word>" in printed[0] and ">июня</word>" in printed[0]
    assert printed[0] == printed[1]


def test_the_language_switcher_names_each_language_in_its_own_direction(scripts):
    _, memorial, _ = scripts
    links = render.edition_links(memorial, "plaque", ("he",), [("en",), ("he",), ("ar",)])
    assert [(link["hreflang"], link["dir"], link["current"]) for link in links] == [
        ("en", "ltr", False), ("he", "rtl", True), ("ar", "rtl", False)]
    assert links[1]["href"] == "../he/plaque.html"
