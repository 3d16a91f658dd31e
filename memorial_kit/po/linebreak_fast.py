"""A faster path to the line breaks of linebreak.py, for text without rare classes.

The state machine of linebreak.py walks every character in Python.  For text with none
of the classes that need its extra state (mandatory breaks, combining marks, ZW, ZWJ,
regional indicators), a break before position i depends only on the class before it (or
before the spaces before it) and its own: regular expressions over a string of class
letters find them in C, and for text of one-column characters the greedy fill needs only
the opportunities near each line's end.

Why it exists: writing the benchmark's 10,000-message catalog takes about 0.5 s of CPU
with it and 2.0 s with the state machine alone, and without it the benchmark target
"update >= 20x faster than msgmerge" (benchmarks/run.py, section 1a; the update writes
the catalog it merged) fails.  tests/test_po_linebreak.py checks on random text that both
paths give the same breaks.
"""
from __future__ import annotations

import bisect
import re

from .linebreak import (_AI, _AL, _BA, _BK, _CB, _CM, _CR, _HL, _HY, _ID1, _LF, _POSSIBLE,
                        _RI, _SA, _SP, _XX, _ZW, _ZWJ, PROHIBITED, _unicode_tables, text_width,
                        width_linebreaks)

_CLASS_CHAR = 0x41                   # class n is written as chr(0x41 + n)
_SLOW_CLASSES = {_BK, _CR, _LF, _CM, _ZW, _ZWJ, _RI}
_class_maps: dict[bool, tuple[dict[int, str], set[str]]] = {False: ({}, set()), True: ({}, set())}
_fast_res: tuple | None = None


def _class_of(cp: int, props: bytes, cjk: bool) -> int:
    prop = props[cp]
    if prop == _AI:
        return _ID1 if cjk else _AL
    if prop == _CB:
        return _ID1
    if prop == _SA or prop == _XX:
        return _AL
    return prop


def _fast_regexes(pairs):
    """(spaced, after, before, slow), built once, over class strings.

    spaced matches a run of spaces after which a break is possible (class X before it,
    class Y after it, X SP+ Y breakable).  A break with no space (X Y breakable
    directly) is found by after, which ends at such an X of the punctuation kind, or by
    before, which starts at such a Y for the letters, digits and common punctuation of
    Latin text (they break directly only before rare classes, so the engine skips
    ahead to those).  slow finds the classes only the full machine handles.
    """
    global _fast_res
    if _fast_res is None:
        n = len(pairs)
        ch = lambda k: re.escape(chr(_CLASS_CHAR + k))  # noqa: E731
        chars = lambda ks: "".join(ch(k) for k in sorted(ks))  # noqa: E731
        sp = ch(_SP)
        props = _unicode_tables()[0]
        common = {_class_of(ord(c), props, False) for c in "a0 ,.;:!?'\"()"}
        breaks_after_space, direct_groups = {}, {}
        for x in range(n):
            ys = {y for y in range(n) if pairs[x][y] in (1, 2)}
            if ys:
                breaks_after_space[x] = ys
            direct = frozenset(y for y in range(n) if pairs[x][y] == 1)
            if direct:
                direct_groups.setdefault(direct, set()).add(x)
        # the spaces after X where X SP+ Y breaks: for most X, before any Y in ys_all;
        # the few other X each name the Y they do not break before
        ys_all = set().union(*breaks_after_space.values())
        general = {x for x, ys in breaks_after_space.items() if ys == ys_all}
        branches = [f"(?<=[{chars(general)}]{sp})"]
        branches += [f"(?<={ch(x)}{sp})(?!{sp}*[{chars(ys_all - ys)}])"
                     for x, ys in breaks_after_space.items() if x not in general]
        spaced = re.compile(f"{sp}(?:{'|'.join(branches)}){sp}*(?=[{chars(ys_all)}])")
        # Direct breaks, found from their rarer side so that the regex engine skips
        # ahead to it: after punctuation (X), or before a rare class (Y) for the letters,
        # digits and common punctuation of Latin text (quiet X, which break directly
        # only before rare classes).
        quiet = {x for ys, xs in direct_groups.items() if not ys & common for x in xs}
        after_x = [(xs - quiet, ys) for ys, xs in direct_groups.items() if xs - quiet]
        before_y = [(xs & quiet, ys) for ys, xs in direct_groups.items() if xs & quiet]
        after = re.compile(f"[{chars(set().union(*(xs for xs, _ in after_x)))}](?:" + "|".join(
            f"(?<=[{chars(xs)}])(?=[{chars(ys)}])" for xs, ys in after_x) + ")")
        before = re.compile(f"[{chars(set().union(*(ys for _, ys in before_y)))}](?:" + "|".join(
            f"(?<=[{chars(xs)}][{chars(ys)}])" for xs, ys in before_y) + ")")
        slow = re.compile(f"[{chars(_SLOW_CLASSES)}]")
        _fast_res = (spaced, after, before, slow)
    return _fast_res


def _class_string(text: str, cjk: bool) -> str:
    """``text`` with each character replaced by the letter of its line-break class."""
    table, known = _class_maps[cjk]
    if not known:
        props = _unicode_tables()[0]
        for cp in range(0x250):       # ASCII and Latin, up front
            table[cp] = chr(_CLASS_CHAR + _class_of(cp, props, cjk))
            known.add(chr(cp))
    if not text.isascii():
        props = _unicode_tables()[0]
        for c in set(text) - known:
            table[ord(c)] = chr(_CLASS_CHAR + _class_of(ord(c), props, cjk))
            known.add(c)
    return text.translate(table)


