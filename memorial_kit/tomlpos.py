"""Where each table, key and array item is written in TOML text.

tomllib gives plain dicts and lists and keeps no positions, yet an error about a
value must name its line (``memorial.toml:31: error: …``).  :func:`locate` scans
the text once and gives the line of everything written in it, by the path that
indexes the parsed data: ``("monuments", 0, "faces", 1, "inscriptions", "lt")``
is the ``lt`` key of the second face of the first monument, whether that face is a
``[[monuments.faces]]`` table or an inline table in ``faces = [...]``.

This module knows TOML, not what a manifest means.  It reads text tomllib has
accepted; on other text it stops at the first thing it cannot read and keeps what
it found, so it never fails.  :func:`error_line` and :func:`deepest_line` place
the errors of text tomllib refused.
"""
from __future__ import annotations

import bisect
import re
import tomllib

KeyPath = tuple  # of str (a key) and int (an item of an array)

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
# A line that is a bare key and a one-line string or a plain value, no more.
_SIMPLE_LINE = re.compile(r"""([A-Za-z0-9_-]+)[ \t]*=[ \t]*"""
                          r"""(?:"(?:[^"\\\n]|\\.)*"(?!")|'[^'\n]*'(?!')|[^\s,\[\]{}#"']+)"""
                          r"""[ \t]*(?=\r?\n|\Z)""")
_SPACES = re.compile(r"[ \t]*")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
# A date and time may be written with a space inside ("1953-07-19 10:00:00").
_SCALAR = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                     r"(?:[Zz]|[+-]\d{2}:\d{2})?|[^\s,\]}#]+")


class Positions:
    """The line (from 1) where each path is first written."""

    def __init__(self, lines: dict[KeyPath, int]):
        self._lines = lines

    def line(self, *path) -> int | None:
        """The line of ``path``; None if the text does not write it."""
        return self._lines.get(path)

    def __contains__(self, path: KeyPath) -> bool:
        return path in self._lines


