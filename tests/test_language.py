"""One language of a page: its texts, its fallbacks, its direction, its numbers and dates."""
from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from conftest import copy_workspace
from memorial_kit import api
from memorial_kit.errors import RenderError
from memorial_kit.language import fill_placeholders, isolated, make_lang, plain_text
from memorial_kit.manifest import load_memorial

UPRISING = (dt.date(1953, 7, 19), dt.date(1953, 8, 1))


@pytest.fixture(scope="module")
def vorkuta(tmp_path_factory):
    root = copy_workspace(tmp_path_factory.mktemp("vorkuta") / "ws")
    return api.workspace(root), load_memorial(root / "seeds" / "vorkuta-uprising", root)


@pytest.fixture(scope="module")
def scripts(scripts_memorial):
    return scripts_memorial


def test_direction_and_hyphenation_come_from_the_language(scripts):
    ws, memorial = scripts
    he, ar, yi, en = (make_lang(ws, memorial, code) for code in ("he", "ar", "yi", "en"))
    assert [lang.dir for lang in (he, ar, yi, en)] == ["rtl", "rtl", "rtl", "ltr"]
    assert (he.hyphens, en.hyphens) == ("manual", "auto")       # Hebrew is never hyphenated


def test_numbers_dates_periods_and_lists_in_each_languages_conventions(vorkuta):
    ws, memorial = vorkuta
    ru, lt, en = (make_lang(ws, memorial, code) for code in ("ru", "lt", "en"))
    assert (ru.number(18000), en.number(18000)) == ("18\xa0000", "18,000")
    assert ru.date(UPRISING[0]) == "19 июля 1953\u202fг."
    assert ru.percent(0.25) == "25\xa0%"
    assert lt.month_year(dt.date(1953, 7, 1)) == "1953 m. liepa"
    # the year written once, where the language puts it
    assert en.period(*UPRISING) == "July 19 – August 1, 1953"
    assert lt.period(*UPRISING) == "1953 m. liepos 19 d. – rugpjūčio 1 d."
    assert en.period(dt.date(1953, 12, 30), dt.date(1954, 1, 2)) == (
        "December 30, 1953 – January 2, 1954")
    assert (en.list(["a", "b", "c"]), ru.list(["a", "b", "c"])) == ("a, b, and c", "a, b и c")


def test_filled_values_are_escaped_and_isolated_and_the_plain_text_has_no_markup(vorkuta):
    ws, memorial = vorkuta
    ru = make_lang(ws, memorial, "ru")
    years = ru.gettext("Sculpture %(year)s", year=1990)
    assert years == Markup("Скульптура <bdi>1990</bdi> г.") and years.plain == "Скульптура 1990 г."
    label = memorial.labels[0]
    caption = ru.caption(label.text, "label: uprising, text", label.facts)
    assert "<bdi>18\xa0000</bdi>" in caption and "<bdi>19 июля – 1 августа 1953\u202fг.</bdi>" in caption
    assert "<bdi>" not in caption.plain and "18\xa0000" in caption.plain
    assert plain_text(caption) == caption.plain and plain_text(Markup("<b>x</b>")) == "x"
    assert isolated("<x>") == Markup("<bdi>&lt;x&gt;</bdi>")


def test_an_untranslated_message_prints_the_source_marked_in_its_own_direction(scripts, vorkuta):
    ws, memorial = scripts
    he = make_lang(ws, memorial, "he")
    text = he.gettext("A message no catalog holds")
    assert text == Markup('<span lang="en" dir="ltr" class="fallback">A message no catalog holds</span>')
    assert text.plain == "A message no catalog holds"
    assert (he.fallbacks[-1].locale, he.fallbacks[-1].msgid) == ("he", "A message no catalog holds")
    ws, memorial = vorkuta
    ru = make_lang(ws, memorial, "ru")        # the same direction as English: no dir
    assert ru.gettext("A message no catalog holds").startswith('<span lang="en" class="fallback">')


def test_a_translated_page_number_keeps_its_words_in_its_language(scripts):
    ws, memorial = scripts
    he = make_lang(ws, memorial, "he")
    page = he.gettext("Page %(page)s of %(pages)s", page=1, pages=4)
    assert page == Markup("עמוד <bdi>1</bdi> מתוך <bdi>4</bdi>") and not he.fallbacks


def test_placeholders_are_plain_names_and_anything_else_is_refused():
    assert fill_placeholders("{a} & <b> {{x}}", {"a": "<x>"}) == Markup(
        "<bdi>&lt;x&gt;</bdi> &amp; &lt;b&gt; {x}")
    assert fill_placeholders("{a} & <b>", {"a": "<x>"}, plain=True) == "<x> & <b>"
    with pytest.raises(RenderError, match="unknown placeholder {b}"):
        fill_placeholders("{b}", {"a": 1})
    with pytest.raises(RenderError, match="stray brace"):
        fill_placeholders("{a", {"a": 1})
    with pytest.raises(RenderError, match="stray brace"):        # no attribute of a value
        fill_placeholders("{a.__class__}", {"a": 1})