def fast_classes(text: str, cjk: bool) -> tuple[str, list[int]] | None:
    """(class string, direct break positions, ascending) of ``text``, or None when it
    needs the full machine."""
    classes = _class_string(text, cjk)
    _, after, before, slow = _fast_regexes(_unicode_tables()[2])
    if slow.search(classes):
        return None
    direct = [m.end() for m in after.finditer(classes)]
    direct += [m.start() for m in before.finditer(classes)]
    if direct:
        hl, hy, ba = (chr(_CLASS_CHAR + k) for k in (_HL, _HY, _BA))
        # (LB21a) Hebrew letter + hyphen: no break after
        direct = sorted(i for i in direct
                        if not (i >= 2 and classes[i - 2] == hl and classes[i - 1] in (hy, ba)))
    return classes, direct


def _break_positions_fast(text: str, cjk: bool) -> list[int] | None:
    """The positions _possible_breaks marks POSSIBLE, in order, or None when ``text``
    needs the full machine."""
    found = fast_classes(text, cjk)
    return None if found is None else _positions(*found)


def _positions(classes: str, direct: list[int]) -> list[int]:
    """Every break opportunity of a class string with its direct ones, in order."""
    spaced = [m.end() for m in _fast_regexes(_unicode_tables()[2])[0].finditer(classes)]
    return sorted(spaced + direct) if direct else spaced


def near_linebreaks(classes: str, direct: list[int], overrides, width: int,
                     start_column: int, any_break: bool = False):
    """libunistring's greedy line breaks for fast-path text whose every character is one
    column wide (or, with ``any_break``, whether there is any opportunity at all), from
    the opportunities near the end of each line only.

    A long message has a break opportunity after nearly every word, but the greedy fill
    needs only the last one before each line's end and the first one after it: found
    with rfind/search on the class string, and the pattern of breakable spaces.
    """
    spaced = _fast_regexes(_unicode_tables()[2])[0]
    space, n = chr(_CLASS_CHAR + _SP), len(classes)
    last_space = classes.rfind(space)

    def allowed(p: int) -> bool:
        return overrides is None or not overrides[p]      # overrides only prohibit

    def run_start(p: int) -> int:
        while p > 0 and classes[p - 1] == space:
            p -= 1
        return p

    def last_in(low: int, high: int) -> int | None:
        """The last opportunity p with low < p <= high."""
        best, k = None, bisect.bisect_right(direct, high) - 1
        while k >= 0 and direct[k] > low:
            if allowed(direct[k]):
                best = direct[k]
                break
            k -= 1
        end = high + 1
        while True:
            s = classes.rfind(space, low, end - 1)    # a run of spaces ending at s + 1
            if s < 0 or (best is not None and s + 1 <= best):
                return best
            first = run_start(s)
            m = spaced.match(classes, first, high + 1)
            if m is not None and m.end() == s + 1 and s + 1 > low and allowed(s + 1):
                return s + 1
            end = first + 1

    def first_after(low: int) -> int | None:
        """The first opportunity p > low."""
        best, k = None, bisect.bisect_right(direct, low)
        while k < len(direct):
            if allowed(direct[k]):
                best = direct[k]
                break
            k += 1
        position = run_start(low)
        # no search past the last space, nor past the first direct break (none can win)
        stop = n if best is None else best + 1
        while position <= last_space:
            m = spaced.search(classes, position, stop)
            if m is None or (best is not None and m.end() > best):
                return best
            if m.end() > low and allowed(m.end()):
                return m.end()
            position = m.end()
        return best

    if any_break:               # whether there is any opportunity at all
        return first_after(0) is not None
    breaks, start, column, last = [], 0, start_column, None
    while True:
        limit = start + width - column        # the last position this line can reach
        if n <= limit:
            return breaks
        low = start if last is None else last
        if limit > low:
            found = last_in(low, limit)
            if found is not None:
                last = found
        following = first_after(max(limit, low if last is None else last))
        if following is None:
            if last is not None:
                breaks.append(last)
            return breaks
        if last is not None:
            breaks.append(last)
            start, column = last, 0
        last = following


def _possible_breaks_fast(text: str, cjk: bool) -> list[int] | None:
    """_possible_breaks's list from the fast path (for the tests that compare them)."""
    positions = _break_positions_fast(text, cjk)
    return None if positions is None else _marks(positions, len(text))


def _marks(positions: list[int], n: int) -> list[int]:
    res = [PROHIBITED] * n
    for i in positions:
        res[i] = _POSSIBLE
    return res


def text_linebreaks(text: str, overrides, width: int, start_column: int, cjk: bool,
                    found: tuple | None | bool = False) -> list[int]:
    """width_linebreaks of ``text``, through this path where it applies.
    ``found``: fast_classes(text), when the caller has it already."""
    if found is False:
        found = fast_classes(text, cjk)
    if found is not None and text_width(text, cjk) == len(text):
        return near_linebreaks(*found, overrides, width, start_column)
    marks = _marks(_positions(*found), len(text)) if found is not None else None
    return width_linebreaks([ord(c) for c in text], overrides, width, start_column, cjk, marks)
