"""Dates, counts and monument years found in an article, for `memorial-kit new`.

Dates under any infobox key and in the prose: "19 July 1953", "July 19, 1953",
"July 1941", "1941–1944", "July 1941 – August 1944".  Counts keep their qualifier
("about 254,000 deported"), casualty figures their source ("according to Markizov, 42
were killed").  Monument years come from unveiled / inaugurated / erected / opened /
restored.  Every number that is not taken is reported with the reason.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}
_MONTH = r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?P<{0}>1[0-9]\d\d|20\d\d)(?!\d)"
_DMY = rf"(?P<{{0}}d>\d{{{{1,2}}}})\s+{_MONTH.format('{0}m')}\s+{_YEAR.format('{0}y')}"
_MDY = rf"{_MONTH.format('{0}m')}\s+(?P<{{0}}d>\d{{{{1,2}}}}),?\s+{_YEAR.format('{0}y')}"
_MY = rf"{_MONTH.format('{0}m')}\s+{_YEAR.format('{0}y')}"


def _one(tag: str) -> str:
    return (f"(?:{_DMY.format(tag + 'a')}|{_MDY.format(tag + 'b')}|{_MY.format(tag + 'c')}"
            f"|(?<![\\d,.])(?P<{tag}y>1[0-9]\\d\\d|20\\d\\d)(?![\\d,]))")


_DASH = r"\s*(?:–|—|-|to|until|till)\s*"
_DATE_RE = re.compile(rf"(?<!\w)(?P<between>between\s+)?{_one('s')}"
                      rf"(?:(?(between)\s+and\s+|{_DASH}){_one('e')})?")
# Ranges that give the year (and month) once, at the end: "19 July – 1 August 1953",
# "14–17 June 1941", "July 19 – August 1, 1953", "June 14–17, 1941", "July – August 1944".
_M = _MONTH.format
_SHORT_RANGES = [
    (re.compile(rf"(?<!\w)(?P<d1>\d{{1,2}})\s+{_M('m1')}{_DASH}(?P<d2>\d{{1,2}})\s+{_M('m2')}"
                rf"\s+{_YEAR.format('y')}"), "day"),
    (re.compile(rf"(?<![\w,.])(?P<d1>\d{{1,2}})\s*(?:–|—|-)\s*(?P<d2>\d{{1,2}})\s+{_M('m2')}"
                rf"\s+{_YEAR.format('y')}"), "day"),
    (re.compile(rf"{_M('m1')}\s+(?P<d1>\d{{1,2}}){_DASH}{_M('m2')}\s+(?P<d2>\d{{1,2}}),?"
                rf"\s+{_YEAR.format('y')}"), "day"),
    (re.compile(rf"{_M('m2')}\s+(?P<d1>\d{{1,2}})\s*(?:–|—|-)\s*(?P<d2>\d{{1,2}}),?"
                rf"\s+{_YEAR.format('y')}"), "day"),
    (re.compile(rf"{_M('m1')}{_DASH}{_M('m2')}\s+{_YEAR.format('y')}"), "month"),
]


def _short_range(match: re.Match, precision: str) -> tuple[dt.date | None, dt.date | None]:
    g = match.groupdict()
    year = int(g["y"])
    second = g["m2"]
    first = g.get("m1") or second
    return (_date(year, first, g.get("d1") or "1"), _date(year, second, g.get("d2") or "1"))


# A day and month with no year ("19 July", "July 19"): part of a date, not a count.
_DAY_MONTH_RE = re.compile(rf"\b\d{{1,2}}\s+{_MONTH.format('m')}|{_MONTH.format('n')}\s+\d{{1,2}}\b")

QUALIFIERS = r"(?i:about|around|approximately|roughly|some|over|more than|nearly|almost|" \
             r"at least|up to|fewer than|less than|an estimated|estimated|c\.|circa|ca\.)"
_NUMBER = r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+(?![\d])|\d+(?:\.\d+)?)(?:\s+(?P<mult>million|thousand))?"
_COUNT_RE = re.compile(rf"(?:\b(?P<q>{QUALIFIERS})\s+)?{_NUMBER}"
                       rf"(?P<rest>(?:\s+of\s+(?:its|the|their|them|whom)(?:\s+[A-Za-z][\w'-]*)?|"
                       rf"(?:\s+(?!(?:in|on|at|of|and|to|from|by|the|a|{QUALIFIERS})\b)[A-Za-z][\w'-]*){{0,3}}))")
_CASUALTY = re.compile(r"\b(killed|dead|died|murdered|executed|shot|perished|massacred|"
                       r"lost their lives|victims)\b")
_SOURCE_RE = re.compile(r"\baccording to\s+(?P<s>[^,.;:()]{2,80}?)(?=\s*[,.;:()]|\s+(?:there|some|\d))", re.I)
_MONUMENT_EVENTS = re.compile(
    r"\b(unveiled|inaugurated|erected|opened|dedicated|restored|rebuilt|renovated|consecrated)\b"
    r"(?P<between>[^.;]{0,60}?)(?<!\d)(?P<year>1[5-9]\d\d|20\d\d)(?!\d)")
_ONE_OF = re.compile(r"\b(?:and|,)\s+(restored|rebuilt|renovated)\b[^.;]{0,40}?(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


@dataclass
class FoundDate:
    start: dt.date
    end: dt.date | None
    precision: str          # "day", "month" or "year"
    text: str
    line: int


@dataclass
class FoundCount:
    count: int
    qualifier: str
    what: str
    source: str
    text: str
    line: int

    @property
    def casualty(self) -> bool:
        return bool(_CASUALTY.search(self.what))


@dataclass
class FoundYear:
    event: str
    year: int
    text: str
    line: int


def find_dates(text: str, line: int) -> list[FoundDate]:
    out, taken = [], []
    for pattern, precision in _SHORT_RANGES:
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            start, end = _short_range(match, precision)
            if start and end and start <= end:
                out.append(FoundDate(start, end, precision, match[0], line))
                taken.append((match.start(), match.end()))
    for match in _DATE_RE.finditer(text):
        if any(a <= match.start() < b or a < match.end() <= b for a, b in taken):
            continue
        start, precision = _read(match, "s")
        end, _ = _read(match, "e")
        if start is None:
            continue
        if end is not None and end < start:
            end = None
        shown = match[0].removeprefix(match["between"] or "").strip()
        out.append(FoundDate(start, end, precision, shown, line))
    return out


def _read(match: re.Match, tag: str) -> tuple[dt.date | None, str]:
    g = match.groupdict()
    for form, precision in (("a", "day"), ("b", "day"), ("c", "month")):
        if g.get(f"{tag}{form}y"):
            day = g.get(f"{tag}{form}d") or "1"
            return _date(int(g[f"{tag}{form}y"]), g[f"{tag}{form}m"], day), precision
    if g.get(f"{tag}y"):
        return dt.date(int(g[f"{tag}y"]), 1, 1), "year"
    return None, ""


def _date(year: int, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(year, MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def find_counts(text: str, line: int) -> tuple[list[FoundCount], list[tuple[str, str]]]:
    """Counts in ``text``; and (number, why) for each number not taken."""
    dates = [(m.start(), m.end()) for m in _DATE_RE.finditer(text)]
    dates += [(m.start(), m.end()) for p, _ in _SHORT_RANGES for m in p.finditer(text)]
    dates += [(m.start(), m.end()) for m in _DAY_MONTH_RE.finditer(text)]
    found, skipped = [], []
    for match in _COUNT_RE.finditer(text):
        start = match.start("n")
        if any(a <= start < b for a, b in dates):
            if not match["q"]:
                continue                            # a date's day or year: dates are read apart
        digits = match["n"].replace(",", "")
        if "." in digits and not match["mult"]:
            skipped.append((match[0].strip(), "a decimal number, not a count"))
            continue
        number = round(float(digits) * {"million": 1_000_000, "thousand": 1000}.get(
            match["mult"] or "", 1))
        what = match["rest"].strip()
        if not what:
            skipped.append((match[0].strip(), "no word after it says what is counted"))
            continue
        if not match["q"] and "," not in match["n"] and not match["mult"] and number < 10:
            skipped.append((match[0].strip(), "a small number written as a figure (an ordinal "
                                              "or a name?)"))
            continue
        sentence = _sentence(text, match.start())
        source = _SOURCE_RE.search(sentence)
        found.append(FoundCount(number, (match["q"] or "").lower(), what,
                                source["s"].strip() if source else "", match[0].strip(), line))
    return found, skipped


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("; ", 0, at)) + 1
    end = text.find(". ", at)
    return text[start:end if end >= 0 else len(text)]


def find_monument_years(text: str, line: int) -> list[FoundYear]:
    out = []
    for match in _MONUMENT_EVENTS.finditer(text):
        if re.search(r"\b(unveiled|inaugurated|erected|opened|dedicated|restored|rebuilt|"
                     r"renovated|consecrated)\b", match["between"]):
            continue                                 # the year belongs to the nearer verb
        out.append(FoundYear(match[1].lower(), int(match["year"]), match[0], line))
    for match in _ONE_OF.finditer(text):
        if not any(y.year == int(match[2]) and y.event == match[1].lower() for y in out):
            out.append(FoundYear(match[1].lower(), int(match[2]), match[0], line))
    for pattern, event in ((r"\bsculpture[^.()]*?\((\d{4})\)", "sculpture"),
                           (r"\bdesign\s*\((\d{4})\)", "design")):
        for match in re.finditer(pattern, text, re.I):
            out.append(FoundYear(event, int(match[1]), match[0], line))
    return out
