"""Read a PO/POT file as GNU gettext does (its lexer's joins, its tolerance of layouts),
strictly: every error is ``path:line: error: ...``.

A file in the layout GNU writes is read whole entry by whole entry (fast_reader);
anything else, and every error, by the line parser below.
"""
from __future__ import annotations

import contextlib
import gc
import os
import re

from ..errors import CatalogError
from .fast_reader import read_whole_entries
from .model import (DEFAULT_DOMAIN, MAX_CATALOG_BYTES, Entry, PoFile, charset_problem,
                    text_codec)

_HEADER_FIELD_LINE_RE = re.compile(r'\s*(?:msgstr\s+)?"([A-Za-z][A-Za-z0-9-]*):')
_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|\Z)")
_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t\r\f\v]*')
_ESCAPE_RE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.|\Z))', re.S)
_SIMPLE_UNESCAPE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f",
                    "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_SOLARIS_LINE_RE = re.compile(r"[ \t]*line[ \t]*:(\d{1,18})[ \t\n]*")
_FLAG_SPLIT_RE = re.compile(r"[\n \t\r\f\v,]+")


def read_po_file(path: str | os.PathLike) -> PoFile:
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", path=path) from None
    return read_po(data, path)


def read_po(data: bytes, path: str | None = None) -> PoFile:
    """Parse a PO/POT file (one pass); CatalogError with path:line when broken."""
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"{len(data) // (1024 * 1024)} MB: larger than the "
                           f"{MAX_CATALOG_BYTES // (1024 * 1024)} MB a catalog may be",
                           path=path, hint="is this a catalog? split it if it really is one")
    text, codec = _decode(data, path)
    _check_line_ends(text, path)
    with _no_cycle_collection():
        po = LineParser(text, codec, path).parse()
    if po.header is None and not po.entries and not po.domains and text.strip():
        raise CatalogError("the file is not empty but holds no entry", path=path, line=1,
                           hint="is it a catalog? every entry needs msgid and msgstr lines")
    return po


_LONE_CR_RE = re.compile("\r(?!\n)")


def _check_line_ends(text: str, path: str | None) -> None:
    """CR-only line ends (old Mac files) would read as one long line: refused."""
    lone = _LONE_CR_RE.search(text)
    if lone is not None:
        raise CatalogError("a carriage return (CR) not followed by a line feed: this file's "
                           "lines end in CR alone", path=path,
                           line=text.count("\n", 0, lone.start()) + 1,
                           hint="save it with LF (or CRLF) line ends")


