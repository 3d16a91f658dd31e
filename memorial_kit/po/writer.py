"""Write a catalog as GNU gettext 0.21's msgcat does, byte for byte (see the package's
docstring for the rules), plus the flags GNU drops."""
from __future__ import annotations

import os
import re

from ..errors import CatalogError
from ..fsutil import atomic_write
from .linebreak import PROHIBITED, text_width
from .linebreak_fast import fast_classes, near_linebreaks, text_linebreaks
from .model import Entry, PoFile, charset_problem, header_charset, text_codec


# Format flags in the order GNU gettext 0.21 writes them (its NFORMATS order).
GNU_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp",
    "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk",
    "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit",
    "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp")
_FORMAT_RANK = {name: i for i, name in enumerate(GNU_FORMATS)}

# Valid directives of the formats we know; GNU never breaks a line inside one.
# (python-brace is absent on purpose: gettext 0.21 marks only a directive's
# closing brace, so in effect it protects nothing.)
_DIRECTIVE_RES = {
    "c": re.compile(r"%(?:<PRI[a-zA-Z0-9]+>|(?:\d+\$)?[-+ #0'I]*(?:\*(?:\d+\$)?|\d+)?"
                    r"(?:\.(?:\*(?:\d+\$)?|\d+)?)?(?:hh|h|ll|l|L|q|j|z|Z|t)?"
                    r"(?:[diouxXfFeEgGaAcspnm%]|<PRI[a-zA-Z0-9]+>))"),
    "python": re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?"
                         r"[hlL]?[diouxXeEfFgGcrsa%]"),
}


def _directive_format(flags: list[str], known=None) -> str | None:
    """The format GNU parses strings with: the first 'possible' one in its order."""
    state = (known or _known_flag_state(flags))[1]
    if not state:
        return None
    for name in GNU_FORMATS:
        if state.get(name) in ("yes", "possible"):
            return name
    return None


def _directive_kind(directive: str, fmt: str) -> str | None:
    """How a directive names its argument; GNU rejects strings that mix kinds."""
    if directive == "%%":
        return None
    if fmt == "c":
        return "numbered" if re.match(r"%\d+\$", directive) else "unnumbered"
    return "named" if directive.startswith("%(") else "unnamed"


def _no_break_positions(value: str, fmt: str | None) -> set[int]:
    """Positions inside valid format directives (GNU never breaks there).

    Like GNU's parsers we scan left to right and stop at the first invalid
    directive: nothing after it is protected.
    """
    regex = _DIRECTIVE_RES.get(fmt) if fmt else None
    if regex is None or "%" not in value:
        return set()
    inside, kinds = set(), set()
    pos = value.find("%")
    while pos >= 0:
        m = regex.match(value, pos)
        if m is None:
            break
        kind = _directive_kind(m.group(0), fmt)
        if kind:
            kinds.add(kind)
            if len(kinds) > 1:
                break
        inside.update(range(m.start() + 1, m.end()))
        pos = value.find("%", m.end())
    return inside




_ESCAPE = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t",
           "\v": "v", "\\": "\\", '"': '"'}
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
_NO_WRAP = 1 << 30
_CJK_CHARSETS = {"EUC-JP", "GB2312", "GBK", "EUC-TW", "BIG5", "EUC-KR",
                 "CP949", "JOHAB"}


def _escape_portion(value: str, start: int, end: int, no_break: set[int]):
    """Escaped text of value[start:end] and its break overrides (1 = never)."""
    chunk = value[start:end]
    if not _NEEDS_ESCAPE.search(chunk) and not no_break:
        return chunk, None
    out, overrides = [], []
    for pos in range(start, end):
        c = value[pos]
        first = PROHIBITED if pos in no_break else 0
        esc = _ESCAPE.get(c)
        if esc is None:
            out.append(c)
            overrides.append(first)
        else:
            out.append("\\" + esc)
            overrides.extend((first, PROHIBITED))
    if chunk.endswith("\n"):
        overrides[-2] = PROHIBITED     # never break just before the final \n
    return "".join(out), overrides


def _wrap(lines: list[str], prefix: str, name: str, value: str,
          page_width: int, cjk: bool, no_break: set[int]) -> None:
    """Append the lines GNU's wrap() (write-po.c) writes for ``name "value"``.

    Each piece up to and including a newline is escaped and broken alone.
    If the first piece does not fit after ``name "``, or more pieces follow,
    the keyword gets an empty string and the text starts on the next line.
    """
    after_break = len(prefix) + 1                  # prefix plus opening quote
    width = page_width - 1 - after_break           # room for closing quote
    first = True
    start, n = 0, len(value)
    while True:
        nl = value.find("\n", start)
        end = n if nl < 0 else nl + 1
        text, overrides = _escape_portion(value, start, end, no_break)
        column = len(name) + 1 if first else 0
        piece = _Piece(text, overrides, width, cjk)
        if first and text and (end < n or column > width or piece.breaks_at_all(column)):
            lines.append(f'{prefix}{name} ""')
            first, column = False, 0
        breaks = piece.breaks(column)
        head = f"{prefix}{name} " if first else prefix
        if not breaks:
            lines.append(f'{head}"{text}"')
        else:
            cuts = [0] + sorted(set(breaks)) + [len(text)]
            lines.append(f'{head}"{text[cuts[0]:cuts[1]]}"')
            lines.extend(f'{prefix}"{text[a:b]}"' for a, b in zip(cuts[1:], cuts[2:]))
        first = False
        start = end
        if start >= n:
            return


