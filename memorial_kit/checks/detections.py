"""Checks that read a translation as a reader would: invisible characters, length limits,
dates, carved texts quoted in running text, and omissions.

* ``invisible-character``: bidi controls and other format characters (Unicode category
  Cf) or control characters the source does not have, shown by code point;
* ``max-length``: longer than the entry's ``max-length:N`` flag (an error when more than
  twice over: no layout holds it), without laying anything out;
* ``date-changed``: a month named beside a day or a year that the source's dates do not
  have, the month names read in every form CLDR gives the language;
* ``inscription-quoted``: the source quotes a carved inscription and the translation
  does not hold it letter for letter;
* ``omission-sentences`` / ``omission-length``: fewer sentences than the source (a real
  segmenter that knows abbreviations), or under half the length the catalog's own
  ratio of translation to source length leads one to expect.
"""
from __future__ import annotations

import difflib
import functools
import re
import statistics
import unicodedata

from ..po import Entry
from .entries import EntryContext, pairs

# --------------------------------------------------------------------------
# Invisible characters
# --------------------------------------------------------------------------
_JOINERS = {"\u200c", "\u200d"}     # ZWNJ, ZWJ: spelling in Arabic, Persian, Indic scripts
_SPACED_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN")


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category == "Cf" or (category == "Cc" and ch not in "\n\t")


def _joiner_is_spelling(text: str, pos: int) -> bool:
    """A ZWNJ/ZWJ between two letters of a script that writes with it (not Latin etc.)."""
    if pos == 0 or pos + 1 >= len(text):
        return False
    around = (text[pos - 1], text[pos + 1])
    return all(ch.isalpha() and not unicodedata.name(ch, "").startswith(_SPACED_SCRIPTS)
               for ch in around)


def check_invisible(entry: Entry, ctx: EntryContext) -> list:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        if text.isprintable():          # no Cf or Cc character at all: the common case
            continue
        allowed = {ch for ch in source if _invisible(ch)}
        extra = []
        for pos, ch in enumerate(text):
            if not _invisible(ch) or ch in allowed:
                continue
            if ch in _JOINERS and _joiner_is_spelling(text, pos):
                continue
            extra.append((pos, ch))
        if extra:
            shown = ", ".join(dict.fromkeys(
                f"U+{ord(ch):04X} {unicodedata.name(ch, 'control')}" for _, ch in extra))
            out.append(ctx.finding(
                entry, "invisible-character",
                f"the translation{which} has {len(extra)} invisible character"
                f"{'s' if len(extra) > 1 else ''} the source does not: {shown} (first at "
                f"character {extra[0][0] + 1}); bidi controls reorder the printed text",
                "delete them: the kit sets the direction of every passage itself"))
    return out


# --------------------------------------------------------------------------
# Length limits without rendering
# --------------------------------------------------------------------------
_MAX_LENGTH_RE = re.compile(r"^max-length:(\d+)$")


def max_length(entry: Entry) -> int | None:
    for flag in entry.flags:
        match = _MAX_LENGTH_RE.match(flag)
        if match:
            return int(match.group(1))
    return None


def check_max_length(entry: Entry, ctx: EntryContext) -> list:
    limit = max_length(entry)
    if not limit:
        return []
    out = []
    for _, text, which, _ in pairs(entry, ctx):
        length = len(text)
        if length <= limit:
            continue
        far = length > 2 * limit
        out.append(ctx.finding(
            entry, "max-length",
            f"the translation{which} has {length} characters; the flag max-length:{limit} "
            f"says at most {limit} fit" + (" (more than twice over: it cannot fit)" if far
                                           else "; the fit check decides when it lays it out"),
            f"shorten it by about {length - limit} characters",
            severity="error" if far else "warning"))
    return out


# --------------------------------------------------------------------------
# Dates: day and month, read in each language's month names
# --------------------------------------------------------------------------
_NEAR = 9           # characters either side of a month name where its day or year may be
_DATE_NUMBER_RE = re.compile(r"(?<!\d)(?:[1-9]|[012]\d|3[01]|1\d{3}|2\d{3})(?!\d)")


@functools.lru_cache(maxsize=64)
def month_names(locale: str) -> tuple[dict, re.Pattern | None]:
    """form (casefolded) -> month number, from every form CLDR has for ``locale`` (format
    and stand-alone, wide and abbreviated: genitive and nominative where they differ),
    and a pattern that finds them as whole words."""
    from ..locales import babel_locale
    try:
        months = babel_locale(locale).months
    except Exception:  # noqa: BLE001 - a locale Babel does not know has no month names
        return {}, None
    forms: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in (months.get(context, {}).get(width) or {}).items():
                name = unicodedata.normalize("NFC", name).casefold().rstrip(".")
                if len(name) >= 2 or not name.isalpha():
                    forms.setdefault(name, number)
    if not forms:
        return {}, None
    alternatives = "|".join(_whole(f) for f in sorted(forms, key=len, reverse=True))
    return forms, re.compile(alternatives)


