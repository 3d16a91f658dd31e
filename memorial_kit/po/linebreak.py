"""Where GNU gettext breaks a long line: libunistring 1.0's UAX #14 line breaker and
display widths (u8_width_linebreaks, uc_width), on the tables of linebreak_data."""
from __future__ import annotations

import re

# Line-break classes, numbered as in libunistring 1.0 (lbrktables.h).
CLASS_NAMES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2",
    "QU", "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT", "HL",
    "RI", "ZWJ", "EB", "EM",                  # the pair table's classes, then those
    "BK", "CR", "LF", "CM", "ZW", "SP", "CB", "AI", "SA", "XX")   # resolved by the code
_WJ, _GL, _BA, _HY, _AL, _ID1, _HL, _RI, _ZWJ = 0, 1, 3, 5, 20, 23, 28, 29, 30
_BK, _CR, _LF, _CM, _ZW, _SP, _CB, _AI, _SA, _XX = range(33, 43)
_HL_BA = 100                      # runtime-only: Hebrew letter + hyphen
PROHIBITED, _POSSIBLE, _MANDATORY = 1, 2, 3

# UAX #14's pair table as libunistring 1.0 has it (unilbrk/lbrktables.c): row = the class
# before, column = the class after, both in CLASS_NAMES order; D a direct break (allowed),
# I an indirect one (allowed only after spaces), P prohibited.
PAIR_TABLE = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # WJ
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # GL
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # B2
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # BA
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # BB
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # HY
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",  # CL
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",  # CP1
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",  # CP2
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # EX
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # IN
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP1
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP2
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",  # QU
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # IS
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # NU
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",  # PO
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",  # PR
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",  # SY
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # AL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # H2
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # H3
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # ID1
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # ID2
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",  # JL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # JV
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # JT
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # HL
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # RI
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",  # ZWJ
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # EB
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # EM
)

_tables: tuple[bytes, bytes, list[list[int]]] | None = None


def _unicode_tables():
    """(class per code point, width+1 per code point, pair table); built once."""
    global _tables
    if _tables is None:
        # imported here, when a line is first broken: reading and compiling never need it
        from .linebreak_data import LINE_BREAK, WIDTH
        _tables = (_per_code_point(LINE_BREAK, {name: n for n, name in enumerate(CLASS_NAMES)}),
                   _per_code_point(WIDTH, {w: w + 1 for w in (-1, 0, 1, 2)}),
                   [[".DIP".index(c) for c in row] for row in PAIR_TABLE])
    return _tables


def _per_code_point(runs: tuple, value_of: dict) -> bytes:
    """One byte per code point from (first code point, value) runs."""
    table = bytearray()
    for (first, value), (end, _) in zip(runs, runs[1:] + ((0x110000, None),)):
        table += bytes((value_of[value],)) * (end - first)
    return bytes(table)


def _possible_breaks(cps: list[int], cjk: bool) -> list[int]:
    """UAX #14 break opportunities before each code point (libunistring 1.0)."""
    props, _, pairs = _unicode_tables()
    ai = _ID1 if cjk else _AL
    res = [PROHIBITED] * len(cps)
    prev = last = _BK
    seen_space = False
    ri_count = 0
    for i, cp in enumerate(cps):
        prop = props[cp]
        if prop == _BK or prop == _LF or prop == _CR:
            res[i] = _MANDATORY
            prev, last, seen_space = prop, _BK, False
        else:
            if prop == _AI:
                prop = ai
            elif prop == _CB:
                prop = _ID1
            elif prop == _SA or prop == _XX:
                prop = _AL
            if prop == _SP:
                seen_space = True
            elif prop == _ZW:
                last, seen_space = _ZW, False
            elif prop == _CM or prop == _ZWJ:
                if last == _BK:
                    last, seen_space = _AL, False
                elif last == _ZW or seen_space:
                    res[i] = _POSSIBLE
                    last, seen_space = _AL, False
            else:
                if last == _BK:
                    brk = False             # (LB4-6) never at the start of a line
                elif last == _ZW:
                    brk = True              # (LB8) after a zero-width space
                elif prev == _ZWJ:
                    brk = False             # (LB8a)
                elif last == _RI and prop == _RI:
                    brk = seen_space or ri_count % 2 == 0      # (LB30a) flag pairs
                elif prev == _HL_BA:
                    brk = False             # (LB21a)
                else:
                    kind = pairs[last][prop]
                    brk = kind == 1 or (kind == 2 and seen_space)
                if brk:
                    res[i] = _POSSIBLE
                last, seen_space = prop, False
            prev = _HL_BA if prev == _HL and (prop == _HY or prop == _BA) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
    return res


def _char_width(cp: int, widths: bytes, cjk: bool) -> int:
    w = widths[cp] - 1
    if cjk and w == 1 and 0xA1 <= cp < 0xFF61 and cp != 0x20A9:
        return 2
    return w


def width_linebreaks(cps: list[int], overrides, width: int, start_column: int, cjk: bool,
                     marks: list[int] | None = None) -> list[int]:
    """Indexes before which a line break goes (libunistring u8_width_linebreaks).
    ``marks``: the break opportunities of ``cps`` (as _possible_breaks gives them), when the
    caller has them already."""
    _, widths, _ = _unicode_tables()
    if overrides is None:
        overrides = [0] * len(cps)
    p = marks if marks is not None else _possible_breaks(cps, cjk)
    breaks = []
    last_p = None
    column, piece = start_column, 0
    for i, cp in enumerate(cps):
        if overrides[i]:
            p[i] = overrides[i]
        kind = p[i]
        if kind >= _POSSIBLE and last_p is not None and column + piece > width:
            breaks.append(last_p)
            column = 0
        if kind == _MANDATORY:
            last_p, column, piece = None, 0, 0
            continue
        if kind == _POSSIBLE:
            last_p = i
            column += piece
            piece = 0
        w = _char_width(cp, widths, cjk)
        if w > 0:
            piece += w
    if last_p is not None and column + piece > width:
        breaks.append(last_p)
    return breaks


_odd_width_re: re.Pattern | None = None


def _odd_width_chars() -> re.Pattern:
    """Regex matching every character whose width is not 1 (built once)."""
    global _odd_width_re
    if _odd_width_re is None:
        _odd_width_re = re.compile("[" + "".join(
            f"{re.escape(chr(first))}-{re.escape(chr(last))}"
            for first, last in _odd_width_ranges(_unicode_tables()[1])) + "]")
    return _odd_width_re


def _odd_width_ranges(widths: bytes) -> list[tuple[int, int]]:
    """(first, last) code points of each run whose width is not 1, surrogates left out
    (no text holds one).  The runs are found in C, over the table's bytes: a loop over
    its 1,114,112 code points in Python took 0.16 s, paid by every process that wrote a
    catalog with a letter outside ASCII."""
    ranges = []
    for run in re.finditer(rb"[^\x02]+", widths):          # width + 1 == 2: one column
        for first, end in ((run.start(), min(run.end(), 0xD800)),
                           (max(run.start(), 0xE000), run.end())):
            if first < end:
                ranges.append((first, end - 1))
    return ranges


def text_width(text: str, cjk: bool) -> int:
    if text.isascii() and text.isprintable():
        return len(text)
    _, widths, _ = _unicode_tables()
    if cjk:
        return sum(max(_char_width(ord(c), widths, cjk), 0) for c in text)
    odd = _odd_width_chars().findall(text)
    return len(text) - len(odd) + sum(max(widths[ord(c)] - 1, 0) for c in odd)