class _Piece:
    """One escaped piece of a message (up to a newline) and where it breaks, its width and
    break opportunities worked out once for both start columns _wrap asks about."""
    __slots__ = ("text", "overrides", "width", "cjk", "text_width", "_found")

    def __init__(self, text: str, overrides, width: int, cjk: bool):
        self.text, self.overrides, self.width, self.cjk = text, overrides, width, cjk
        self.text_width = text_width(text, cjk)
        self._found: tuple | None | bool = False         # False: not worked out yet

    def _fast_path(self) -> tuple | None:
        """(classes, direct) when the near-line-end search applies, else None."""
        if self._found is False:
            self._found = fast_classes(self.text, self.cjk)
        return self._found if self.text_width == len(self.text) else None

    def breaks(self, column: int) -> list[int]:
        if column + self.text_width <= self.width:
            return []           # everything fits: no break can be needed
        fast = self._fast_path()
        if fast is not None:
            return near_linebreaks(*fast, self.overrides, self.width, column)
        return text_linebreaks(self.text, self.overrides, self.width, column, self.cjk,
                               found=self._found)

    def breaks_at_all(self, column: int) -> bool:
        """Whether the piece starting at ``column`` is broken (GNU then starts it on a line
        of its own)."""
        if column + self.text_width <= self.width:
            return False
        fast = self._fast_path()
        if fast is None:
            return bool(self.breaks(column))
        # Greedy filling of text that does not fit breaks somewhere iff it can break anywhere.
        return near_linebreaks(*fast, self.overrides, self.width, column, any_break=True)


def _references_lines(refs: list[str], page_width: int) -> list[str]:
    """GNU packs references greedily; ``len`` counts bytes, as strlen does."""
    seen, items = set(), []
    for ref in refs:
        if any(c in ref for c in " \t\n"):
            raise CatalogError(f"reference {ref!r} contains white space; "
                               "GNU gettext 0.21 cannot write it")
        file_name, line = _split_reference(ref)
        if (file_name, line) in seen:
            continue
        seen.add((file_name, line))
        while file_name.startswith("./"):
            file_name = file_name[2:]
        items.append(file_name if line is None else f"{file_name}:{line}")
    if not items:
        return []
    lines, current, column = [], "#:", 2
    for item in items:
        size = len(item.encode("utf-8")) + 1
        if column > 2 and column + size > page_width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + item
        column += size
    lines.append(current)
    return lines


def _split_reference(ref: str) -> tuple[str, int | None]:
    """``file:12`` -> (file, 12); anything else is a file name alone (GNU)."""
    m = re.match(r"(.+):(\d{1,18})\Z", ref, re.S)   # more digits: not a line number
    if m:
        return m.group(1), int(m.group(2))
    return ref, None


_RANGE_RE = re.compile(r"range: (\d+)\.\.(\d+)\Z")
_FORMAT_FLAG_RE = re.compile(r"(no-|possible-|impossible-)?(.+)-format\Z")


def _known_flag_state(flags: list[str]):
    """What GNU makes of a flag list: (fuzzy, formats, range, no_wrap, others)."""
    fuzzy, formats, rng, no_wrap, others = False, {}, None, None, []
    for flag in flags:
        if flag == "fuzzy":
            fuzzy = True
            continue
        m = _FORMAT_FLAG_RE.match(flag)
        if m and m.group(2) in _FORMAT_RANK:
            formats[m.group(2)] = {"no-": "no", "possible-": "possible",
                                   "impossible-": "impossible"}.get(m.group(1), "yes")
            continue
        m = _RANGE_RE.match(flag)
        if m:
            low, high = (min(int(x), 2**31 - 1) if len(x) <= 10 else 2**31 - 1
                         for x in m.groups())
            if low <= high:
                rng = (low, high)
                continue
        if flag in ("wrap", "no-wrap"):
            no_wrap = flag == "no-wrap"
            continue
        if flag not in others:
            others.append(flag)
    return fuzzy, formats, rng, no_wrap, others


def _flags_line(entry: Entry, known=None) -> str | None:
    fuzzy, formats, rng, no_wrap, others = known or _known_flag_state(entry.flags)
    out = []
    if fuzzy and entry.first_msgstr:
        out.append("fuzzy")
    for name in GNU_FORMATS if formats else ():
        state = formats.get(name)
        if state in ("yes", "possible"):
            out.append(f"{name}-format")
        elif state == "no":
            out.append(f"no-{name}-format")
    if rng and not entry.obsolete:              # GNU omits ranges on #~ entries
        out.append(f"range: {rng[0]}..{rng[1]}")
    if no_wrap:
        out.append("no-wrap")
    for flag in others:
        if not flag or any(c in flag for c in ", \t\n\r\f\v"):
            raise CatalogError(f"flag {flag!r} cannot be written on a '#,' line")
        out.append(flag)
    return "#, " + ", ".join(out) if out else None