@functools.lru_cache(maxsize=64)
def _any_month_name(locale: str) -> re.Pattern | None:
    """A pattern that finds any of ``locale``'s month names, whole word or not: it has no
    look-around first, so the engine skips to where one may begin (a text that has none,
    most of a catalog, is read once, not once per month name)."""
    forms, _ = month_names(locale)
    return re.compile("|".join(map(re.escape, forms))) if forms else None


def _unspaced(ch: str) -> bool:
    """A character of a script written without spaces between words (CJK, Thai...)."""
    return (unicodedata.east_asian_width(ch) in ("W", "F")
            or unicodedata.name(ch, "").startswith(("THAI", "LAO", "KHMER", "MYANMAR")))


def _whole(form: str) -> str:
    """``form`` as a pattern that matches a whole word (in a script with spaces) or a whole
    number ("7月" is not in "17月")."""
    def edge(ch: str, look: str) -> str:
        if ch.isdigit():
            return f"(?{look}\\d)"
        if ch.isalpha() and not _unspaced(ch):
            return f"(?{look}[^\\W\\d_])"
        return ""
    return edge(form[0], "<!") + re.escape(form) + edge(form[-1], "!")


def dated_months(text: str, locale: str) -> list[tuple[int, str]]:
    """(month, as written) of each month name standing beside a day or a year in ``text``."""
    forms, pattern = month_names(locale)
    if pattern is None:
        return []
    folded = unicodedata.normalize("NFC", text).casefold()
    if not _any_month_name(locale).search(folded):
        return []
    found = []
    for match in pattern.finditer(folded):
        before = folded[max(0, match.start() - _NEAR):match.start()]
        after = folded[match.end():match.end() + _NEAR]
        if _DATE_NUMBER_RE.search(before) or _DATE_NUMBER_RE.search(after):
            found.append((forms[match.group()], match.group()))
    return found


def check_dates(entry: Entry, ctx: EntryContext) -> list:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        wanted = dated_months(source, ctx.source_locale)
        if not wanted:
            continue
        months = {month for month, _ in wanted}
        changed = [(month, word) for month, word in dated_months(text, ctx.locale)
                   if month not in months]
        if changed:
            month, word = changed[0]
            source_words = ", ".join(dict.fromkeys(word for _, word in wanted))
            out.append(ctx.finding(
                entry, "date-changed",
                f"the translation{which} dates something in month {month} ({word!r}); the "
                f"source's dates are in {source_words} only",
                "check the date against the source: the month must be the same"))
    return out


# --------------------------------------------------------------------------
# Carved texts quoted anywhere
# --------------------------------------------------------------------------
def check_quoted_inscriptions(entry: Entry, ctx: EntryContext) -> list:
    """Wherever the source quotes a carved text, the translation holds it letter for letter."""
    if not ctx.inscriptions:
        return []
    from .catalog import describe_difference
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        source = unicodedata.normalize("NFC", source)
        found = unicodedata.normalize("NFC", text)
        for carved, where in ctx.inscriptions:
            if carved not in source or carved in found:
                continue
            closest = _closest(carved, found)
            detail = (f"it has {closest!r}: {describe_difference(carved, closest)}" if closest
                      else "it does not quote it")
            out.append(ctx.finding(
                entry, "inscription-quoted",
                f"the source quotes the inscription carved on {where}, {carved!r}; the "
                f"translation{which} must hold it letter for letter, but {detail}",
                f"copy the carved text letter for letter: {carved!r}"))
    return out


def _closest(carved: str, text: str) -> str | None:
    """The stretch of ``text`` most like ``carved`` (None: nothing alike)."""
    best, best_ratio = None, 0.6
    size = len(carved)
    for width in (size - 1, size, size + 1):
        for start in range(0, max(1, len(text) - width + 1)):
            window = text[start:start + width]
            matcher = difflib.SequenceMatcher(None, carved, window, autojunk=False)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = (start, start + width), ratio
    if best is None:
        return None
    start, end = best           # whole words: a changed letter at the edge is shown changed
    while start > 0 and text[start - 1].isalpha() and text[start].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha() and text[end - 1].isalpha():
        end += 1
    return text[start:end]


