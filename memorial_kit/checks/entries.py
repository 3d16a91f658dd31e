"""Checks of one translated entry: pure functions ``(entry, context) -> list[Finding]``.

Each compares the translation with its source text: format directives and
placeholders, whitespace, numbers, proper names, markup, brackets, quotation
marks, double spaces and closing punctuation.  Entries that must hold a carved
inscription are compared letter for letter elsewhere (:mod:`.catalog`) and
skipped here.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .. import messages, placeholders
from ..po import Entry
from . import numbers as nums
from .findings import CODES, Finding

# --------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------


@dataclass
class EntryContext:
    """What the checks of one catalog's entries need to know."""
    locale: str
    domain: str
    path: str
    template_domain: bool = False             # the templates' words: %-formatted
    names: dict[str, str] = field(default_factory=dict)    # English name -> stem
    plural: object | None = None              # PluralForms of the header, if sound
    carved: dict[tuple, str] = field(default_factory=dict)  # (msgctxt, msgid) -> carved text
    source_locale: str = "en"
    # every carved text of the memorial, and where it is carved ("the front face of x")
    inscriptions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.locale.split("_")[0]

    @property
    def source_language(self) -> str:
        return self.source_locale.split("_")[0]

    def finding(self, entry: Entry | None, code: str, message: str,
                suggestion: str | None = None, severity: str | None = None) -> Finding:
        return Finding(code, severity or CODES[code][0], self.locale, self.domain, self.path,
                       entry.line if entry is not None else None,
                       entry.msgctxt if entry is not None else None,
                       entry.msgid if entry is not None else None, message, suggestion)


def pairs(entry: Entry, ctx: EntryContext) -> list[tuple[str, str, str, int | None]]:
    """(source, translation, which, form index) for each printed form of an entry."""
    if entry.msgid_plural is None:
        return [(entry.msgid, entry.msgstr, "", None)]
    singular = _singular_forms(ctx)
    out = []
    for index, form in enumerate(entry.msgstr_plural):
        source = entry.msgid if index in singular else entry.msgid_plural
        out.append((source, form, f" (msgstr[{index}])", index))
    return out


def _singular_forms(ctx: EntryContext) -> set[int]:
    """Plural forms used for n = 1 (their source is msgid, not msgid_plural)."""
    if ctx.plural is None:
        return {0}
    try:
        return {ctx.plural(1)}
    except Exception:  # noqa: BLE001 - a broken expression is reported by the catalog check
        return {0}


def _form_counts(ctx: EntryContext) -> Counter:
    """How many n in 0..999 each plural form serves."""
    if ctx.plural is None:
        return Counter()
    return Counter(_counts_of(ctx.plural))


@functools.lru_cache(maxsize=64)
def _counts_of(plural) -> Counter:
    """_form_counts of one Plural-Forms rule, worked out once (every plural entry asks)."""
    counts: Counter = Counter()
    try:
        for n in range(1000):
            counts[plural(n)] += 1
    except Exception:  # noqa: BLE001
        return Counter()
    return counts


