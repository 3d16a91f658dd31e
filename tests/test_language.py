"""One language of a page: its texts, its fallbacks, its direction, its numbers and dates."""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import copy_workspace
from memorial_kit import api
from memorial_kit.errors import RenderError
from memorial_kit.language import (BIDI_ACTIVE, BIDI_ACTIVE_RE, Isolation, fill_placeholders, isolated,
                                   isolated_alone, make_lang, plain_text)
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
    years = ru.gettext("Sculpture %(year)s", year="<1990>")
    # a left-to-right value after a left-to-right word on a left-to-right page: no isolate
    assert years == Markup("Скульптура &lt;1990&gt; г.") and years.plain == "Скульптура <1990> г."
    label = memorial.labels[0]
    caption = ru.caption(label.text, "label: uprising, text", label.facts)
    assert "18\xa0000" in caption and "19 июля – 1 августа 1953\u202fг." in caption
    assert "<bdi>" not in caption.plain and "18\xa0000" in caption.plain
    he_value = ru.gettext("Sculpture %(year)s", year="אב 1990")
    assert he_value == Markup("Скульптура <bdi>אב 1990</bdi> г.")      # a right-to-left value
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


# --------------------------------------------------------------------------
# Which values are isolated: the Unicode bidi algorithm (GNU FriBidi's, as Pango's) shows
# every text the same with the kit's choice as with every value isolated.
# --------------------------------------------------------------------------
FSI, PDI = "\u2068", "\u2069"
PAR_LTR = 0x110                     # FRIBIDI_PAR_LTR
PAR_RTL = 0x111                     # FRIBIDI_PAR_RTL


def _fribidi():
    name = ctypes.util.find_library("fribidi")
    if name is None:
        pytest.skip("GNU FriBidi (which Pango uses) is not installed")
    lib = ctypes.CDLL(name)
    lib.fribidi_log2vis.restype = ctypes.c_int
    return lib


def visual(lib, text: str, paragraph: int = PAR_LTR) -> str:
    """``text`` as one line of a paragraph of the given direction (left to right unless
    told) shows it, the isolate marks left out."""
    size = len(text)
    logical = (ctypes.c_uint32 * size)(*map(ord, text))
    shown = (ctypes.c_uint32 * size)()
    direction = ctypes.c_uint32(paragraph)
    assert lib.fribidi_log2vis(logical, size, ctypes.byref(direction), shown, None, None, None)
    return "".join(chr(c) for c in shown if chr(c) not in (FSI, PDI))


def filled(text: str, values: dict, ltr: bool) -> tuple[str, int]:
    """The filled text with each isolated value between FSI and PDI (what <bdi> is), and how
    many values were left unisolated."""
    html = str(fill_placeholders(text, values, ltr=ltr))
    return html.replace("<bdi>", FSI).replace("</bdi>", PDI), len(values) - html.count("<bdi>")


PIECE = st.text(alphabet="aЖz 09,.:-()/\u00a0%+–אב١", max_size=6)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(PIECE, min_size=3, max_size=3), values=st.lists(PIECE, min_size=2, max_size=2),
       before=st.sampled_from(["", "אב ", "ab "]), after=st.sampled_from(["", " גד", " cd"]))
@example(pieces=["", " (", ")"], values=["1953", "1-2"], before="אב ", after="")
@example(pieces=["Source: ", ", ", ""], values=["Wikipedia", "CC BY-SA 4.0"], before="אב ", after=" גד")
def test_a_value_is_left_unisolated_only_where_isolation_would_show_nothing(pieces, values,
                                                                            before, after):
    lib = _fribidi()
    text = f"{pieces[0]}{{a}}{pieces[1]}{{b}}{pieces[2]}"
    chosen, unisolated = filled(text, {"a": values[0], "b": values[1]}, ltr=True)
    every = f"{pieces[0]}{FSI}{values[0]}{PDI}{pieces[1]}{FSI}{values[1]}{PDI}{pieces[2]}"
    # the line around the text may hold right-to-left words of other texts
    assert visual(lib, before + chosen + after) == visual(lib, before + every + after)
    if not ltr_only(text + "".join(values)):
        assert unisolated == 0


