"""Numbers in running text, read the way any of the edition's languages writes them.

``62,700``, ``62 700``, ``62.700``, ``62\\u00a0700`` and ``62\\u202f700`` are all
62700; a year (``1953``) is four digits, never grouped.  Placeholders
(``{strikers}``, ``%(year)s``), markup and entities are not numbers.  A source
number may come back as a Roman numeral (Latin ``MCMLIII``), and a number the
translation spells in digits where the English source spelled a word (``two
weeks`` -> ``2``, ``July`` -> ``07``) is not an added fact.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import placeholders

MARKUP_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"
                       r"|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")

# Group separators: comma, full stop, space, no-break space, narrow no-break space,
# thin space, apostrophes (Swiss).  A group is exactly three digits.
_SEP = "[,.\u00a0\u202f\u2009 '\u2019]"
NUMBER_RE = re.compile(
    rf"(?<!\d)(?P<grouped>\d{{1,3}}(?:{_SEP}\d{{3}})+)(?![\d])"
    r"|(?<!\d)(?P<plain>\d+(?:[.,]\d+)?)(?!\d)")
ROMAN_RE = re.compile(r"(?<![^\W\d_])[IVXLCDM]+(?![^\W\d_])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_STRICT = re.compile(r"^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# English words whose number a translation may write in digits.
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "hundred": 100, "thousand": 1000, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "once": 1, "twice": 2, "single": 1, "both": 2, "dozen": 12, "week": 7, "weeks": 7,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_WORD_RE = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Number:
    value: Decimal
    text: str           # as written
    start: int


def strip_placeholders(text: str, percent: bool = True) -> str:
    """``text`` with placeholders, markup and entities blanked out (same length)."""
    blank = lambda m: " " * len(m.group())  # noqa: E731
    return MARKUP_RE.sub(blank, placeholders.blank(text, percent))


def _value(digits: str) -> Decimal | None:
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def numbers(text: str, percent: bool = True) -> list[Number]:
    """Every number in ``text``, grouping and decimal commas understood."""
    clean = strip_placeholders(text, percent)
    out = []
    for match in NUMBER_RE.finditer(clean):
        raw = match.group()
        if match.group("grouped"):
            value = _value(re.sub(r"\D", "", raw))
        else:
            value = _value(raw.replace(",", "."))
        if value is not None:
            out.append(Number(value.normalize() if value % 1 else Decimal(int(value)),
                              raw, match.start()))
    return out


def split_groups(number: Number) -> list[Number]:
    """``42 135`` read as two numbers (a space-grouped match may be two side by side)."""
    parts = re.split(r"[ \u00a0\u202f\u2009]", number.text)
    if len(parts) < 2:
        return [number]
    out, offset = [], number.start
    for part in parts:
        digits = re.sub(r"\D", "", part)
        out.append(Number(Decimal(int(digits)), part, offset))
        offset += len(part) + 1
    return out


def roman_values(text: str) -> set[Decimal]:
    """Values of the Roman numerals (upper case, well-formed) in ``text``."""
    values = set()
    for match in ROMAN_RE.finditer(text):
        token = match.group()
        if not _ROMAN_STRICT.match(token):
            continue
        total = 0
        for i, ch in enumerate(token):
            value = _ROMAN_VALUES[ch]
            nxt = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
            total += -value if value < nxt else value
        if total > 0:
            values.add(Decimal(total))
    return values


def word_values(text: str) -> set[Decimal]:
    """Numbers the English ``text`` spells as words (or months)."""
    return {Decimal(_WORD_NUMBERS[w.lower()]) for w in _WORD_RE.findall(text)
            if w.lower() in _WORD_NUMBERS}


def show(value: Decimal) -> str:
    text = format(value, "f")
    return text


@dataclass
class NumberDiff:
    changed: list[tuple[Number, Number]]       # (source, translation) pairs
    missing: list[Number]                      # source numbers not in the translation
    added: list[Number]                        # translation numbers not in the source


def compare(source: str, translation: str, percent: bool = True) -> NumberDiff:
    """Which numbers of ``source`` ``translation`` lacks, and which it adds."""
    src = numbers(source, percent)
    dst = numbers(translation, percent)
    src_values = {n.value for n in src}
    # A space-grouped pair whose halves are both source numbers is two numbers.
    expanded = []
    for number in dst:
        if number.value not in src_values:
            parts = split_groups(number)
            if len(parts) > 1 and all(p.value in src_values for p in parts):
                expanded.extend(parts)
                continue
        expanded.append(number)
    dst = expanded
    dst_values = {n.value for n in dst} | roman_values(strip_placeholders(translation, percent))
    seen: set[Decimal] = set()
    missing = []
    for number in src:
        if number.value not in dst_values and number.value not in seen:
            seen.add(number.value)
            missing.append(number)
    optional = word_values(strip_placeholders(source, percent))
    seen = set()
    added = []
    for number in dst:
        if number.value not in src_values and number.value not in optional \
                and number.value not in seen:
            seen.add(number.value)
            added.append(number)
    # A source number and an added one of the same size are one number changed.
    changed = []
    if len(missing) == 1 and len(added) == 1:
        return NumberDiff([(missing[0], added[0])], [], [])
    for number in list(missing):
        same = [n for n in added if _size(n.value) == _size(number.value)]
        if same:
            closest = min(same, key=lambda n: abs(n.value - number.value))
            changed.append((number, closest))
            missing.remove(number)
            added.remove(closest)
    return NumberDiff(changed, missing, added)


def _size(value: Decimal) -> int:
    return len(str(abs(int(value))))
