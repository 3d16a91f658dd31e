"""The seed article: plain text in a small wiki-like format -> :class:`Article`.

Format (one construct per line, blank lines separate blocks)::

    = Title =
    Infobox
    - Key: Value
    ==Section==
    A paragraph (consecutive non-blank lines are one paragraph).
    - A list item

Every block keeps the 1-based line it starts on, so catalogs can point
translators back at the source and errors can say where they are.  Remnants of
wiki markup are cleaned, and each cleaning and each suspicious spot is
reported as a :class:`SourceFinding`; nothing is skipped silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import SourceError

# The largest article the kit reads: many times Wikipedia's longest.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024


# The line forms are matched with str methods, not regular expressions: patterns
# such as ``^-\s+(\S.*?)\s*$`` take time quadratic in a run of spaces, and an
# article line of a million spaces would hang the kit for an hour.

def _title_text(line: str) -> str | None:
    """``= Title =`` (``line`` stripped) -> "Title"; None if it is not a title."""
    if len(line) >= 2 and line[0] == "=" and line[-1] == "=":
        text = line[1:-1].strip()
        if text and text[0] != "=":
            return text
    return None


def _heading_text(line: str) -> str | None:
    """``==Heading==`` (``line`` stripped) -> "Heading"; None if it is not one."""
    if len(line) >= 4 and line.startswith("==") and line.endswith("=="):
        text = line[2:-2].strip()
        if text and text[0] != "=":
            return text
    return None


def _item_text(line: str) -> str | None:
    """``- text`` (``line`` stripped) -> "text"; None if it is not a list item."""
    if len(line) >= 2 and line[0] == "-" and line[1].isspace():
        return line[1:].strip() or None
    return None


def _infobox_field(line: str) -> tuple[str, str] | None:
    """``- Key: Value`` -> ("Key", "Value"); None if the line is not a field."""
    if len(line) >= 2 and line[0] == "-" and line[1].isspace():
        key, colon, value = line[1:].partition(":")
        if colon and key.strip():
            return key.strip(), value.strip()
    return None


@dataclass(frozen=True)
class SourceFinding:
    """Something in the source a curator should know about."""
    code: str
    path: str
    line: int
    message: str
    severity: str = "warning"
    text: str = ""


@dataclass
class Block:
    kind: str          # "paragraph" or "item"
    text: str          # cleaned text
    line: int          # 1-based line of the block's first line
    raw: str = ""      # text as written in the seed


@dataclass
class InfoboxField:
    key: str
    value: str
    line: int
    raw: str = ""


@dataclass
class Section:
    heading: str
    line: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def items(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "item"]


@dataclass
class Article:
    path: str
    title: str
    title_line: int
    infobox: list[InfoboxField]
    lead: list[Block]
    sections: list[Section]
    findings: list[SourceFinding]
    text: str = ""          # the seed exactly as read (for verbatim look-ups)

    def infobox_value(self, key: str) -> InfoboxField | None:
        return next((f for f in self.infobox if f.key == key), None)

    def section(self, heading: str) -> Section | None:
        return next((s for s in self.sections if s.heading == heading), None)

    def blocks(self) -> list[Block]:
        """Every paragraph and item in reading order."""
        out = list(self.lead)
        for section in self.sections:
            out.extend(section.blocks)
        return out

    def find_verbatim(self, text: str) -> int | None:
        """1-based line where ``text`` occurs verbatim in the seed, or None."""
        offset = self.text.find(text)
        if offset < 0:
            return None
        return self.text.count("\n", 0, offset) + 1


def read_article(path, shown: str | None = None) -> Article:
    """Read and parse a seed article file (UTF-8, BOM and CRLF tolerated).

    ``shown`` is the path errors and findings name (default: ``path`` as given).
    """
    shown = str(path) if shown is None else shown
    return parse_article(decode_text(read_source(path, shown), shown, SourceError), shown)


def read_source(path, shown: str) -> bytes:
    """An article's bytes, read with a bound (a wrong path such as /dev/zero never ends)."""
    from .fsutil import ReadError, read_bounded
    try:
        return read_bounded(path, MAX_ARTICLE_BYTES, shown)
    except ReadError as exc:
        raise SourceError(exc.message.replace("no such file", "article file not found"),
                          path=shown, hint=exc.hint) from None


