"""One language of a page: its catalogs' texts, its direction and its formats.

A :class:`Lang` looks a message up in its locale's catalogs (the memorial's and the
templates'), prints the source text instead (marked, and recorded as a fallback) when
the translation is missing, fuzzy or held back by the verdict, and formats numbers,
dates, periods and lists in the language's conventions (Babel, CLDR).  Its direction
(``dir``) and hyphenation come from the language, never from a template.

Untrusted text stays text: translations are escaped before placeholders are filled,
each filled value is bidi-isolated (``<bdi>``) wherever isolation can matter, and
placeholders are plain ``{name}`` and ``%(name)s`` substitutions, never ``str.format``
(whose attribute access a translation could abuse).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list
from markupsafe import Markup, escape

from . import placeholders
from .errors import RenderError
from .locales import babel_locale, hyphenates, language_name, text_direction
from .memorial import Fact, Memorial
from .translations import Translations, load_translations
from .workspace import TEMPLATE_DOMAIN, Workspace



@dataclass
class Fallback:
    """A message printed in the source language: its translation is missing, fuzzy, or
    has a finding of error severity (``findings``: the verdict's lines for it)."""
    locale: str
    domain: str
    msgctxt: str | None
    msgid: str
    findings: tuple = ()

    @property
    def erroneous(self) -> bool:
        return bool(self.findings)


class Passage(Markup):
    """A translated text for the page's body (HTML, a fallback wrapped in a ``lang`` span)
    that also knows its plain text: attribute values, CSS strings and metadata take
    :attr:`plain` (through :func:`plain_text`, the ``plain`` filter), never the HTML."""

    def __new__(cls, html, plain: str = ""):
        passage = super().__new__(cls, html)
        passage.plain = plain
        return passage


def plain_text(value) -> str:
    """``value`` for a context that is not HTML body text: a :class:`Passage`'s plain text,
    other markup's text content, anything else as a string."""
    if isinstance(value, Passage):
        return value.plain
    if isinstance(value, Markup):
        return value.striptags()
    return str(value)


class Lang:
    """Translations and formatters of one locale, as templates and context see them.

    ``verdicts``: domain -> the verdict of this locale's catalog of that domain (see
    :mod:`.verdict`); a message with a finding of error severity is never printed: it is
    recorded as a fallback with its findings, and the source text stands in for it.
    """

    def __init__(self, code: str, memorial_tr: Translations, template_tr: Translations,
                 source_locale: str, allow_fallback: bool, verdicts: dict | None = None):
        self.code = code
        self.name = language_name(code, code)
        self.locale = babel_locale(code)
        self.dir = text_direction(code)          # "rtl" or "ltr", from CLDR
        self.hyphens = "auto" if hyphenates(code) else "manual"
        self.source_locale = source_locale
        self._memorial, self._templates = memorial_tr, template_tr
        self.allow_fallback = allow_fallback
        self.verdicts = verdicts or {}
        self.fallbacks: list[Fallback] = []
        self._facts: dict[tuple, str] = {}

    # -- lookups ----------------------------------------------------------
    def blocking(self, domain: str, msgctxt, msgid) -> tuple:
        """The error findings (as lines) that keep the message from print, if any."""
        verdict = self.verdicts.get(domain)
        return () if verdict is None else verdict.blocking((msgctxt, msgid))

    def _resolve(self, translations: Translations, msgctxt, msgid, plural=None, n=None):
        if plural is None:
            text = translations.lookup(msgctxt, msgid)
        else:
            text = translations.lookup_plural(msgctxt, msgid, plural, n)
        # an untranslated entry may have errors too (a carved text missing from its entry)
        findings = self.blocking(translations.domain, msgctxt, msgid)
        if text is not None and not findings:
            return text, False
        self.fallbacks.append(Fallback(self.code, translations.domain, msgctxt, msgid,
                                       findings))
        return (msgid if plural is None or n == 1 else plural), True

    def _mark(self, text, fell_back: bool, plain: str | None = None) -> Passage:
        """Escape; a fallback is marked as source-language text for hyphenation and readers."""
        html = text if isinstance(text, Markup) else escape(text)
        plain = plain_text(text) if plain is None else plain
        if fell_back:
            source_dir = text_direction(self.source_locale)
            direction = Markup(' dir="%s"') % source_dir if source_dir != self.dir else ""
            html = Markup('<span lang="%s"%s class="fallback">%s</span>') % (
                self.source_locale, direction, html)
        return Passage(html, plain)

    def _ltr(self, fell_back: bool) -> bool:
        """Whether a text is printed left to right on a left-to-right page."""
        return self.dir == "ltr" and (not fell_back or text_direction(self.source_locale) == "ltr")

    def text(self, msgid: str, msgctxt: str | None = None) -> Passage:
        """A memorial-domain text."""
        return self._mark(*self._resolve(self._memorial, msgctxt, msgid))

    def raw_text(self, msgid: str, msgctxt: str | None = None) -> str:
        """A memorial-domain text as plain str (for metadata); records fallbacks too."""
        return self._resolve(self._memorial, msgctxt, msgid)[0]

    def caption(self, msgid: str, msgctxt: str, facts: list[Fact]) -> Passage:
        """A translated caption with its {facts} filled in this language's formats."""
        text, fell_back = self._resolve(self._memorial, msgctxt, msgid)
        values = {f.name: self.fact(f) for f in facts}
        with _at_entry(self._memorial, msgctxt, msgid):
            return self._mark(fill_placeholders(text, values, ltr=self._ltr(fell_back)), fell_back,
                              fill_placeholders(text, values, plain=True))

    def carved(self, msgctxt: str, gloss: str) -> tuple:
        """The error findings of this (carved) language's entry that holds a carved text,
        if it holds one: a catalog that says something else than the stone stops every
        product showing the stone, unless built with fallback (the stone's text is printed
        either way).  Recorded as a fallback of this language."""
        if self._memorial.is_source or not self._memorial.holds(msgctxt, gloss):
            return ()
        verdict = self.verdicts.get(self._memorial.domain)
        # the entry's own errors: what else is wrong with that catalog is its products' matter
        findings = () if verdict is None else verdict.errors.get((msgctxt, gloss), ())
        if findings:
            self.fallbacks.append(Fallback(self.code, self._memorial.domain, msgctxt, gloss,
                                           findings))
        return findings

    # new-style gettext for the template domain: escaped, then %-formatted
    def gettext(self, message: str, **variables) -> Passage:
        return self.npgettext(None, message, None, None, **variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables) -> Passage:
        return self.npgettext(None, singular, plural, num, **variables)

    def pgettext(self, context: str, message: str, **variables) -> Passage:
        return self.npgettext(context, message, None, None, **variables)

    def npgettext(self, context, singular: str, plural, num, **variables) -> Passage:
        if plural is not None:
            variables.setdefault("num", self.number(num))
        text, fell_back = self._resolve(self._templates, context, singular, plural, num)
        with _at_entry(self._templates, context, singular):
            return self._mark(_percent(text, variables, singular, ltr=self._ltr(fell_back)),
                              fell_back,
                              _percent(text, variables, singular, plain=True))

    # -- formats ----------------------------------------------------------
    def number(self, value: int | float) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return babel_numbers.format_percent(value, locale=self.locale)

    def date(self, value: dt.date) -> str:
        return babel_dates.format_skeleton("yMMMMd", value, locale=self.locale)

    def month_year(self, value: dt.date) -> str:
        return babel_dates.format_skeleton("yMMMM", value, locale=self.locale)

    def period(self, start: dt.date, end: dt.date) -> str:
        """A date interval that reads naturally: the year written once, where the language puts it."""
        if start.year != end.year:
            return f"{self.date(start)} \u2013 {self.date(end)}"
        day_month = lambda d: babel_dates.format_skeleton("MMMMd", d, locale=self.locale)  # noqa: E731
        if self._year_first():
            return f"{self.date(start)} \u2013 {day_month(end)}"
        return f"{day_month(start)} \u2013 {self.date(end)}"

    def _year_first(self) -> bool:
        sample = babel_dates.format_skeleton("yMMMMd", dt.date(1999, 12, 25), locale=self.locale)
        return sample.find("1999") < sample.find("25")

    def list(self, items: list[str]) -> str:
        return format_list(list(items), locale=self.locale)

    def fact(self, fact: Fact) -> str:
        """``fact``'s value in this language's format (worked out once per value: a label set
        repeats its dates and counts on many cards)."""
        key = (fact.format, type(fact.value), fact.value)
        if key not in self._facts:
            self._facts[key] = self._format_fact(fact)
        return self._facts[key]

    def _format_fact(self, fact: Fact) -> str:
        value = fact.value
        if fact.format == "period":
            return self.period(*value)
        if fact.format == "year":
            return str(value)
        if fact.format == "month-year":
            return self.month_year(value)
        if fact.format == "date":
            return self.date(value)
        if fact.format == "number":
            return self.number(value)
        return str(value)


@contextlib.contextmanager
def _at_entry(translations: Translations, msgctxt, msgid):
    """A translation that cannot be filled in: the error names its .po file and line."""
    try:
        yield
    except RenderError as exc:
        path, line = translations.where(msgctxt, msgid)
        if exc.path is not None or path is None:
            raise
        raise RenderError(exc.message, path=path, line=line, hint=exc.hint) from None


def _fillers(text: str, values: dict, plain: bool, ltr: bool):
    """How a text's literal parts and its values go in: as plain text, or escaped and
    isolated where :class:`Isolation` says."""
    if plain:
        return str, plain_text
    isolation = Isolation(ltr, text, values.values())
    return isolation.literal, isolation.value


def _percent(text: str, variables: dict, msgid: str, plain: bool = False, ltr: bool = False):
    """New-style gettext: the escaped translation with each %(name)s replaced (``plain``:
    the text with each value's plain text, for contexts that are not HTML body; ``ltr``:
    the text is printed on a left-to-right line, see :class:`Isolation`).

    Only plain %(name)s of the given variables and %% are accepted: a width or a
    precision in a translation (%(page)2000000s) could pad a page to gigabytes.
    """
    literal, value = _fillers(text, variables, plain, ltr)
    try:
        pieces = placeholders.fill_percent(text, variables, literal=literal, value=value)
    except placeholders.Unfillable:
        raise RenderError(
            f"the translation of {msgid!r} has a placeholder the kit cannot fill: {text!r}",
            hint="keep the placeholders of the English exactly, e.g. %(year)s") from None
    return "".join(pieces) if plain else Markup("").join(pieces)


def isolated(value) -> Markup:
    """A filled-in value (a number, a date, a name), escaped and bidi-isolated: in a page of
    either direction it never reorders with the words around it (``<bdi>``)."""
    html = value if isinstance(value, Markup) else escape(value)
    return Markup("<bdi>%s</bdi>") % html


# Bidi classes that can make the Unicode bidi algorithm (UAX #9) reorder a line: right-to-left
# letters, Arabic digits and the directional controls; and the blocks they are found in (a
# search of a few ranges, not a look-up per character; a test holds them to unicodedata).
BIDI_ACTIVE = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI",
                         "FSI", "PDI"})
