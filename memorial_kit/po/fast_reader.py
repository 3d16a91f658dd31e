"""A second way to read a .po file, for files in the layout GNU gettext writes: whole
entries matched by one regular expression instead of line by line.

Why it exists: the line parser (reader.py) reads the benchmark's 10,000-message catalog
and template in about 700 ms, this path in about 220 ms, and without it the benchmark
target "update >= 20x faster than msgmerge" (benchmarks/run.py, section 1a) fails (about
15x instead of 20x).  It gives the line parser's answer or none: anything the pattern
does not cover (a line GNU's lexer would join or strip, entries not back to back, any
error) returns None, and the line parser reads the file from its start, so every result
and every error is the line parser's.  tests/test_po_reader.py checks on random input
that both paths give the same catalog, and that GNU-written files take this one.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import CatalogError

if TYPE_CHECKING:
    from .model import PoFile
    from .reader import LineParser

# One entry as GNU gettext writes it: comment lines (no '#~' ones but '#~|'), then the
# keywords, each with its strings one to a line, then blank
# lines.  Obsolete entries are the same behind '#~ '.
_FAST_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'


def _fast_keywords(p: str) -> str:
    strings = f"({_FAST_STR}(?:\\n{p}{_FAST_STR})*)"
    forms = f"((?:{p}msgstr\\[\\d{{1,9}}\\] {_FAST_STR}(?:\\n{p}{_FAST_STR})*\\n)+)"
    return (f"(?:{p}msgctxt {strings}\\n)?{p}msgid {strings}\\n"
            f"(?:{p}msgid_plural {strings}\\n{forms}|{p}msgstr {strings}\\n)")


_FAST_ENTRY_RE = re.compile(
    r"(((?:#(?!~(?!\|))[^\n]*\n)*)"
    f"(?:{_fast_keywords('')}|{_fast_keywords('#~ ')})\\n*)")
# A '#:' line of plain 'file:N' references (N without leading zeros), which the line
# reader would give back unchanged.
_FAST_REFERENCES_RE = re.compile(r"(?:[ \t]+[^\s:]\S*:(?:0|[1-9][0-9]{0,17}))+[ \t]*")
_FAST_FORMS_RE = re.compile(f"msgstr\\[(\\d+)\\] ({_FAST_STR}(?:\\n{_FAST_STR})*)")
_FAST_OBSOLETE_FORMS_RE = re.compile(
    f"#~ msgstr\\[(\\d+)\\] ({_FAST_STR}(?:\\n#~ {_FAST_STR})*)")


def read_whole_entries(parser: LineParser) -> PoFile | None:
    """The catalog of ``parser``'s text, if every line of it is in the layout GNU gettext
    writes; else None (and ``parser`` must start again from a clean state).

    Entries are completed by the parser's own methods (comment lines other than plain
    references, duplicates, the header), so what they check is checked the same way.
    """
    text = parser.text
    if "\r" in text or "\\\n" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"
    position = len(text) - len(text.lstrip("\n"))
    lineno, end, match = 1 + position, len(text), _FAST_ENTRY_RE.match
    try:
        # Entry after entry from where the last ended; at the first place that is not
        # an entry, give up (scanning on past it would cost time quadratic in the file).
        while position < end:
            found = match(text, position)
            if found is None:
                return None
            groups = found.groups()
            _entry(parser, groups, lineno)
            lineno += groups[0].count("\n")
            position = found.end()
    except CatalogError:
        return None
    if parser.stage is not None:
        return None
    parser.note_header_lines(text.split("\n", parser.po.header.line + 200)
                             if parser.po.header is not None else [])
    return parser.po


def _entry(parser: LineParser, match: tuple, lineno: int) -> None:
    (whole, comments, ctx, msgid, plural, forms, msgstr,
     o_ctx, o_msgid, o_plural, o_forms, o_msgstr) = match
    cur = parser.cur
    if comments:
        references = cur.references
        for line in comments[:-1].split("\n"):
            if line.startswith("#: ") and _FAST_REFERENCES_RE.fullmatch(line, 2):
                for token in line[3:].split():      # 'file:N' as GNU would write it
                    if token not in references:
                        references.append(token)
            else:
                parser.comment(line)            # errors: the line reader says where
        lineno += comments.count("\n")
    obsolete = not msgid
    if obsolete:
        ctx, msgid, plural, forms, msgstr = o_ctx, o_msgid, o_plural, o_forms, o_msgstr
        join = '"\n#~ "'
    else:
        join = '"\n"'
    if ctx:
        cur.msgctxt = _string(parser, ctx, join)
        lineno += ctx.count("\n") + 1
    cur.msgid, cur.line = _string(parser, msgid, join), lineno
    if plural:
        cur.msgid_plural = _string(parser, plural, join)
        expected = 0
        for index, value in (_FAST_FORMS_RE if not obsolete else _FAST_OBSOLETE_FORMS_RE
                             ).findall(forms):
            if int(index) != expected:
                raise CatalogError("msgstr[n] out of order")   # the line parser says where
            cur.msgstr_plural.append(_string(parser, value, join))
            expected += 1
    else:
        cur.msgstr = _string(parser, msgstr, join)
    parser.stage, parser.obsolete = "msgstr", obsolete
    parser.finish()


def _string(parser: LineParser, quoted: str, join: str) -> str:
    value = quoted[1:-1]
    if "\n" in value:
        value = value.replace(join, "")
    return parser.unescape(value) if "\\" in value else value
