"""memorial_kit.plurals: Plural-Forms parsed by a real parser, never eval'd."""
from __future__ import annotations

import gettext

import pytest
from babel.messages.plurals import get_plural
from hypothesis import given, settings
from hypothesis import strategies as st

from memorial_kit.errors import CatalogError
from memorial_kit.plurals import PluralForms, parse_plural_forms

LOCALES = ["en", "lt", "ru", "pl", "cs", "ar", "ga", "sl"]


@pytest.mark.parametrize("locale", LOCALES)
def test_babel_rules_agree_with_gettext_c2py(locale):
    rule = get_plural(locale)
    forms = parse_plural_forms(rule.plural_forms)
    reference = gettext.c2py(rule.plural_expr)      # the reference, in tests only
    assert forms.nplurals == rule.num_plurals
    assert [forms(n) for n in range(201)] == [reference(n) for n in range(201)]


def test_gnu_style_header_value():
    forms = parse_plural_forms(" nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
                               "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2); ")
    assert isinstance(forms, PluralForms)
    assert forms.expression == ("(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                "(n%100<10 || n%100>=20) ? 1 : 2)")
    assert [forms(n) for n in (1, 2, 5, 10, 11, 21, 22, 111, 1001)] == [0, 1, 1, 2, 2, 0, 1, 2, 0]
    assert parse_plural_forms("nplurals=1; plural=0").nplurals == 1
    assert parse_plural_forms("nplurals=2; plural=n>1;")(2) == 1


def test_operators_and_precedence():
    def value(expr, n):
        return parse_plural_forms(f"nplurals=10; plural={expr};")(n)
    assert value("1+2*3", 0) == 7 and value("(1+2)*3", 0) == 9
    assert value("7-2-1", 0) == 4 and value("8/2/2", 0) == 2 and value("7%4", 0) == 3
    assert value("!n", 0) == 1 and value("!!n", 5) == 1 and value("!n+1", 3) == 1
    assert value("n<3 || n>=8 && n<=9", 9) == 1 and value("n==1 ? 2 : n==2 ? 3 : 4", 2) == 3
    assert value("n != 1 && n <= 4", 4) == 1 and value("n>2?n>4?2:1:0", 5) == 2
    # && and || short-circuit, as in C
    assert value("n > 3 && 1/(n-3)", 3) == 0 and value("n == 3 || 1/(n-3)", 3) == 1


HOSTILE = [
    ("nplurals=2; plural=__import__('os').system('x');", "unknown identifier '__import__'"),
    ("nplurals=2; plural=n.__class__;", "unexpected character"),
    ("nplurals=2; plural=lambda: 0;", "unknown identifier 'lambda'"),
    ("nplurals=2; plural=1/0;", "divides by zero for n = 0"),
    ("nplurals=2; plural=n%0;", "divides by zero for n = 0"),
    ("nplurals=2; plural=n/(n-3)*0;", "divides by zero for n = 3"),
    ("nplurals=2; plural=" + "(" * 150 + "n" + ")" * 150 + ";", "nested deeper than 100"),
    ("nplurals=2; plural=" + "!" * 300 + "n;", "nested deeper than 100"),
    ("nplurals=2; plural=" + "n?0:" * 200 + "1;", "nested deeper than 100"),
    ("nplurals=2; plural=" + "0+" * 450 + "0;", "nested deeper than 100"),
    ("nplurals=2; plural=(n" + " " * 1000 + ");", "characters long"),
    ("nplurals=2; plural=n!=1; x=1", "unexpected character ';'"),
    ("nplurals=2; plural=(n!=1", "expected ')'"),
    ("nplurals=2; plural=n 1;", "after the end"),
    ("nplurals=2; plural=;", "empty"),
    ("nplurals=2; plural=n!=;", "ends where a value was expected"),
    ("nplurals=2; plural=n>5 ? 2 : 0;", "gives 2 for n = 6"),
    ("nplurals=0; plural=0;", "nplurals"),
    ("nplurals=11; plural=0;", "nplurals"),
    ("nplurals=two; plural=0;", "nplurals"),
    ("plural=n!=1;", "is not 'nplurals=N; plural=EXPR;'"),
    ("nplurals=2;", "is not 'nplurals=N; plural=EXPR;'"),
    ("nplurals=2; plural=n-5;", "gives -5 for n = 0"),
]


@pytest.mark.parametrize("value,words", HOSTILE)
def test_hostile_and_broken_rules_are_refused(value, words):
    with pytest.raises(CatalogError) as info:
        parse_plural_forms(value, path="lt.po", line=11)
    err = info.value
    assert words in err.message
    assert (err.path, err.line) == ("lt.po", 11)
    assert "\n" not in str(err)


def test_never_uses_eval(monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec/compile must not be used")
    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    assert parse_plural_forms(get_plural("ru").plural_forms)(22) == 1


def test_division_by_zero_beyond_the_checked_range_is_an_error_not_a_crash():
    forms = parse_plural_forms("nplurals=2; plural=n/(n-2000)>0;")
    with pytest.raises(CatalogError, match="divides by zero for n = 2000"):
        forms(2000)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LOCALES), st.integers(0, 10**9))
def test_any_count_matches_c2py(locale, n):
    rule = get_plural(locale)
    assert parse_plural_forms(rule.plural_forms)(n) == gettext.c2py(rule.plural_expr)(n)