def locate(text: str) -> Positions:
    """The position of every table, key and array item written in ``text``."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (_Unreadable, RecursionError):
        pass            # keep what was found before it
    return Positions(scanner.found)


class _Unreadable(Exception):
    """Text that is not TOML: the scan ends there."""


class _Scanner:
    def __init__(self, text: str):
        self.text, self.i = text, 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.found: dict[KeyPath, int] = {}
        self.arrays: dict[KeyPath, int] = {}       # array of tables -> entries so far
        self.table: KeyPath = ()

    def line(self) -> int:
        """The line the scan is on."""
        return bisect.bisect_left(self.newlines, self.i) + 1

    def mark(self, path: KeyPath, line: int) -> None:
        """``path`` and the tables it names along the way are written on ``line`` (unless
        written before)."""
        for end in range(1, len(path) + 1):
            self.found.setdefault(path[:end], line)

    # -- the document ---------------------------------------------------------
    def document(self) -> None:
        while self.skip_blank():
            line = self.line()
            if self.text.startswith("[[", self.i):
                self.i += 2
                self.array_header(self.keys("]]"), line)
            elif self.text.startswith("[", self.i):
                self.i += 1
                self.table = self.resolve(self.keys("]"))
                self.mark(self.table, line)
            else:
                simple = _SIMPLE_LINE.match(self.text, self.i)
                if simple:          # most lines: read at once
                    self.found.setdefault(self.table + (simple[1],), line)
                    self.i = simple.end()
                else:
                    self.key_value(self.table)
            self.end_of_line()

    def array_header(self, keys: list[str], line: int) -> None:
        array = self.resolve(keys[:-1]) + (keys[-1],)
        index = self.arrays.get(array, 0)
        self.arrays[array] = index + 1
        self.table = array + (index,)
        self.mark(self.table, line)

    def resolve(self, keys: list[str]) -> KeyPath:
        """A header's keys as a path: a name of an array of tables means its last entry."""
        path: KeyPath = ()
        for key in keys:
            path += (key,)
            if path in self.arrays:
                path += (self.arrays[path] - 1,)
        return path

    def key_value(self, table: KeyPath) -> None:
        line = self.line()
        keys = self.keys("=")
        self.mark(table + tuple(keys), line)
        self.skip_spaces()
        self.value(table + tuple(keys))

    def keys(self, closing: str) -> list[str]:
        """A dotted key up to and past ``closing`` ("=", "]" or "]]")."""
        keys = []
        while True:
            self.skip_spaces()
            keys.append(self.key())
            self.skip_spaces()
            if self.text.startswith(closing, self.i):
                self.i += len(closing)
                return keys
            if not self.text.startswith(".", self.i):
                raise _Unreadable
            self.i += 1

    def key(self) -> str:
        for pattern in (_BARE_KEY, _BASIC, _LITERAL):
            match = pattern.match(self.text, self.i)
            if match:
                self.i = match.end()
                written = match[0]
                if pattern is _BARE_KEY:
                    return written
                if pattern is _LITERAL:
                    return written[1:-1]
                return tomllib.loads(f"k = {written}")["k"]     # its escapes, as TOML reads them
        raise _Unreadable

    # -- values -----------------------------------------------------------------
    def value(self, path: KeyPath) -> None:
        text, i = self.text, self.i
        if text.startswith(('"""', "'''"), i):
            self.multi_line_string(text[i:i + 3])
        elif text.startswith('"', i) or text.startswith("'", i):
            match = (_BASIC if text[i] == '"' else _LITERAL).match(text, i)
            if not match:
                raise _Unreadable
            self.i = match.end()
        elif text.startswith("[", i):
            self.i += 1
            self.array(path)
        elif text.startswith("{", i):
            self.i += 1
            self.inline_table(path)
        else:
            match = _SCALAR.match(text, i)
            if not match:
                raise _Unreadable
            self.i = match.end()

    def multi_line_string(self, quotes: str) -> None:
        i = self.i + 3
        while True:
            end = self.text.find(quotes, i)
            if end < 0:
                raise _Unreadable
            if quotes == '"""' and _escaped(self.text, end):
                i = end + 1
                continue
            run = 3     # up to two quotes of the text itself may come before the closing ones
            while run < 5 and self.text.startswith(quotes[0], end + run):
                run += 1
            self.i = end + run
            return

    def array(self, path: KeyPath) -> None:
        index = 0
        while True:
            self.skip_blank()
            if self.text.startswith("]", self.i):
                self.i += 1
                return
            self.mark(path + (index,), self.line())
            self.value(path + (index,))
            self.skip_blank()
            if self.text.startswith(",", self.i):
                self.i += 1
                index += 1
            elif not self.text.startswith("]", self.i):
                raise _Unreadable

    def inline_table(self, path: KeyPath) -> None:
        while True:
            self.skip_blank()
            if self.text.startswith("}", self.i):
                self.i += 1
                return
            self.key_value(path)
            self.skip_blank()
            if self.text.startswith(",", self.i):
                self.i += 1
            elif not self.text.startswith("}", self.i):
                raise _Unreadable

    # -- space ------------------------------------------------------------------
    def skip_spaces(self) -> None:
        self.i = _SPACES.match(self.text, self.i).end()

    def skip_blank(self) -> bool:
        """Past spaces, line ends and comments; False at the end of the text."""
        self.i = _BLANK.match(self.text, self.i).end()
        return self.i < len(self.text)

    def end_of_line(self) -> None:
        self.skip_spaces()
        if self.text.startswith("#", self.i) or self.text.startswith("\r", self.i):
            self.skip_blank()
        elif self.i < len(self.text) and self.text[self.i] != "\n":
            raise _Unreadable


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes."""
    start = index
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (index - start) % 2 == 1


# -- text tomllib refused -------------------------------------------------------
def error_line(error: tomllib.TOMLDecodeError, text: str) -> int | None:
    """The line a TOMLDecodeError names (its message on Pythons before 3.14)."""
    line = getattr(error, "lineno", None)
    if line:
        return line
    message = str(error)
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match[1])
    if "end of document" in message and text:
        return text.count("\n") + (0 if text.endswith("\n") else 1) or 1
    return None


def deepest_line(text: str) -> int:
    """The line where brackets and braces (outside strings and comments) nest deepest:
    where to look when text nests too deeply for tomllib."""
    depth, best, best_line = 0, -1, 1
    for number, line in enumerate(text.split("\n"), 1):
        for c in _code_chars(line):
            if c in "[{":
                depth += 1
                if depth > best:
                    best, best_line = depth, number
            elif c in "]}":
                depth = max(0, depth - 1)
    return best_line


def _code_chars(line: str):
    """Each character of a TOML line outside its strings, up to a comment."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return
        else:
            yield c
        i += 1
