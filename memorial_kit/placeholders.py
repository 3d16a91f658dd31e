"""Placeholders: the two grammars a translation must keep, read in one place.

- ``{name}``: the facts of an exhibit label (``{strikers}``, ``{period}``), filled by
  the renderer in each language's formats.  Only a plain name is a placeholder;
  ``{{`` and ``}}`` are literal braces and any other brace is a mistake.
- ``%(name)s``, ``%s``, ``%%``: Python's printf-style directives, which the templates'
  new-style gettext fills.  The checks read Python's whole grammar (a translator may
  write ``%(num)d`` or ``%5s``); the renderer fills only ``%(name)s`` and ``%%``: a
  width in a translation (``%(page)2000000s``) could pad a page to gigabytes.

Placeholders are never ``str.format`` nor the ``%`` operator: a translation cannot
reach an attribute or an index of a value, and a name with no value is an error, not
a blank.  GNU gettext's own ``*-format`` grammars (what ``msgfmt -c`` checks) are
:mod:`memorial_kit.po`'s.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME_RE = re.compile(NAME + r"\Z")
# a {name}, a literal {{ or }}, or a stray brace
_BRACE_RE = re.compile(r"\{(" + NAME + r")\}|\{\{|\}\}|[{}]")
# Python's printf-style directive (``%%`` included)
DIRECTIVE = (r"%(?:\((?P<name>[^)]*)\))?(?P<flags>[-#0 +]*)(?P<width>\*|\d+)?"
             r"(?:\.(?P<precision>\*|\d+))?(?P<conversion>[diouxXeEfFgGcrsa%])")
_DIRECTIVE_RE = re.compile(DIRECTIVE)
# a {name} or a literal brace
_BRACE_TOKENS_RE = re.compile(r"\{" + NAME + r"\}|\{\{|\}\}")
# What a pseudo-translation or a number search leaves as it is: either grammar's token
PROTECTED = re.sub(r"\?P<\w+>", "?:", DIRECTIVE) + "|" + _BRACE_TOKENS_RE.pattern
_PROTECTED_RE = re.compile(PROTECTED)
# What the renderer fills, as a pattern a browser's RegExp reads too (the live preview
# finds a passage's words between them)
FILLED = r"\{" + NAME + r"\}|%\(" + NAME + r"\)s|%%"
_CONVERSION_KIND = {**{c: "integer" for c in "diouxXc"}, **{c: "number" for c in "eEfFgG"},
                    **{c: "text" for c in "rsa"}}


class Unfillable(ValueError):
    """A placeholder the values cannot fill: ``token`` as written, and ``stray`` when it
    is no placeholder at all (a lone brace or ``%``, a width)."""

    def __init__(self, token: str, stray: bool):
        super().__init__(token)
        self.token, self.stray = token, stray


def is_name(text: str) -> bool:
    """``text`` can be a placeholder's name (``{text}``, ``%(text)s``)."""
    return bool(_NAME_RE.match(text))


# --------------------------------------------------------------------------
# {name}
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Braces:
    """The ``{name}`` placeholders of a text: the names, in order of use, and the offsets
    of the braces that are neither a placeholder nor ``{{``/``}}``."""
    names: tuple[str, ...]
    stray: tuple[int, ...]


def braces(text: str) -> Braces:
    names, stray = [], []
    for match in _BRACE_RE.finditer(text):
        if match.group(1) is not None:
            names.append(match.group(1))
        elif match.group() not in ("{{", "}}"):
            stray.append(match.start())
    return Braces(tuple(names), tuple(stray))


def brace_fields(text: str) -> tuple[set[str], list[str]]:
    """({name} placeholders, a few characters around each stray brace)."""
    found = braces(text)
    return set(found.names), [text[max(0, at - 10):at + 11] for at in found.stray]