def ltr_only(text: str) -> bool:
    return not any(c in "אב١" for c in text)


# Latin, Cyrillic, Hebrew and Arabic letters, European, Arabic-Indic and Persian digits,
# punctuation, spaces and a right-to-left mark
RIGHT_TO_LEFT = "אבعم١٢۳\u200f"
ALONE = st.text(alphabet="aZЖя 09,.:-()/\u00a0%+–" + RIGHT_TO_LEFT, max_size=10)


@settings(max_examples=400, deadline=None)
@given(value=ALONE, direction=st.sampled_from(["ltr", "rtl"]))
@example(value="1 a", direction="rtl")
@example(value="26 июня 1953 г.", direction="ltr")
@example(value="1953 ,a", direction="ltr")
def test_a_value_alone_in_its_block_is_left_unisolated_only_where_isolation_would_show_nothing(
        value, direction):
    lib = _fribidi()
    paragraph = {"ltr": PAR_LTR, "rtl": PAR_RTL}[direction]
    chosen = str(isolated_alone(value, direction))
    if chosen != f"<bdi>{value}</bdi>":
        assert chosen == value
        assert visual(lib, value, paragraph) == visual(lib, FSI + value + PDI, paragraph)
    if direction == "ltr" and not any(c in RIGHT_TO_LEFT for c in value):
        assert chosen == value          # isolating it would show nothing: left out


def test_a_value_alone_in_its_block_stays_isolated_in_a_right_to_left_block_or_if_bidi_active():
    assert isolated_alone("June 26, 1953", "ltr") == Markup("June 26, 1953")
    assert isolated_alone("26 июня 1953 г.", "ltr") == Markup("26 июня 1953 г.")
    assert isolated_alone("<b> & 1953", "ltr") == Markup("&lt;b&gt; &amp; 1953")   # escaped
    assert isolated_alone("June 26, 1953", "rtl") == Markup("<bdi>June 26, 1953</bdi>")
    assert isolated_alone("26 ביוני 1953", "rtl") == Markup("<bdi>26 ביוני 1953</bdi>")
    for active in ("٢٦ يونيو ١٩٥٣", "26 June\u200f 1953", "26 ביוני 1953"):
        assert isolated_alone(active, "ltr") == Markup(f"<bdi>{active}</bdi>")


def test_values_are_left_unisolated_only_after_a_left_to_right_letter_on_a_left_to_right_line():
    values = {"year": "1953", "name": "Wikipedia"}
    assert fill_placeholders("In {year}, {name}", values, ltr=True) == Markup("In 1953, Wikipedia")
    # first in its text: its neighbour is another text's, which may be right to left
    assert fill_placeholders("{year}: {name}", values, ltr=True) == Markup(
        "<bdi>1953</bdi>: <bdi>Wikipedia</bdi>")
    assert fill_placeholders("In {year}", values, ltr=False) == Markup("In <bdi>1953</bdi>")
    for rtl in ({"year": "١٩٥٣"}, {"year": "אב"}):           # Arabic digits, a Hebrew word
        assert fill_placeholders("In {year}", rtl, ltr=True) == Markup(f"In <bdi>{rtl['year']}</bdi>")
    # a right-to-left word or a directional mark in the text itself
    assert "<bdi>" in fill_placeholders("In אב {year}", values, ltr=True)
    assert "<bdi>" in fill_placeholders("In\u200f {year}", values, ltr=True)
    assert str(Isolation(True, "x", []).value("<b>")) == "<bdi>&lt;b&gt;</bdi>"   # escaped either way


def test_every_character_that_can_reorder_a_line_is_in_the_blocks_searched_for_it():
    import sys
    import unicodedata
    active = [chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.bidirectional(chr(c)) in BIDI_ACTIVE]
    assert len(active) > 2000 and all(BIDI_ACTIVE_RE.match(c) for c in active)
