"""Locale codes: validation and the few facts about languages the kit needs."""
from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from .errors import UsageError

# ll, lll, ll_CC, ll_Scrp; the pseudo-locale "qps" is the kit's own (see pseudo.py).
LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:_(?:[A-Z]{2}|[A-Z][a-z]{3}))?$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
PSEUDO_LOCALE = "qps"


def is_valid_locale(code: str) -> bool:
    if not isinstance(code, str) or not LOCALE_RE.match(code):
        return False
    if code == PSEUDO_LOCALE:
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
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise error(f"{slug!r} is not a memorial name", **where,
                    hint="memorial names are lower-case letters, digits and '-'")
    return slug


def babel_locale(code: str) -> Locale:
    """The Babel locale used for formatting; the pseudo-locale formats as English."""
    return Locale.parse("en" if code == PSEUDO_LOCALE else code)


def language_name(code: str, in_locale: str = "en") -> str:
    if code == PSEUDO_LOCALE:
        return "Pseudo-locale"
    return babel_locale(code).get_display_name(babel_locale(in_locale)) or code