def _q(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


# --------------------------------------------------------------------------
# Format directives and placeholders
# --------------------------------------------------------------------------
def check_format_python(entry: Entry, ctx: EntryContext) -> list[Finding]:
    """%(name)s and %s: the templates fill them with Python's % operator."""
    if not (ctx.template_domain or "python-format" in entry.flags):
        return []
    source = placeholders.directives(entry.msgid)
    src_named, src_unnamed = source.named, source.unnamed
    if entry.msgid_plural:
        src_named = src_named | placeholders.directives(entry.msgid_plural).named
    src_names = {name for name, _ in src_named}
    counts = _form_counts(ctx)
    out = []
    for _, text, which, index in pairs(entry, ctx):
        found = placeholders.directives(text)
        named, unnamed, stray = found.named, found.unnamed, found.stray
        problems = []
        if stray:
            problems.append(f"a lone '%' ({_q(stray[0], 12)}); write '%%' for a percent sign")
        names = {name for name, _ in named}
        extra = sorted(names - src_names)
        if extra:
            problems.append("it uses " + ", ".join(f"%({n})s" for n in extra)
                            + " which the source does not have")
        missing = sorted(src_names - names)
        if missing and index is not None:
            if counts.get(index, 2) <= 1:      # a form for one n only may leave the number out
                missing = []
        if missing:
            problems.append("it drops " + ", ".join(f"%({n})s" for n in missing))
        kinds = {name: kind for name, kind in named}
        for (name, kind) in src_named:
            if name in kinds and kinds[name] != kind:
                problems.append(f"%({name})… must stay a {kind} directive")
        kinds_here = [kind for kind, _ in unnamed]
        if not src_named and Counter(kinds_here) != Counter(k for k, _ in src_unnamed):
            shown = ", ".join(repr(t) for _, t in unnamed) or "none"
            problems.append(f"its unnamed directives ({shown}) are not the source's "
                            f"({', '.join(repr(t) for _, t in src_unnamed) or 'none'}); "
                            "for a percent sign write '%%'")
        if named and unnamed:
            problems.append("it mixes %(name)s and %s directives")
        if problems:
            out.append(ctx.finding(entry, "format-python",
                                   f"the translation{which} does not keep the source's "
                                   f"format directives: {'; '.join(problems)}",
                                   "keep every %(name)s of the source exactly as written"))
    return out


def check_format_brace(entry: Entry, ctx: EntryContext) -> list[Finding]:
    """{name}: label captions are filled with the facts in each language's formats."""
    src_names, src_stray = placeholders.brace_fields(entry.msgid)
    caption = messages.is_label_caption(entry.msgctxt)
    if not (src_names or caption or "python-brace-format" in entry.flags) or src_stray:
        return []
    out = []
    for _, text, which, _i in pairs(entry, ctx):
        names, stray = placeholders.brace_fields(text)
        problems = []
        missing, extra = sorted(src_names - names), sorted(names - src_names)
        if missing:
            problems.append("it drops " + ", ".join("{%s}" % n for n in missing)
                            + " (the fact would not be printed)")
        if extra:
            problems.append("it uses " + ", ".join("{%s}" % n for n in extra)
                            + ", which the source does not have (the label cannot be printed)")
        if stray:
            problems.append(f"a stray brace near {_q(stray[0], 24)}; a placeholder is a "
                            "name in braces, a literal brace is written {{ or }}")
        if problems:
            out.append(ctx.finding(entry, "format-brace",
                                   f"the translation{which} does not keep the source's "
                                   f"placeholders: {'; '.join(problems)}",
                                   "copy each {placeholder} of the source unchanged"))
    return out


# --------------------------------------------------------------------------
# Whitespace
# --------------------------------------------------------------------------
def _lead(text: str) -> str:
    return text[:len(text) - len(text.lstrip())]


def _trail(text: str) -> str:
    return text[len(text.rstrip()):]


def check_whitespace(entry: Entry, ctx: EntryContext) -> list[Finding]:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        for side, get in (("starts", _lead), ("ends", _trail)):
            a, b = get(source), get(text)
            if a == b:
                continue
            newline = ("\n" in a) != ("\n" in b)
            what_a = _describe_ws(a)
            what_b = _describe_ws(b)
            out.append(ctx.finding(
                entry, "whitespace",
                f"the source {side} with {what_a} but the translation{which} {side} with "
                f"{what_b}" + (" (msgfmt --check rejects this)" if newline else ""),
                f"make the translation {side[:-1]} with {what_a}",
                severity="error" if newline else None))
    return out


def _describe_ws(ws: str) -> str:
    if not ws:
        return "no whitespace"
    names = {"\n": "a newline", " ": "a space", "\t": "a tab", "\u00a0": "a no-break space"}
    return " + ".join(names.get(c, f"U+{ord(c):04X}") for c in ws)


# --------------------------------------------------------------------------
# Facts: numbers and names
# --------------------------------------------------------------------------
def check_numbers(entry: Entry, ctx: EntryContext) -> list[Finding]:
    percent = ctx.template_domain or "python-format" in entry.flags
    out = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    for _, text, which, _i in pairs(entry, ctx):
        source = " | ".join(sources)
        diff = nums.compare(source, text, percent)
        for was, now in diff.changed:
            out.append(ctx.finding(
                entry, "number-changed",
                f"the source's number {was.text} is {now.text} in the translation{which}",
                f"write {was.text}" + (f" (in your language's digit grouping, e.g. "
                                       f"{_grouped_example(was)})" if was.value >= 10000 else "")))
        if diff.missing:
            shown = ", ".join(n.text for n in diff.missing)
            out.append(ctx.finding(
                entry, "number-changed",
                f"the translation{which} lacks the source's number"
                f"{'s' if len(diff.missing) > 1 else ''} {shown}",
                "every number of the source must be in the translation, with the same value"))
        if diff.added:
            shown = ", ".join(n.text for n in diff.added)
            out.append(ctx.finding(
                entry, "number-added",
                f"the translation{which} has the number"
                f"{'s' if len(diff.added) > 1 else ''} {shown}, which the source does not",
                "check the fact against the source; remove numbers the source does not give"))
    return out


def _grouped_example(number: nums.Number) -> str:
    value = number.value
    if value % 1:
        return nums.show(value)
    return f"{int(value):,}".replace(",", " ") + " or " + f"{int(value):,}"


@functools.lru_cache(maxsize=1024)
def _name_re(name: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def check_names(entry: Entry, ctx: EntryContext) -> list[Finding]:
    if not ctx.names:
        return []
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        folded = _fold(text)
        for name, stem in ctx.names.items():
            if not _name_re(name).search(source) or _fold(stem) in folded:
                continue
            kept = _fold(name) in folded
            message = (f"the source names {name}; in this language it is written {stem}… "
                       f"(memorial.toml [names.{ctx.locale}])")
            message += (f", but the translation{which} keeps the English spelling"
                        if kept else f", and the translation{which} does not have it")
            out.append(ctx.finding(entry, "name-missing", message,
                                   f"write the name as {stem}… with your language's ending"))
    return out


# --------------------------------------------------------------------------
# Typography
# --------------------------------------------------------------------------
def check_markup(entry: Entry, ctx: EntryContext) -> list[Finding]:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        extra = Counter(m.group() for m in nums.MARKUP_RE.finditer(text))
        extra -= Counter(m.group() for m in nums.MARKUP_RE.finditer(source))
        if extra:
            shown = ", ".join(sorted(extra))
            out.append(ctx.finding(
                entry, "markup",
                f"the translation{which} has markup the source does not: {shown}; it would be "
                "printed literally",
                "write plain text: the kit escapes everything; use the character itself "
                "instead of an entity"))
    return out


_OPENERS = {"(": ")", "[": "]", "{": "}", "⟦": "⟧"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


_PAIRED_RE = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_CLOSERS) + "„“”«»‹›") + "]")