def decode_text(data: bytes, path: str, error=SourceError) -> str:
    """Decode UTF-8 text, tolerating a BOM and CRLF; errors name the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise error("NUL byte in text file", path=path, line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
                    hint="save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_article(text: str, path: str = "<article>") -> Article:
    return _Parser(text, path).parse()


class _Parser:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.lines = text.split("\n")
        self.findings: list[SourceFinding] = []

    def error(self, message: str, line: int, hint: str | None = None):
        return SourceError(message, path=self.path, line=line, hint=hint,
                           text=self.lines[line - 1] if 0 < line <= len(self.lines) else None)

    def parse(self) -> Article:
        groups = self._groups()
        if not groups:
            raise self.error("the article is empty", 1, hint="the first line must be '= Title ='")
        title, title_line = self._title(groups.pop(0))
        infobox: list[InfoboxField] = []
        if groups and groups[0][0][1].strip() == "Infobox":
            infobox = self._infobox(groups.pop(0))
        lead: list[Block] = []
        sections: list[Section] = []
        for group in groups:
            for number, line in group:
                self._line(number, line, lead, sections)
        self._check_not_empty(title, title_line, lead, sections)
        article = Article(self.path, title, title_line, infobox, lead, sections,
                          self.findings, self.text)
        self.findings.extend(_suspicious_spots(article))
        return article

    def _check_not_empty(self, title: str, title_line: int, lead, sections) -> None:
        """Text that cleaning left empty would be msgid "", the catalogs' header."""
        what = [("title", title, title_line)]
        for section in sections:
            what.append(("heading", section.heading, section.line))
        for block in list(lead) + [b for s in sections for b in s.blocks]:
            what.append((block.kind.replace("item", "list item"), block.text, block.line))
        for kind, text, line in what:
            if not text:
                raise self.error(f"this {kind} has no text once wiki leftovers are removed",
                                 line, hint="delete the line or give it words")

    def _groups(self) -> list[list[tuple[int, str]]]:
        """Runs of non-blank lines, each line with its 1-based number."""
        groups, current = [], []
        for number, line in enumerate(self.lines, 1):
            if line.strip():
                current.append((number, line.rstrip()))
            elif current:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
        return groups

    def _title(self, group) -> tuple[str, int]:
        number, line = group[0]
        text = _title_text(line.strip())
        if text is None:
            raise self.error("the article must start with its title as '= Title ='", number)
        if len(group) > 1:
            raise self.error("unexpected text right after the title; leave a blank line",
                             group[1][0])
        return self._clean(text, number), number

    def _infobox(self, group) -> list[InfoboxField]:
        fields, seen = [], {}
        for number, line in group[1:]:
            found = _infobox_field(line)
            if found is None:
                raise self.error("infobox lines must read '- Key: Value'", number)
            key, value = found
            if key in seen:
                raise self.error(f"infobox key {key!r} repeats line {seen[key]}", number)
            seen[key] = number
            fields.append(InfoboxField(key, self._clean(value, number), number, value))
        return fields

    def _line(self, number: int, line: str, lead: list[Block], sections: list[Section]):
        stripped = line.strip()
        target = sections[-1].blocks if sections else lead
        if stripped.startswith("="):
            heading = _heading_text(stripped)
            if heading is None:
                raise self.error("a heading must read '==Heading=='", number)
            sections.append(Section(self._clean(heading, number), number))
        elif stripped.startswith("-"):
            text = _item_text(stripped)
            if text is None:
                raise self.error("a list item must read '- text'", number)
            target.append(Block("item", self._clean(text, number), number, text))
        elif stripped == "Infobox":
            raise self.error("the infobox must come right after the title", number)
        elif target and target[-1].kind == "paragraph" and target[-1].line + _span(target[-1]) == number:
            # continuation line of the paragraph above
            block = target[-1]
            block.raw += "\n" + stripped
            block.text = self._clean(block.raw.replace("\n", " "), block.line, report=False)
        else:
            target.append(Block("paragraph", self._clean(stripped, number), number, stripped))

    def _clean(self, text: str, line: int, report: bool = True) -> str:
        cleaned = text
        for pattern, replacement, what in _CLEANINGS:
            new = pattern.sub(replacement, cleaned)
            if new != cleaned and report:
                self.findings.append(SourceFinding(
                    "source-cleaned", self.path, line,
                    f"removed {what}: {_excerpt(cleaned, pattern)!r}", "info", text))
            cleaned = new
        return cleaned.strip()