@contextlib.contextmanager
def _no_cycle_collection():
    """Reading makes tens of thousands of small objects and no reference cycles: the cycle
    collector would only walk the whole heap, again and again, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, path: str | None) -> tuple[str, str]:
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        raise CatalogError("NUL byte in catalog", path=path, line=_line_of(data, nul),
                           hint="a .po file is text; is this a .mo or a UTF-16 file?")
    charset, line = _sniff_charset(data)
    if charset is None or charset.upper() == "CHARSET":
        codec = "utf-8"           # no header, or a template's placeholder
    else:
        codec = text_codec(charset)
        if codec is None:
            raise CatalogError(charset_problem(charset, "declared in the header"),
                               path=path, line=line, hint="declare charset=UTF-8")
        if bom and codec != "utf-8":
            raise CatalogError(f"file starts with a UTF-8 byte-order mark but the header "
                               f"declares charset={charset}", path=path, line=line)
    try:
        text = data.decode(codec)
    except UnicodeError as exc:
        start = getattr(exc, "start", 0)
        byte = data[start] if start < len(data) else 0
        if not isinstance(exc, UnicodeDecodeError):
            raise CatalogError(f"the text is not valid {charset}", path=path, line=line,
                               hint="convert the file or fix the charset= in the header") from None
        raise CatalogError(f"byte 0x{byte:02x} is not valid {charset or 'UTF-8'}"
                           f"{' as the header declares' if charset else ''}",
                           path=path, line=_line_of(data, start),
                           hint="convert the file or fix the charset= in the header") from None
    if codec != "utf-8" and not codec.startswith("utf"):
        c1 = re.search("[\x80-\x9f]", text)
        if c1:            # C1 controls: UTF-8 bytes read as a single-byte charset
            offset = len(text[:c1.start()].encode(codec))
            raise CatalogError(f"byte 0x{ord(c1.group()):02x} is a control character in "
                               f"{charset}; the bytes contradict the declared charset",
                               path=path, line=_line_of(data, offset),
                               hint="the file is probably UTF-8: declare charset=UTF-8")
    return text, codec


_HEADER_RE = re.compile(
    rb'^[ \t]*msgid[ \t]+""[ \t]*\r?\n[ \t]*msgstr[ \t]+((?:"[^\n]*"[ \t]*\r?\n?[ \t]*)+)', re.M)
_FIRST_KEYWORD_RE = re.compile(rb"^[ \t]*(msgctxt|msgid)\b", re.M)


def _sniff_charset(data: bytes) -> tuple[str | None, int | None]:
    """charset= of the header, read from the raw bytes before decoding."""
    first = _FIRST_KEYWORD_RE.search(data)
    if first is None or first.group(1) != b"msgid":
        return None, None
    m = _HEADER_RE.match(data, first.start())
    if m is None:
        return None, None
    found = re.search(rb"charset=([^ \t\n\\\"]*)", m.group(1))
    if found is None:
        return None, None
    name = found.group(1).decode("ascii", "replace")
    return (name or None), _line_of(data, m.start(1) + found.start())



class LineParser:
    """Line-oriented PO parser; keeps the state of the entry being read."""

    def __init__(self, text: str, codec: str, path: str | None):
        self.text, self.codec, self.path = text, codec, path
        self.po = PoFile(path=path)
        self.seen: dict[tuple[str | None, str], int] = {}
        self.lineno = 0
        self.domain = DEFAULT_DOMAIN
        self.rest: int | None = None    # where a second keyword starts on the line read
        self._reset()

    def error(self, message: str, hint: str | None = None, line: int | None = None):
        return CatalogError(message, path=self.path, line=line or self.lineno, hint=hint)

    def _reset(self):
        self.cur = Entry(msgid="")
        self.stage = None           # last keyword read: msgctxt/msgid/msgid_plural/msgstr
        self.field = None           # where continuation strings go: (attr, index)
        self.obsolete = None        # obsolete state of the entry's keywords
        self.prev_field = None

    # -- driving loop
    def parse(self) -> PoFile:
        whole = read_whole_entries(self)
        if whole is not None:
            return whole
        self.po, self.seen = PoFile(path=self.path), {}
        self._reset()
        return self.parse_lines()

    def parse_lines(self) -> PoFile:
        lines = self.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for self.lineno, line in enumerate(lines, 1):
            if line.endswith("\r"):
                line = line[:-1]
            if line.endswith("\\") and self.lineno < len(lines):
                line = self._join_continued(lines, line)
            line = line.lstrip(" \t\f\v")
            if not line:
                continue
            c = line[0]
            if c == "#":
                self.comment(line)
            elif c == '"':
                self._continuation(line, 0, False)
            else:
                self._keyword(line, False)
        self.finish()
        self.note_header_lines(lines)
        return self.po

    def note_header_lines(self, lines: list[str]) -> None:
        """Where each header field's string starts, so errors in it point at its line."""
        header = self.po.header
        if header is None or not header.line:
            return
        for number in range(header.line, min(len(lines), header.line + 200)):
            match = _HEADER_FIELD_LINE_RE.match(lines[number])
            if match:
                self.po.header_lines.setdefault(match[1], number + 1)
            elif lines[number].strip() == "" or lines[number].lstrip().startswith(("#", "msgid")):
                break

    def _join_continued(self, lines: list[str], line: str) -> str:
        """GNU's lexer drops every backslash-newline: join all the lines it continues.

        The joined lines are blanked in ``lines`` so that line numbers stay right.
        """
        parts, following = [], self.lineno
        while line.endswith("\\") and following < len(lines):
            parts.append(line[:-1])
            line = lines[following]
            lines[following] = ""
            following += 1
            if line.endswith("\r"):
                line = line[:-1]
        parts.append(line)
        return "".join(parts)

    # -- comments
    def comment(self, line: str):
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                return self._previous(rest[1:])
            rest = rest.lstrip(" \t")
            if not rest:
                return
            if rest[0] == '"':
                return self._continuation(rest, 0, True)
            if rest[0] == "#":
                return self.comment(rest)
            return self._keyword(rest, True)
        if kind == "|":
            return self._previous(line[2:])
        self._start_comment()
        body = line[2:]
        if kind == ".":
            self.cur.extracted_comments.append(body[1:] if body.startswith(" ") else body)
        elif kind == ":":
            self._add_references(body)
        elif kind in (",", "!"):
            self._add_flags(body)
        else:
            body = line[1:]
            m = _solaris_reference(body)
            if m:
                self._add_reference_token(*m)
            else:
                self.cur.translator_comments.append(body[1:] if body.startswith(" ") else body)

    def _start_comment(self):
        """A comment starts a new entry after a complete one; inside one it is an error."""
        if self.stage == "msgstr":
            self.finish()
        elif self.stage is not None:
            raise self.error(f"comment line inside an entry, after its {self.stage}",
                             hint="comments go before msgctxt/msgid")

    def _add_references(self, body: str):
        for file_name, number in _parse_filepos(body):
            self._add_reference_token(file_name, number)

    def _add_reference_token(self, file_name: str, number: int | None):
        token = file_name if number is None else f"{file_name}:{number}"
        if token not in self.cur.references:        # GNU drops exact duplicates
            self.cur.references.append(token)

    def _add_flags(self, body: str):
        tokens = [t for t in _FLAG_SPLIT_RE.split(body) if t]
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "range:" and i + 1 < len(tokens) \
                    and re.fullmatch(r"\d+\.\.\d+", tokens[i + 1]):
                token = "range: " + tokens[i + 1]
                i += 1
            self.cur.flags.append(token)
            i += 1

    def _previous(self, rest: str):
        if self.stage == "msgstr":
            self.finish()
        elif self.stage is not None:
            raise self.error(f"'#|' line inside an entry, after its {self.stage}")
        rest = rest.lstrip(" \t")
        if rest.startswith('"'):
            if self.prev_field is None:
                raise self.error("'#|' string without a keyword before it")
            attr = self.prev_field
            setattr(self.cur, attr, getattr(self.cur, attr) + self._strings(rest, 0))
            if self.rest is not None:
                rest, self.rest = rest[self.rest:], None
                self._previous(rest)
            return
        m = _KEYWORD_RE.match(rest)
        if not m or m.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
            word = rest.split(None, 1)[0] if rest.split() else rest
            raise self.error(f"unknown keyword {word!r} in a '#|' line",
                             hint="'#|' lines hold the previous msgctxt, msgid or msgid_plural")
        attr = "previous_" + m.group(1)
        setattr(self.cur, attr, self._strings(rest, m.end(), need_one=True))
        self.prev_field = attr
        if self.rest is not None:       # '#| msgctxt "..." msgid "..."'
            rest, self.rest = rest[self.rest:], None
            self._previous(rest)

    # -- keywords and strings
    def _keyword(self, line: str, obsolete: bool):
        """One or more keywords with their strings (GNU reads ``msgid "2" msgstr "2"``)."""
        while line:
            self._one_keyword(line, obsolete)
            line, self.rest = (line[self.rest:] if self.rest is not None else ""), None

    def _one_keyword(self, line: str, obsolete: bool):
        m = _KEYWORD_RE.match(line)
        if not m:
            word = line.split(None, 1)[0] if line.split() else line
            if word == "domain" and not obsolete:
                return self._domain(line)
            raise self.error(f"unknown keyword {word[:40]!r}",
                             hint="expected msgctxt, msgid, msgid_plural, msgstr or msgstr[N]")
        keyword, index = m.group(1), m.group(2)
        value = self._strings(line, m.end(), need_one=True)
        if keyword == "msgctxt" or keyword == "msgid":
            self._begin(keyword, obsolete)
        else:
            self._check_obsolete(obsolete)
        cur = self.cur
        if keyword == "msgctxt":
            cur.msgctxt = value
            self.stage, self.field = "msgctxt", ("msgctxt", None)
        elif keyword == "msgid":
            cur.msgid, cur.line = value, self.lineno
            self.stage, self.field = "msgid", ("msgid", None)
        elif keyword == "msgid_plural":
            if self.stage != "msgid":
                raise self.error(self._order_message("msgid_plural"))
            cur.msgid_plural = value
            self.stage, self.field = "msgid_plural", ("msgid_plural", None)
        elif index is None:
            if self.stage == "msgid_plural":
                raise self.error("entry has msgid_plural but plain msgstr",
                                 hint="a plural entry needs msgstr[0], msgstr[1], ...")
            if self.stage == "msgstr":
                raise self.error("msgstr out of order: this entry already has a msgstr"
                                 if not cur.msgstr_plural
                                 else "entry has both msgstr[n] and msgstr")
            if self.stage != "msgid":
                raise self.error(self._order_message("msgstr"))
            cur.msgstr = value
            self.stage, self.field = "msgstr", ("msgstr", None)
        else:
            if len(index) > 9:
                raise self.error(f"msgstr[{index[:20]}...] is not a plural form index")
            self._plural_form(int(index), value)

    def _domain(self, line: str):
        """'domain "NAME"': the entries after it belong to NAME (msgfmt writes NAME.mo)."""
        name = self._strings(line, len("domain"), need_one=True)
        if self.rest is not None:
            raise self.error("text after the domain name")
        if self.stage == "msgstr":
            self.finish()
        elif self.stage is not None:
            raise self.error(f"'domain' directive inside an entry, after its {self.stage}")
        self._reset()                   # comments before a directive: dropped, as GNU does
        if not name or "/" in name or name in (".", ".."):
            raise self.error(f"{name!r} cannot be a domain name (it names the .mo file)")
        self.domain = name
        if name != DEFAULT_DOMAIN:
            self.po.domains.setdefault(name, [])
            self.po.domain_lines.setdefault(name, self.lineno)

    def _plural_form(self, index: int, value: str):
        cur = self.cur
        if self.stage == "msgid":
            raise self.error("msgstr[n] in an entry without msgid_plural",
                             hint="use plain msgstr, or add msgid_plural")
        if self.stage == "msgstr" and not cur.msgstr_plural:
            raise self.error("entry has both msgstr and msgstr[n]")
        if self.stage not in ("msgid_plural", "msgstr"):
            raise self.error(self._order_message(f"msgstr[{index}]"))
        if index != len(cur.msgstr_plural):
            raise self.error(f"msgstr[{index}] where msgstr[{len(cur.msgstr_plural)}] "
                             "was expected; indexes must run 0, 1, 2, ... in order")
        cur.msgstr_plural.append(value)
        self.stage, self.field = "msgstr", ("msgstr_plural", index)

    def _order_message(self, keyword: str) -> str:
        after = f"after {self.stage}" if self.stage else "without a msgid before it"
        return f"keyword {keyword} out of order ({after})"

    def _begin(self, keyword: str, obsolete: bool):
        if self.stage == "msgstr":
            self.finish()
        elif self.stage == "msgctxt" and keyword == "msgid":
            self._check_obsolete(obsolete)
            return
        elif self.stage is not None:
            raise self.error(f"{self.stage} without msgstr before this {keyword}"
                             if self.stage != "msgctxt" else
                             "msgctxt followed by another msgctxt",
                             hint="every entry ends with msgstr (or msgstr[n])")
        self.obsolete = obsolete

    def _check_obsolete(self, obsolete: bool):
        if self.obsolete is not None and obsolete != self.obsolete:
            raise self.error("inconsistent use of #~ within one entry")

    def _continuation(self, line: str, pos: int, obsolete: bool):
        if self.field is None:
            raise self.error("string without a keyword before it",
                             hint="a continuation string must follow msgid, msgstr, ...")
        self._check_obsolete(obsolete)
        attr, index = self.field
        more = self._strings(line, pos)
        if index is None:
            setattr(self.cur, attr, getattr(self.cur, attr) + more)
        else:
            self.cur.msgstr_plural[index] += more
        if self.rest is not None:       # '"...." msgstr "..."': a keyword after the strings
            rest, self.rest = line[self.rest:], None
            self._keyword(rest, obsolete)

    def _strings(self, line: str, pos: int, need_one: bool = False) -> str:
        """Concatenated value of the quoted strings from ``pos`` to end of line."""
        parts = []
        n = len(line)
        while pos < n and line[pos] in " \t\r\f\v":
            pos += 1
        while pos < n:
            if line[pos] != '"':
                if parts and _KEYWORD_RE.match(line, pos):
                    self.rest = pos     # the next keyword on the same line
                    break
                raise self.error(f"unexpected text {line[pos:pos + 20]!r} where a "
                                 "quoted string was expected")
            m = _STRING_RE.match(line, pos)
            if m is None:
                raise self.error("unterminated string (no closing quote on this line)",
                                 hint='a string ends on its own line: "..." ; write " as \\"')
            parts.append(m.group(1))
            pos = m.end()
        if need_one and not parts:
            raise self.error("keyword without a string after it")
        value = "".join(parts)
        return self.unescape(value) if "\\" in value else value

    def unescape(self, s: str) -> str:
        has_bytes = False
        for m in _ESCAPE_RE.finditer(s):
            if m.group(4) is not None:
                bad = m.group(4)
                raise self.error(f"invalid escape sequence '\\{bad}' in string" if bad
                                 else "backslash at the end of a string",
                                 hint="PO strings allow \\n \\t \\\\ \\\" \\a \\b \\f \\r \\v, "
                                      "octal \\ooo and hex \\xhh")
            if m.group(2) is not None or m.group(3) is not None:
                has_bytes = True
        if not has_bytes:
            return _ESCAPE_RE.sub(lambda m: _SIMPLE_UNESCAPE[m.group(1)], s)
        return self._unescape_bytes(s)

    def _unescape_bytes(self, s: str) -> str:
        """Octal/hex escapes are bytes in the file's charset: rebuild, then decode."""
        out, last = bytearray(), 0
        for m in _ESCAPE_RE.finditer(s):
            out += s[last:m.start()].encode(self.codec)
            if m.group(1):
                out += _SIMPLE_UNESCAPE[m.group(1)].encode(self.codec)
            else:
                value = int(m.group(2), 8) if m.group(2) else int(m.group(3), 16)
                if value == 0 or value > 0xFF:
                    raise self.error(f"escape sequence '{m.group(0)}' is "
                                     f"{'a NUL byte' if value == 0 else 'not a byte'}")
                out.append(value)
            last = m.end()
        out += s[last:].encode(self.codec)
        try:
            return out.decode(self.codec)
        except UnicodeDecodeError:
            raise self.error(f"escaped bytes in this string are not valid {self.codec}") from None

    # -- completing an entry
    def finish(self):
        if self.stage is None:
            self._reset()           # comments with no entry after them: dropped, as GNU does
            return
        if self.stage != "msgstr":
            raise self.error(f"entry ends after its {self.stage} without a msgstr",
                             hint="add msgstr \"\"")
        cur = self.cur
        cur.obsolete = bool(self.obsolete)
        key = (self.domain, cur.key)
        first = self.seen.get(key)
        if first is not None:
            what = f"msgid {cur.msgid[:60]!r}" + (f" in context {cur.msgctxt!r}"
                                                  if cur.msgctxt is not None else "")
            raise self.error(f"duplicate {what}; first defined at line {first}", line=cur.line,
                             hint="merge the two entries or give one a msgctxt")
        self.seen[key] = cur.line
        if self.domain != DEFAULT_DOMAIN:
            self.po.domains[self.domain].append(cur)
        elif cur.msgid == "" and cur.msgctxt is None and not cur.obsolete \
                and self.po.header is None:
            self.po.header = cur
        else:
            self.po.entries.append(cur)
        self._reset()