def bracket_problem(text: str) -> str | None:
    """Why the brackets and quotation marks of ``text`` do not pair up, or None."""
    stack: list[tuple[str, int]] = []
    for found in _PAIRED_RE.finditer(text):      # the other characters change nothing
        pos, ch = found.start(), found.group()
        top = stack[-1][0] if stack else None
        if ch in _OPENERS or ch == "„":
            stack.append((ch, pos))
        elif ch in _CLOSERS:
            if top != _CLOSERS[ch]:
                return f"{ch!r} at character {pos + 1} closes nothing it matches"
            stack.pop()
        elif ch == "“":
            if top == "„":
                stack.pop()
            else:
                stack.append((ch, pos))
        elif ch == "”":
            if top in ("“", "„"):
                stack.pop()
            else:
                return f"'”' at character {pos + 1} closes no opening quotation mark"
        elif ch in "«»‹›":
            pair = {"«": "»", "»": "«", "‹": "›", "›": "‹"}[ch]
            if top == pair:
                stack.pop()
            else:
                stack.append((ch, pos))
    if stack:
        ch, pos = stack[-1]
        return f"{ch!r} at character {pos + 1} is never closed"
    return None


def check_brackets(entry: Entry, ctx: EntryContext) -> list[Finding]:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        if bracket_problem(source) is not None:
            continue
        problem = bracket_problem(text)
        if problem:
            out.append(ctx.finding(entry, "brackets",
                                   f"unbalanced brackets or quotation marks in the "
                                   f"translation{which}: {problem}",
                                   "close every bracket and quotation mark you open"))
    return out