def _check_writable(entry: Entry) -> None:
    """Refuse what GNU would read back differently (or not at all)."""
    for kind, items in (("comment", entry.translator_comments),
                        ("extracted comment", entry.extracted_comments),
                        ("reference", entry.references), ("flag", entry.flags)):
        for item in items:
            # a final backslash joins the next line (GNU's lexer); \r ends a line
            parts = item.split("\n")
            if "\r" in item or any(part.endswith("\\") for part in parts) \
                    or (len(parts) > 1 and kind != "comment"):
                raise CatalogError(f"{kind} {item[:60]!r} cannot be written in a .po file "
                                   "(newline, carriage return or final backslash)")
    if entry.previous_msgid is None and (entry.previous_msgctxt is not None
                                         or entry.previous_msgid_plural is not None):
        raise CatalogError(f"entry {entry.msgid[:60]!r} has a previous msgctxt or "
                           "msgid_plural but no previous msgid")


def _entry_lines(entry: Entry, page_width: int, cjk: bool) -> list[str]:
    _check_writable(entry)
    lines = []
    for comment in entry.translator_comments:
        for part in comment.split("\n"):        # GNU writes one '#' line each
            lines.append("# " + part if part else "#")
    for comment in entry.extracted_comments:
        lines.append("#. " + comment if comment else "#.")
    lines += _references_lines(entry.references, page_width)
    known = _known_flag_state(entry.flags)
    flags = _flags_line(entry, known)
    if flags:
        lines.append(flags)
    if known[3]:
        page_width = _NO_WRAP
    fmt = _directive_format(entry.flags, known)

    def put(prefix, name, value):
        _wrap(lines, prefix, name, value, page_width, cjk, _no_break_positions(value, fmt))

    prev = "#~| " if entry.obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            put(prev, name, value)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        put(prefix, "msgctxt", entry.msgctxt)
    put(prefix, "msgid", entry.msgid)
    if entry.msgid_plural is None:
        if entry.msgstr_plural:
            raise CatalogError(f"entry {entry.msgid!r} has msgstr[n] but no msgid_plural")
        put(prefix, "msgstr", entry.msgstr)
    else:
        put(prefix, "msgid_plural", entry.msgid_plural)
        for i, form in enumerate(entry.msgstr_plural or ["", ""]):
            put(prefix, f"msgstr[{i}]", form)
    return lines


def output_codec(po: PoFile) -> tuple[str, bool]:
    """(Python codec, CJK widths?) for the header's charset; UTF-8 when none."""
    charset = po.charset
    for entries in po.domains.values() if charset is None else ():
        first = entries[0] if entries else None     # a domain's header, as msgcat reads it
        if first is not None and first.msgid == "" and first.msgctxt is None:
            charset = header_charset(first.msgstr)
            break
    if charset is None or charset.upper() == "CHARSET":
        return "ascii", False
    codec = text_codec(charset)
    if codec is None:
        raise CatalogError(charset_problem(charset, "in the header"), path=po.path,
                           hint="declare charset=UTF-8")
    return codec, charset.upper() in _CJK_CHARSETS



def write_po(po: PoFile, width: int = 79) -> bytes:
    """The catalog as ``msgcat --width=WIDTH`` 0.21 writes it, plus the flags GNU
    drops.  Like msgcat, a width under 20 counts as 20."""
    width = max(width, 20)
    codec, cjk = output_codec(po)
    blocks = []
    if po.header is not None:
        blocks.append(_entry_lines(po.header, width, cjk))
    _entry_blocks(blocks, po.entries, width, cjk)
    for name, entries in po.domains.items():    # as msgcat: after the default domain's
        blocks.append([f'domain "{_escape_portion(name, 0, len(name), set())[0]}"'])
        _entry_blocks(blocks, entries, width, cjk)
    text = "\n".join("\n".join(block) + "\n" for block in blocks)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        declared = po.charset or "no charset"
        raise CatalogError(f"text {bad!r} cannot be written in {declared}",
                           path=po.path, hint="declare charset=UTF-8 in the header") from None


def _entry_blocks(blocks: list, entries: list[Entry], width: int, cjk: bool) -> None:
    for entry in entries:
        if not entry.obsolete:
            blocks.append(_entry_lines(entry, width, cjk))
    for entry in entries:
        if entry.obsolete and entry.first_msgstr:     # GNU drops empty obsolete
            blocks.append(_entry_lines(entry, width, cjk))


def write_po_file(po: PoFile, path: str | os.PathLike) -> None:
    atomic_write(path, write_po(po))