def _solaris_reference(body: str) -> tuple[str, int] | None:
    """'# File: NAME, line: N' (Solaris) -> (NAME, N).

    Not one regular expression: " [Ff]ile:[ \\t]*(.*?)[ \\t]*,..." took time cubic in
    a run of spaces ("# File:" and 4000 spaces: 12 s).
    """
    if not body.startswith((" File:", " file:")):
        return None
    head, comma, tail = body[6:].rpartition(",")
    m = _SOLARIS_LINE_RE.fullmatch(tail) if comma else None
    if m is None:
        return None
    return head.strip(" \t"), int(m.group(1))


def _parse_filepos(s: str):
    """GNU's reading of a '#:' line: 'file:N', 'file :N', 'file: N' or 'file'."""
    tokens = s.split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        name, colon, number = tok.rpartition(":")
        if name and number and number.isdecimal() and number.isascii() and len(number) <= 18 \
                and (i + 1 == len(tokens) or tokens[i + 1][0] != ":"):
            yield name, int(number)         # the usual 'file:N'
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.startswith(":"):
            num = nxt[1:] or (tokens[i + 2] if i + 2 < len(tokens) else "")
            if num.isdigit() and num.isascii() and len(num) <= 18:
                yield tok, int(num)
                i += 2 if nxt[1:] else 3
                continue
        if tok.endswith(":") and len(tok) > 1 and nxt is not None \
                and nxt.isdigit() and nxt.isascii() and len(nxt) <= 18:
            yield tok[:-1], int(nxt)
            i += 2
            continue
        m = re.match(r"(.+):(\d{1,18})\Z", tok)
        if m and m.group(2).isascii():
            yield m.group(1), int(m.group(2))
        else:
            yield tok, None
        i += 1

