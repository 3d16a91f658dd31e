"""Placeholders: both grammars read, filled and protected, good input and bad."""
from collections import Counter

import pytest

from memorial_kit import placeholders as ph
from memorial_kit.placeholders import Unfillable


def test_brace_names_and_literal_braces():
    found = ph.braces("{strikers} struck in {period}; {{not}} a {strikers}")
    assert found.names == ("strikers", "period", "strikers") and found.stray == ()


@pytest.mark.parametrize("text, stray, meant", [
    ("{strikers", (0,), "{strikers"),
    ("a } b", (2,), "}"),
    ("{ period }", (0, 9), "{ period }"),
    ("{strikers.__class__}", (0, 19), "{strikers.__class__}"),
    ("{0} and {}", (0, 2, 8, 9), "{0}"),
])
def test_a_stray_brace_is_found_with_what_was_meant(text, stray, meant):
    found = ph.braces(text)
    assert found.stray == stray and found.names == ()
    assert ph.malformed(text, stray[0]) == meant
    names, near = ph.brace_fields(text)
    assert names == set() and len(near) == len(stray) and text[stray[0]] in near[0]


def test_fill_braces_keeps_literals_and_fills_names():
    pieces = ph.fill_braces("{{x}} {a} and {b}", {"a": 1, "b": "<i>"},
                            literal=str.upper, value=lambda v: f"[{v}]")
    assert "".join(pieces) == "{X} [1] AND [<i>]"


@pytest.mark.parametrize("text, token, stray", [
    ("{who} struck", "{who}", False),           # a name with no value
    ("{a} and {b", "{", True),
    ("{a.__class__}", "{", True),               # no attribute access, ever
    ("{a[0]}", "{", True),
])
def test_fill_braces_refuses_what_it_cannot_fill(text, token, stray):
    with pytest.raises(Unfillable) as caught:
        ph.fill_braces(text, {"a": 1})
    assert (caught.value.token, caught.value.stray) == (token, stray)


def test_directives_named_unnamed_and_stray():
    found = ph.directives("%(num)d of %(num)d, %(name)s, 100%% and %5.2f")
    assert found.named == Counter({("num", "integer"): 2, ("name", "text"): 1})
    assert found.unnamed == [("number", "%5.2f")]
    assert found.stray == []
    assert ph.directives("50%!").stray == ["%!"]
    assert ph.directives("%(a)s %s").unnamed == [("text", "%s")]


@pytest.mark.parametrize("text, has", [
    ("Page %(page)s of %(pages)s", True), ("%d left", True), ("100%%", False),
    ("no directive", False), ("50%!", False), ("%(x)r", True),
])
def test_has_directive(text, has):
    assert ph.has_directive(text) is has


def test_fill_percent_fills_plain_named_directives_only():
    pieces = ph.fill_percent("Page %(page)s of %(pages)s, 100%%", {"page": 2, "pages": 9},
                             value=lambda v: f"<{v}>")
    assert "".join(pieces) == "Page <2> of <9>, 100%"


@pytest.mark.parametrize("text, token, stray", [
    ("Page %(page)2000000s", "%(page)2000000s", True),  # a width could pad a page to GB
    ("Page %(nope)s", "%(nope)s", False),
    ("Page %s", "%s", True),
    ("Page %(page)d", "%(page)d", True),
    ("50%!", "%", True),
    ("%(my name)s", "%(my name)s", True),
])
def test_fill_percent_refuses_the_rest(text, token, stray):
    with pytest.raises(Unfillable) as caught:
        ph.fill_percent(text, {"page": 1})
    assert (caught.value.token, caught.value.stray) == (token, stray)


def test_protect_changes_only_the_text_around_placeholders():
    text = "Page %(page)s of {pages}, {{x}} 100%% <b>bold</b>"
    assert ph.protect(text, str.upper) == "PAGE %(page)s OF {pages}, {{X}} 100%% <B>BOLD</B>"
    assert ph.protect(text, str.upper, also=r"<[^>]*>") == \
        "PAGE %(page)s OF {pages}, {{X}} 100%% <b>BOLD</b>"
    assert ph.protect("", str.upper) == ""


def test_blank_keeps_offsets():
    text = "{n} killed in %(year)s, 1953"
    assert ph.blank(text) == "    killed in         , 1953"
    assert ph.blank(text, percent=False) == "    killed in %(year)s, 1953"
    assert len(ph.blank(text)) == len(text)


@pytest.mark.parametrize("name, ok", [("strikers", True), ("_a1", True), ("1a", False),
                                      ("a b", False), ("", False), ("a\n", False)])
def test_is_name(name, ok):
    assert ph.is_name(name) is ok


def test_the_filled_pattern_splits_a_text_where_the_renderer_fills_it():
    import re
    text = "{period}: {strikers} struck, %(num)s of %(all)s, 100%% %(w)5s {a.b}"
    assert re.split(ph.FILLED, text) == ["", ": ", " struck, ", " of ", ", 100", " %(w)5s {a.b}"]
    assert "".join(ph.fill_braces("{period}: {strikers}", {"period": "P", "strikers": "S"})) \
        == "P: S"