BIDI_ACTIVE_RE = re.compile("[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff"
                            "\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _bidi_inert(text: str) -> bool:
    return BIDI_ACTIVE_RE.search(text) is None


def _has_ltr_letter(text: str) -> bool:
    return any(unicodedata.bidirectional(char) == "L" for char in text)


class Isolation:
    """How one text's values are filled in: each isolated in ``<bdi>``, except where
    isolation cannot change the order a reader sees.

    On a left-to-right line whose text and values hold no right-to-left letter, Arabic
    digit or directional control, a value that follows a left-to-right letter resolves
    left to right with or without isolation (UAX #9: its digits take the letter's
    direction by rule W7, its neutrals the line's by N1-N2), so it goes in as text:
    the same page, with an inline box fewer for the printer to lay out per value.  A
    value first in its text, or any value of a text or line with right-to-left content,
    stays isolated.
    """

    def __init__(self, ltr: bool, text: str, values):
        self.inert = ltr and _bidi_inert(text) and all(_bidi_inert(plain_text(v)) for v in values)
        self.after_letter = False

    def literal(self, part: str) -> Markup:
        self.after_letter = self.after_letter or (self.inert and _has_ltr_letter(part))
        return escape(part)

    def value(self, value) -> Markup:
        if not self.after_letter:
            return isolated(value)
        return value if isinstance(value, Markup) else escape(value)


def isolated_alone(value, direction: str) -> Markup:
    """A value that is the whole text of its block (``direction``: the block's, "ltr" or
    "rtl"; a date as a timeline's term), isolated as :func:`isolated` does where
    isolation can matter.

    Alone in its block, a value has only the block's edges around it (UAX #9's sos and
    eos), which take the block's direction.  In a left-to-right block, a value with no
    right-to-left letter, Arabic digit or directional control resolves left to right
    with or without the isolate (whose direction, found in the value, is left to right
    too), so it goes in as text: the same page, an inline box fewer to lay out.  In a
    right-to-left block, or with any such character, it stays isolated.
    """
    if direction == "ltr" and _bidi_inert(plain_text(value)):
        return escape(value)            # Markup as it is, text escaped
    return isolated(value)


def fill_placeholders(text, values: dict, plain: bool = False, ltr: bool = False):
    """Escape ``text`` and replace each ``{name}`` with its escaped, bidi-isolated value
    (``plain``: no escaping nor isolating, for contexts that are not HTML body; ``ltr``:
    the text is printed on a left-to-right line, see :class:`Isolation`).

    Only plain names are placeholders: a translation cannot reach attributes or
    indexes of the values, and an unknown name is an error, not a blank.
    """
    literal, value = _fillers(text, values, plain, ltr)
    try:
        pieces = placeholders.fill_braces(text, values, literal=literal, value=value)
    except placeholders.Unfillable as exc:
        if not exc.stray:
            raise RenderError(f"unknown placeholder {exc.token} in {text!r}") from None
        raise RenderError(f"stray brace in {text!r}",
                          hint="a placeholder is a name in braces, e.g. {strikers}") from None
    return "".join(pieces) if plain else Markup("").join(pieces)


def make_lang(ws: Workspace, memorial: Memorial, code: str, allow_fallback=False,
              verdicts: dict | None = None) -> Lang:
    """``code``'s Lang; ``verdicts``: domain -> verdict of its catalogs (none: nothing is
    held back)."""
    return Lang(code,
                load_translations(ws, code, memorial.domain, memorial.source_locale),
                load_translations(ws, code, TEMPLATE_DOMAIN, memorial.source_locale),
                memorial.source_locale, allow_fallback, verdicts)