# --------------------------------------------------------------------------
# Omissions: sentences and length
# --------------------------------------------------------------------------
_MIN_SOURCE = 40        # characters: shorter texts vary too much in length to judge
_MIN_SAMPLE = 5         # entries a catalog needs before its own ratio is trusted
_SENTENCE_END_RE = re.compile(r"[.!?…。！？]")


@functools.lru_cache(maxsize=32)
def _segmenter(language: str):
    import pysbd
    known = pysbd.languages.LANGUAGE_CODES
    return pysbd.Segmenter(language=language if language in known else "en", clean=False)


def sentences(text: str, language: str) -> list[str]:
    """The sentences of ``text``: pysbd's rules for the language, which know its
    abbreviations (a "sentence" that begins in lower case is not one); for a language
    pysbd lacks, :func:`split_sentences`."""
    if len(_SENTENCE_END_RE.findall(text)) < 2:
        return [text] if text.strip() else []
    return list(_split_cached(text, language))


@functools.lru_cache(maxsize=4096)
def _split_cached(text: str, language: str) -> tuple[str, ...]:
    """Each text split once per process: every locale's catalog has the same source texts,
    and pysbd takes about a millisecond a text."""
    import pysbd
    if language not in pysbd.languages.LANGUAGE_CODES:
        return tuple(split_sentences(text))
    out: list[str] = []
    for piece in _segmenter(language).segment(text):
        if not piece.strip():
            continue
        if out and piece.lstrip()[:1].islower():
            out[-1] += piece
        else:
            out.append(piece)
    return tuple(out)


_END_RE = re.compile(r"[.!?…]+[\"'”“»›)\]]*(?=\s)|[。！？]+")
_OPENING = "\"'“„«‹(["


def split_sentences(text: str) -> list[str]:
    """Sentences in any script: an end mark, then a sentence that begins with a digit or a
    letter that is not lower case (scripts without case: any letter); not after an
    abbreviation pysbd would know in its languages: a word of one or two lower-case letters
    ("1953 m.", "31 d.", "t. y."), one capital (an initial, "H."), or a short word before a
    number ("Nr. 6")."""
    out, start = [], 0
    for match in _END_RE.finditer(text):
        rest = text[match.end():].lstrip().lstrip(_OPENING)
        if not rest:
            break
        if match.group()[0] in ".!?…":
            if not rest[0].isalnum() or rest[0].islower():
                continue
            words = text[start:match.start()].split()
            last = words[-1].lstrip(_OPENING) if words else ""
            if match.group()[0] == "." and last.isalpha() and (
                    len(last) == 1 or (len(last) == 2 and last.islower())
                    or (len(last) <= 3 and rest[0].isdigit())):     # "Nr. 6", "No. 29"
                continue
        out.append(text[start:match.end()])
        start = match.end()
    out.append(text[start:])
    return [piece for piece in out if piece.strip()]


def _plain_entries(entries) -> list[Entry]:
    return [e for e in entries if e.translated and e.msgid_plural is None
            and len(e.msgid) >= _MIN_SOURCE]


def check_omissions(entries, ctx: EntryContext) -> list:
    """Per entry: sentences dropped (a warning) and a translation under half the length
    this catalog's translations usually have (an error)."""
    candidates = [e for e in _plain_entries(entries) if e.key not in ctx.carved]
    ratios = [len(e.msgstr) / len(e.msgid) for e in candidates]
    typical = statistics.median(ratios) if len(ratios) >= _MIN_SAMPLE else None
    out = []
    for entry in candidates:
        expected = typical * len(entry.msgid) if typical else None
        if expected and len(entry.msgstr) < expected / 2:
            out.append(ctx.finding(
                entry, "omission-length",
                f"the translation has {len(entry.msgstr)} characters where this catalog's "
                f"translations would have about {round(expected)} (its median ratio to the "
                f"source, {typical:.2f}); under half of that, part of the text is missing",
                "translate the whole source text"))
            continue
        source = sentences(entry.msgid, ctx.source_language)
        if len(source) < 2:
            continue
        found = sentences(entry.msgstr, ctx.language)
        if len(found) < len(source):
            out.append(ctx.finding(
                entry, "omission-sentences",
                f"the source has {len(source)} sentences, the translation {len(found)}: "
                f"is a sentence missing? (the source's sentences begin "
                + ", ".join(repr(" ".join(s.split()[:3])) for s in source) + ")",
                "translate every sentence (joining two is fine if nothing is lost)"))
    return out


ENTRY_DETECTIONS = (check_invisible, check_max_length, check_dates, check_quoted_inscriptions)


def detect(entry: Entry, ctx: EntryContext) -> list:
    """Every detection of this module on one translated entry."""
    out = []
    for check in ENTRY_DETECTIONS:
        out.extend(check(entry, ctx))
    return out