# The language's quotation marks (outer pair), and closing marks foreign to it.
LOCALE_QUOTES = {"lt": ("„", "“", "”"), "de": ("„", "“", "”"), "cs": ("„", "“", "”"),
                 "sk": ("„", "“", "”"), "et": ("„", "“", "”"), "ru": ("«", "»", ""),
                 "uk": ("«", "»", ""), "be": ("«", "»", ""), "en": ("“", "”", "")}
_ANY_QUOTE = re.compile("[\"“”«»„]")


def check_quotes(entry: Entry, ctx: EntryContext) -> list[Finding]:
    rule = LOCALE_QUOTES.get(ctx.language)
    if rule is None or ctx.language == "en":
        return []
    opening, closing, foreign = rule
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        if not _ANY_QUOTE.search(source):
            continue
        problems = []
        if '"' in text:
            problems.append('a straight quotation mark (")')
        if foreign and any(c in text for c in foreign):
            problems.append(", ".join(f"{c!r} U+{ord(c):04X}" for c in foreign if c in text))
        if problems:
            out.append(ctx.finding(
                entry, "quotes",
                f"the translation{which} uses {' and '.join(problems)}; "
                f"{ctx.locale} quotes with {opening}…{closing}",
                f"write {opening}…{closing}"))
    return out


_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \u00a0\u202f\u2009]{2,}(?=\S)")


def check_double_space(entry: Entry, ctx: EntryContext) -> list[Finding]:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        found = _DOUBLE_SPACE_RE.findall(text)
        if len(found) > len(_DOUBLE_SPACE_RE.findall(source)):
            match = _DOUBLE_SPACE_RE.search(text)
            near = text[max(0, match.start() - 15):match.end() + 15]
            out.append(ctx.finding(entry, "double-space",
                                   f"two spaces in a row in the translation{which} near "
                                   f"{_q(near, 40)}", "use one space"))
    return out


_TERMINAL = set(".!?:…。！？：")
_TRAILING = set("\"'’”“»«›)]}⟧」』 \t\n\u00a0\u202f")
# Abbreviations a translation may end with where the source has no full stop
# (Lithuanian "1953 m.", Russian "1953 г.", "и т. д.").
_ABBREVIATION_RE = re.compile(r"(?:^|[\s\d(])(?:[^\W\d_]{1,3}\.\s?)+$")


def _ending(text: str) -> str:
    stripped = text
    while stripped and stripped[-1] in _TRAILING:
        stripped = stripped[:-1]
    return stripped


def check_end_punctuation(entry: Entry, ctx: EntryContext) -> list[Finding]:
    out = []
    for source, text, which, _ in pairs(entry, ctx):
        src, dst = _ending(source), _ending(text)
        if not src or not dst:
            continue
        src_end = src[-1] in _TERMINAL or src.endswith("...")
        dst_end = dst[-1] in _TERMINAL or dst.endswith("...")
        if src_end and not dst_end:
            out.append(ctx.finding(entry, "end-punctuation",
                                   f"the source ends with {src[-1]!r} but the translation{which} "
                                   f"ends with {dst[-1]!r}",
                                   f"end the translation with {src[-1]!r} or your language's "
                                   "equivalent"))
        elif dst_end and not src_end and not _ABBREVIATION_RE.search(dst):
            out.append(ctx.finding(entry, "end-punctuation",
                                   f"the translation{which} ends with {dst[-1]!r} but the source "
                                   f"does not (it ends with {src[-1]!r})",
                                   "leave out the closing punctuation, as the source does"))
    return out


ENTRY_CHECKS = (check_whitespace, check_format_python, check_format_brace, check_numbers,
                check_names, check_markup, check_brackets, check_quotes, check_double_space,
                check_end_punctuation)


def check_entry(entry: Entry, ctx: EntryContext) -> list[Finding]:
    """Every text check of one translated, non-fuzzy entry."""
    if entry.key in ctx.carved:
        return []
    out = []
    for check in ENTRY_CHECKS:
        out.extend(check(entry, ctx))
    return out
