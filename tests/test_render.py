"""A product's render context and page: directions, isolates and the words of each language."""
from __future__ import annotations

import re

import pytest

from memorial_kit import render
from memorial_kit.language import make_lang


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


def test_the_language_switcher_names_each_language_in_its_own_direction(scripts):
    _, memorial, _ = scripts
    links = render.edition_links(memorial, "plaque", ("he",), [("en",), ("he",), ("ar",)])
    assert [(link["hreflang"], link["dir"], link["current"]) for link in links] == [
        ("en", "ltr", False), ("he", "rtl", True), ("ar", "rtl", False)]
    assert links[1]["href"] == "../he/plaque.html"
