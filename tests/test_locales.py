"""memorial_kit/locales.py: which locale codes and memorial names the kit takes, and the
facts about a language it prints by (CLDR's direction, script and names)."""
from __future__ import annotations

import pytest
from babel import Locale

from memorial_kit import locales
from memorial_kit.errors import ManifestError, UsageError


@pytest.mark.parametrize("code", ["lt", "ru", "la", "he", "yi", "ar", "pt_BR", "sr_Latn",
                                  "zh_Hant", "haw", "qps", "qps_XB"])
def test_codes_cldr_knows_are_valid(code):
    assert locales.is_valid_locale(code)
    assert locales.check_locale(code) == code


@pytest.mark.parametrize("code", ["xx", "zz", "tlh", "EN", "en-US", "pt_br", "en_US_POSIX",
                                  "../lt", "lt/../../etc", "", " lt", "lt\n", None, 7])
def test_anything_else_is_not(code):
    assert not locales.is_valid_locale(code)


def test_an_unknown_locale_is_refused_with_a_clear_error():
    with pytest.raises(UsageError) as refused:
        locales.check_locale("xx")
    assert str(refused.value) == "'xx' is not a locale code the kit knows"
    assert refused.value.hint == "use a CLDR code such as 'lt', 'ru' or 'pt_BR'"


def test_the_refusal_can_name_the_file_and_line():
    with pytest.raises(ManifestError) as refused:
        locales.check_locale("klingon", ManifestError, path="seeds/m/memorial.toml", line=4)
    assert str(refused.value) == \
        "seeds/m/memorial.toml:4: 'klingon' is not a locale code the kit knows"


@pytest.mark.parametrize("slug", ["vorkuta-uprising", "m", "1953", "a" * 64])
def test_memorial_names(slug):
    assert locales.check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["Vorkuta", "-vorkuta", "vorkuta_uprising", "../etc", "a/b",
                                  "", "a" * 65, "vorkuta\n", "vorkuta\n../x"])
def test_bad_memorial_names_are_refused(slug):
    with pytest.raises(UsageError, match="is not a memorial name") as refused:
        locales.check_slug(slug)
    assert refused.value.hint == "memorial names are lower-case letters, digits and '-'"


@pytest.mark.parametrize("code, direction", [
    ("he", "rtl"), ("yi", "rtl"), ("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"),
    ("lt", "ltr"), ("ru", "ltr"), ("la", "ltr"), ("zh", "ltr"), ("ja", "ltr"),
    ("qps", "ltr"), ("qps_XB", "rtl"),
])
def test_direction_comes_from_cldr(code, direction):
    assert locales.text_direction(code) == direction
    if not code.startswith("qps"):
        assert Locale.parse(code).text_direction == direction


@pytest.mark.parametrize("code, script", [
    ("lt", "Latn"), ("ru", "Cyrl"), ("he", "Hebr"), ("yi", "Hebr"), ("ar", "Arab"),
    ("zh", "Hans"), ("zh_Hant", "Hant"), ("ja", "Jpan"), ("sr_Latn", "Latn"),
    ("qps", "Latn"), ("qps_XB", "Latn"),
])
def test_the_script_a_language_is_written_in(code, script):
    assert locales.script(code) == script


@pytest.mark.parametrize("code, hyphenated", [
    ("lt", True), ("ru", True), ("qps", True),
    # no dictionary
    ("la", False),
    # scripts written without hyphens at line ends, whatever dictionary exists
    ("he", False), ("yi", False), ("ar", False), ("zh", False), ("ja", False),
])
def test_hyphenation_only_where_a_language_has_it(code, hyphenated):
    assert locales.hyphenates(code) is hyphenated


@pytest.mark.parametrize("code, english, own", [
    ("lt", "Lithuanian", "lietuvių"), ("ru", "Russian", "русский"), ("la", "Latin", "Latina"),
    ("he", "Hebrew", "עברית"), ("yi", "Yiddish", "ייִדיש"), ("ar", "Arabic", "العربية"),
    ("zh_Hant", "Chinese (Traditional)", "中文 (繁體)"),
])
def test_the_names_of_languages(code, english, own):
    assert locales.language_name(code) == english
    assert locales.language_name(code, code) == own


def test_the_pseudo_locales_are_named_and_format_as_english():
    assert locales.language_name("qps") == "Pseudo-locale"
    assert locales.language_name("qps_XB") == "Pseudo-locale, right to left"
    assert str(locales.babel_locale("qps_XB")) == "en"
    assert str(locales.babel_locale("pt_BR")) == "pt_BR"