def _span(block: Block) -> int:
    return block.raw.count("\n") + 1


# Wiki remnants and how they are cleaned; order matters (icons leave ",,").
_CLEANINGS = [
    (re.compile(r"\*\d+px\s*"), "", "a flag-icon leftover"),
    (re.compile(r",\s*,+"), ",", "a doubled comma"),
    (re.compile(r"(?<=\S)[ \t]+,(?=\s|$)"), ",", "a space before a comma"),
    (re.compile(r"[ \t]{2,}"), " ", "doubled spaces"),
]


def _excerpt(text: str, pattern: re.Pattern) -> str:
    match = pattern.search(text)
    start, end = max(0, match.start() - 15), min(len(text), match.end() + 15)
    return text[start:end]


# A role noun followed directly by "and", a comma or a full stop: a name was lost.
_LOST_NAME_RE = re.compile(
    r"\b(?P<role>sculptors?|architects?|artists?|designers?|authors?|painters?)\s*(?P<next>,|\band\b|\.)")
# A number starts after neither a word character nor "digit,": with a plain \b,
# every digit of "1,1,1,..." started a match and the scan took quadratic time.
# At most 20 digits and commas: a count, not a 5000-digit int() ValueError.
_NUMBER = r"(?<!\w)(?<!\d,)(\d[\d,]{0,19})"
_COUNT_RE = re.compile(_NUMBER + r"\s+(?:were\s+|was\s+)?(killed|dead|wounded)\b")
_KILLED_RE = re.compile(r"\b(?:were\s+)?" + _NUMBER + r"\s+(?:were\s+)?(?:killed|dead)\b")


def _suspicious_spots(article: Article) -> list[SourceFinding]:
    findings = []
    for block in article.blocks():
        for match in _LOST_NAME_RE.finditer(block.raw):
            findings.append(SourceFinding(
                "source-missing-name", article.path, block.line,
                f"a name seems to be missing after {match['role']!r}: "
                f"{_around(block.raw, match)!r}", "warning", block.raw))
    findings.extend(_casualty_mismatch(article))
    return findings


def _around(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 25):match.end() + 25]


def _casualty_mismatch(article: Article) -> list[SourceFinding]:
    """An infobox death toll that the article's text never gives."""
    in_text = []
    for block in article.blocks():
        for match in _KILLED_RE.finditer(block.text):
            in_text.append((int(match[1].replace(",", "")), block.line))
    findings = []
    for fld in article.infobox:
        for match in _KILLED_RE.finditer(fld.value):
            count = int(match[1].replace(",", ""))
            if in_text and count not in {n for n, _ in in_text}:
                where = ", ".join(f"{n} (line {line})" for n, line in in_text)
                findings.append(SourceFinding(
                    "source-count-mismatch", article.path, fld.line,
                    f"the infobox gives {count} killed but the text gives {where}",
                    "warning", fld.raw))
    return findings
