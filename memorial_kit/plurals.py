"""Plural-Forms headers, parsed and evaluated without eval().

A catalog's header says e.g. ``nplurals=3; plural=(n%10==1 && n%100!=11 ? 0
: ...);``.  The expression comes from a translator's file, so it is never
handed to Python's eval/compile/exec: a tokenizer and a recursive-descent
parser for the C subset gettext accepts build a tree of small closures.

Grammar (lowest precedence first; ``?:`` and ``!`` associate to the right):

    cond    := or ['?' cond ':' cond]
    or      := and {'||' and}       and := eq {'&&' eq}
    eq      := rel {('=='|'!=') rel} rel := add {('<'|'<='|'>'|'>=') add}
    add     := mul {('+'|'-') mul}   mul := unary {('*'|'/'|'%') unary}
    unary   := '!' unary | 'n' | NUMBER | '(' cond ')'

Arithmetic follows Python's ``gettext.c2py`` (integers, ``/`` floors), which
equals C's for the non-negative values real plural rules produce.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .errors import CatalogError

__all__ = ["PluralForms", "parse_plural_forms"]

MAX_EXPRESSION = 1000
MAX_DEPTH = 100
MAX_NPLURALS = 10
CHECKED_RANGE = range(0, 1001)

_TOKEN_RE = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
_HEADER_RE = re.compile(r"\s*nplurals\s*=\s*(\S*?)\s*;\s*plural\s*=(.*)\Z", re.S)

# Binary operators by precedence level (higher binds tighter).
_BINARY = {
    "||": (1, None), "&&": (2, None),
    "==": (3, lambda a, b: int(a == b)), "!=": (3, lambda a, b: int(a != b)),
    "<": (4, lambda a, b: int(a < b)), "<=": (4, lambda a, b: int(a <= b)),
    ">": (4, lambda a, b: int(a > b)), ">=": (4, lambda a, b: int(a >= b)),
    "+": (5, lambda a, b: a + b), "-": (5, lambda a, b: a - b),
    "*": (6, lambda a, b: a * b), "/": (6, None), "%": (6, None),
}

Node = Callable[[int], int]


class _DivisionByZero(Exception):
    pass


def _divide(a: int, b: int) -> int:
    if b == 0:
        raise _DivisionByZero
    return a // b


def _modulo(a: int, b: int) -> int:
    if b == 0:
        raise _DivisionByZero
    return a % b


def _combine(op: str, func, left: Node, right: Node) -> Node:
    # && and || short-circuit as in C: "n > 3 && 1/(n-3)" never divides by zero.
    if op == "&&":
        return lambda n: int(bool(left(n)) and bool(right(n)))
    if op == "||":
        return lambda n: int(bool(left(n)) or bool(right(n)))
    func = func or (_divide if op == "/" else _modulo)
    return lambda n: func(left(n), right(n))


@dataclass(frozen=True)
class PluralForms:
    nplurals: int
    expression: str
    _func: Node = field(repr=False, compare=False, default=lambda n: 0)

    def __call__(self, n: int) -> int:
        """Index of the plural form for ``n`` (CatalogError if it divides by 0)."""
        try:
            value = self._func(n)
        except _DivisionByZero:
            raise CatalogError(f"plural expression {self.expression!r} divides by zero "
                               f"for n = {n}") from None
        if not 0 <= value < self.nplurals:
            raise CatalogError(f"plural expression {self.expression!r} gives {value} for "
                               f"n = {n}, outside 0..{self.nplurals - 1}")
        return value


class _Parser:
    def __init__(self, text: str, fail: Callable[[str], CatalogError]):
        self.text, self.fail = text, fail
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.depth = 0

    def _tokenize(self, text: str) -> list[tuple[str, str | int]]:
        tokens, pos = [], 0
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos == len(text):
                return tokens
            m = _TOKEN_RE.match(text, pos)
            if m is None:
                word = re.match(r"[A-Za-z_]\w*", text[pos:])
                what = (f"unknown identifier {word.group(0)!r}" if word
                        else f"unexpected character {text[pos]!r}")
                raise self.fail(f"{what} at position {pos + 1} of the plural expression")
            if m.group(1) is not None:
                tokens.append(("num", int(m.group(1))))
            elif m.group(2):
                if re.match(r"\w", text[m.end():m.end() + 1]):
                    word = re.match(r"\w+", text[m.start(2):]).group(0)
                    raise self.fail(f"unknown identifier {word!r} in the plural expression")
                tokens.append(("n", "n"))
            else:
                tokens.append(("op", m.group(3)))
            pos = m.end()

    def peek(self) -> str | None:
        if self.pos < len(self.tokens) and self.tokens[self.pos][0] == "op":
            return self.tokens[self.pos][1]
        return None

    def expect(self, op: str) -> None:
        if self.peek() != op:
            got = self._describe()
            raise self.fail(f"expected {op!r} but found {got} in the plural expression")
        self.pos += 1

    def _describe(self) -> str:
        if self.pos >= len(self.tokens):
            return "the end"
        return repr(str(self.tokens[self.pos][1]))

    def nest(self, depth: int) -> int:
        """Depth of a new node; the tree (parentheses, chains) stays shallow."""
        if depth > MAX_DEPTH:
            raise self.fail(f"plural expression is nested deeper than {MAX_DEPTH} levels")
        return depth

    def parse(self) -> Node:
        node, _ = self.cond()
        if self.pos != len(self.tokens):
            raise self.fail(f"unexpected {self._describe()} after the end of the plural "
                            "expression")
        return node

    # Each rule returns (closure, depth of its tree).
    def cond(self) -> tuple[Node, int]:
        test, d1 = self.binary(1)
        if self.peek() != "?":
            return test, d1
        self.pos += 1
        self.depth += 1                     # bound the recursion before it happens
        self.nest(self.depth)
        yes, d2 = self.cond()
        self.expect(":")
        no, d3 = self.cond()
        self.depth -= 1
        return (lambda n: yes(n) if test(n) else no(n)), self.nest(max(d1, d2, d3) + 1)

    def binary(self, min_level: int) -> tuple[Node, int]:
        left, depth = self.unary()
        while True:
            op = self.peek()
            if op not in _BINARY or _BINARY[op][0] < min_level:
                return left, depth
            level, func = _BINARY[op]
            self.pos += 1
            right, d2 = self.binary(level + 1)          # left-associative
            left = _combine(op, func, left, right)
            depth = self.nest(max(depth, d2) + 1)

    def unary(self) -> tuple[Node, int]:
        if self.pos >= len(self.tokens):
            raise self.fail("plural expression ends where a value was expected")
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "num":
            return (lambda n: value), 1
        if kind == "n":
            return (lambda n: n), 1
        if value == "!":
            self.depth += 1
            self.nest(self.depth)
            operand, depth = self.unary()
            self.depth -= 1
            return (lambda n: int(not operand(n))), self.nest(depth + 1)
        if value == "(":
            self.depth += 1                 # checked before recursing deeper
            self.nest(self.depth)
            inner, depth = self.cond()
            self.expect(")")
            self.depth -= 1
            return inner, depth
        raise self.fail(f"unexpected {value!r} where a value was expected in the plural "
                        "expression")


_PARSED: dict[str, PluralForms] = {}


def parse_plural_forms(header_value: str, path=None, line=None) -> PluralForms:
    """Parse a Plural-Forms value; CatalogError (with path/line) if malformed.  A value
    once found sound is not checked again in this process (a build loads each catalog
    for several pages)."""
    if header_value in _PARSED:
        return _PARSED[header_value]
    forms = _parse_plural_forms(header_value, path, line)
    if len(_PARSED) < 256:
        _PARSED[header_value] = forms
    return forms


def _parse_plural_forms(header_value: str, path=None, line=None) -> PluralForms:
    def fail(message: str, hint: str | None = None) -> CatalogError:
        return CatalogError(message, path=path, line=line, hint=hint)

    if len(header_value) > MAX_EXPRESSION + 200:
        # checked first: _HEADER_RE backtracks quadratically on long runs of spaces
        raise fail(f"Plural-Forms is {len(header_value)} characters long; a plural rule "
                   f"has at most {MAX_EXPRESSION}", hint="e.g. nplurals=2; plural=(n != 1);")
    m = _HEADER_RE.match(header_value)
    if m is None:
        raise fail(f"Plural-Forms {header_value[:80]!r} is not 'nplurals=N; plural=EXPR;'",
                   hint="e.g. nplurals=2; plural=(n != 1);")
    if not m.group(1).isdigit() or not 1 <= int(m.group(1)) <= MAX_NPLURALS:
        raise fail(f"nplurals must be a whole number from 1 to {MAX_NPLURALS}, "
                   f"not {m.group(1)!r}")
    nplurals = int(m.group(1))
    expression = m.group(2).strip()
    if expression.endswith(";"):
        expression = expression[:-1].rstrip()
    if len(expression) > MAX_EXPRESSION:
        raise fail(f"plural expression is {len(expression)} characters long; "
                   f"at most {MAX_EXPRESSION} are allowed")
    if not expression:
        raise fail("plural expression is empty")
    func = _Parser(expression, fail).parse()
    forms = PluralForms(nplurals, expression, func)
    try:
        for n in CHECKED_RANGE:       # a rule must work for every small count
            forms(n)
    except CatalogError as exc:
        raise fail(exc.message) from None
    return forms
