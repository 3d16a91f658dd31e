"""Locale codes: validation and the few facts about languages the kit needs."""
from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from .errors import UsageError

# ll, lll, ll_CC, ll_Scrp; the pseudo-locales "qps" and "qps_XB" are the kit's own (see
# pseudo.py): the second is right to left and mirrored, as Android's ar-XB.
LOCALE_RE = re.compile(r"[a-z]{2,3}(?:_(?:[A-Z]{2}|[A-Z][a-z]{3}))?")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
PSEUDO_LOCALE = "qps"
PSEUDO_RTL_LOCALE = "qps_XB"
PSEUDO_LOCALES = (PSEUDO_LOCALE, PSEUDO_RTL_LOCALE)
# Scripts written without hyphens at line ends: a dictionary (Thai has one) is not used.
UNHYPHENATED_SCRIPTS = {"Hebr", "Arab", "Syrc", "Thaa", "Nkoo", "Thai", "Laoo", "Khmr", "Mymr",
                        "Hani", "Hans", "Hant", "Jpan", "Kore", "Hira", "Kana", "Hang", "Tibt"}


def is_valid_locale(code: str) -> bool:
    if not isinstance(code, str) or not LOCALE_RE.fullmatch(code):
        return False
    if code in PSEUDO_LOCALES:
        return True
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def check_locale(code: str, error=UsageError, **where) -> str:
    """Return ``code`` if it names a locale CLDR knows; raise ``error`` if not."""
    if not is_valid_locale(code):
        raise error(f"{code!r} is not a locale code the kit knows", **where,
                    hint="use a CLDR code such as 'lt', 'ru' or 'pt_BR'")
    return code


def check_slug(slug: str, error=UsageError, **where) -> str:
    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
        raise error(f"{slug!r} is not a memorial name", **where,
                    hint="memorial names are lower-case letters, digits and '-'")
    return slug


def babel_locale(code: str) -> Locale:
    """The Babel locale used for formatting; the pseudo-locale formats as English."""
    return Locale.parse("en" if code in PSEUDO_LOCALES else code)


def text_direction(code: str) -> str:
    """"rtl" or "ltr": how ``code`` is written, from CLDR (the mirrored pseudo-locale: rtl)."""
    if code == PSEUDO_RTL_LOCALE:
        return "rtl"
    return "rtl" if babel_locale(code).text_direction == "rtl" else "ltr"


def script(code: str) -> str:
    """The ISO 15924 script ``code`` is written in: its own, or CLDR's likely one."""
    from babel.core import get_global
    if code in PSEUDO_LOCALES:
        return "Latn"
    locale = babel_locale(code)
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(str(locale)) or \
        get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else "Latn"


def hyphenates(code: str) -> bool:
    """Whether text in ``code`` may be hyphenated: a pattern dictionary exists (pyphen,
    which WeasyPrint uses) and the script is one written with hyphens at line ends."""
    import pyphen
    if script(code) in UNHYPHENATED_SCRIPTS:
        return False
    return pyphen.language_fallback(str(babel_locale(code))) is not None


def language_name(code: str, in_locale: str = "en") -> str:
    if code == PSEUDO_LOCALE:
        return "Pseudo-locale"
    if code == PSEUDO_RTL_LOCALE:
        return "Pseudo-locale, right to left"
    return babel_locale(code).get_display_name(babel_locale(in_locale)) or code