def malformed(text: str, at: int) -> str:
    """What was meant as a placeholder at the stray brace ``at``, as written."""
    return re.match(r"\{[^{}]*\}?|\}", text[at:])[0]


def fill_braces(text: str, values: dict, literal=str, value=str) -> list:
    """``text`` as pieces: ``literal(part)`` for the text between placeholders (a
    literal brace included) and ``value(values[name])`` for each ``{name}``."""
    out, position = [], 0
    for match in _BRACE_RE.finditer(text):
        out.append(literal(text[position:match.start()]))
        token = match.group()
        if match.group(1) is not None:
            if match.group(1) not in values:
                raise Unfillable(token, stray=False)
            out.append(value(values[match.group(1)]))
        elif token in ("{{", "}}"):
            out.append(literal(token[0]))
        else:
            raise Unfillable(token, stray=True)
        position = match.end()
    out.append(literal(text[position:]))
    return out


# --------------------------------------------------------------------------
# %(name)s
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Directives:
    """The printf-style directives of a text: named ((name, kind) -> how many), unnamed
    ((kind, as written) in order) and stray (a lone ``%`` and what follows it)."""
    named: Counter
    unnamed: list[tuple[str, str]]
    stray: list[str]


def directives(text: str) -> Directives:
    """Each directive's kind is ``integer``, ``number`` or ``text`` (``%%`` is none)."""
    named: Counter = Counter()
    unnamed, stray = [], []
    for match, at in _percent_signs(text):
        if match is None:
            stray.append(text[at:at + 8])
        elif match["conversion"] != "%":
            kind = _CONVERSION_KIND[match["conversion"]]
            if match["name"] is not None:
                named[(match["name"], kind)] += 1
            else:
                unnamed.append((kind, match.group()))
    return Directives(named, unnamed, stray)


def has_directive(text: str) -> bool:
    """``text`` has a directive other than ``%%`` (a Python format string)."""
    return any(match is not None and match.group() != "%%" for match, _ in _percent_signs(text))


def fill_percent(text: str, values: dict, literal=str, value=str) -> list:
    """``text`` as pieces, as :func:`fill_braces`, each ``%(name)s`` of ``values`` filled
    and ``%%`` a percent sign: any other directive, or a lone ``%``, is unfillable."""
    out, position = [], 0
    for match, at in _percent_signs(text):
        out.append(literal(text[position:at]))
        token = match.group() if match is not None else "%"
        name = match["name"] if match is not None else None
        plain = name is not None and token == f"%({name})s" and is_name(name)
        if token == "%%":
            out.append(literal("%"))
        elif plain and name in values:
            out.append(value(values[name]))
        else:
            raise Unfillable(token, stray=not plain)
        position = at + len(token)
    out.append(literal(text[position:]))
    return out


def _percent_signs(text: str):
    """(directive match or None, offset) for each ``%`` that is not inside a directive."""
    position = 0
    while (at := text.find("%", position)) >= 0:
        match = _DIRECTIVE_RE.match(text, at)
        yield match, at
        position = match.end() if match is not None else at + 1


# --------------------------------------------------------------------------
# Both
# --------------------------------------------------------------------------
def protect(text: str, change, also: str = "") -> str:
    """``change`` applied to the parts of ``text`` that are not placeholders (of either
    grammar, ``{{``, ``}}`` and ``%%`` included) nor a match of the pattern ``also``,
    which is tried first."""
    pattern = re.compile(f"{also}|{PROTECTED}") if also else _PROTECTED_RE
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(change(text[position:match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(change(text[position:]))
    return "".join(out)


def blank(text: str, percent: bool = True) -> str:
    """``text`` with its placeholders (``{name}``; with ``percent``, directives too)
    replaced by spaces, so that offsets stay where they were."""
    spaces = lambda match: " " * len(match.group())  # noqa: E731
    text = _BRACE_TOKENS_RE.sub(spaces, text)
    return _DIRECTIVE_RE.sub(spaces, text) if percent else text
