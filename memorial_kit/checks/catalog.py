"""Checks of a whole catalog: header, plural forms, the template, translation state,
and the carved inscriptions of the carved languages."""
from __future__ import annotations

import difflib
import unicodedata

from .. import catalogs, inscriptions
from ..errors import CatalogError
from ..memorial import Memorial
from ..plurals import PluralForms, parse_plural_forms
from ..po import Entry, PoFile
from .entries import EntryContext
from .findings import Finding, char_name


def live_entries(po: PoFile) -> dict[tuple, Entry]:
    out: dict[tuple, Entry] = {}
    for entry in po.entries:
        if not entry.obsolete:
            out.setdefault(entry.key, entry)
    return out


def _header_finding(ctx: EntryContext, po: PoFile, code: str, message: str,
                    suggestion: str | None = None, severity: str | None = None) -> Finding:
    finding = ctx.finding(None, code, message, suggestion, severity)
    finding.line = po.header.line if po.header is not None and po.header.line else 1
    return finding


def check_header(po: PoFile, ctx: EntryContext) -> list[Finding]:
    if po.header is None:
        return [_header_finding(ctx, po, "header-missing",
                                "the catalog has no header entry (msgid \"\"): gettext cannot "
                                "know its charset, language or plural forms",
                                f"run 'memorial-kit init {ctx.locale}' and copy the translations "
                                "over, or add the header")]
    out = []
    content_type = po.header_value("Content-Type") or ""
    if "charset=" not in content_type:
        out.append(_header_finding(ctx, po, "header-missing",
                                   "the header has no Content-Type charset",
                                   'add "Content-Type: text/plain; charset=UTF-8\\n"'))
    language = po.header_value("Language")
    if not language:
        out.append(_header_finding(ctx, po, "header-missing",
                                   "the header has no Language", f'add "Language: {ctx.locale}\\n"',
                                   severity="warning"))
    elif language.replace("-", "_") != ctx.locale:
        out.append(_header_finding(ctx, po, "header-language",
                                   f"the header says Language: {language}, but this is the "
                                   f"{ctx.locale} catalog", f'write "Language: {ctx.locale}\\n"'))
    return out


def check_plural_forms(po: PoFile, ctx: EntryContext) -> tuple[list[Finding], PluralForms | None]:
    """The header's Plural-Forms against CLDR's, and every entry's msgstr[n] count."""
    expected_text = catalogs.plural_forms_header(ctx.locale)
    value = po.header_value("Plural-Forms") if po.header is not None else None
    if value is None:
        if po.header is None:
            return [], None
        return [_header_finding(ctx, po, "header-missing",
                                "the header has no Plural-Forms: the catalog cannot be loaded",
                                f'add "Plural-Forms: {expected_text}\\n"')], None
    try:
        forms = parse_plural_forms(value, po.path, po.header.line)
    except CatalogError as exc:
        return [_header_finding(ctx, po, "plural-forms", f"Plural-Forms cannot be read: "
                                f"{exc.message}", f'write "Plural-Forms: {expected_text}\\n"')], None
    out = []
    expected = parse_plural_forms(expected_text)
    if forms.nplurals != expected.nplurals:
        out.append(_header_finding(
            ctx, po, "plural-forms",
            f"Plural-Forms says nplurals={forms.nplurals}, but {ctx.locale} has "
            f"{expected.nplurals} plural forms (CLDR)", f'write "Plural-Forms: {expected_text}\\n"'))
    else:
        differs = _first_difference(forms, expected)
        if differs is not None:
            n, got, want = differs
            out.append(_header_finding(
                ctx, po, "plural-forms",
                f"Plural-Forms picks form {got} for n = {n}; the {ctx.locale} rule (CLDR) "
                f"picks form {want}", f'write "Plural-Forms: {expected_text}\\n"'))
    for entry in po.entries:
        if entry.obsolete or entry.msgid_plural is None:
            continue
        if len(entry.msgstr_plural) != forms.nplurals:
            out.append(ctx.finding(
                entry, "plural-forms",
                f"{len(entry.msgstr_plural)} msgstr[n] forms, but Plural-Forms says "
                f"nplurals={forms.nplurals}: the catalog cannot be loaded",
                f"give msgstr[0] to msgstr[{forms.nplurals - 1}]"))
    return out, forms


def _first_difference(forms: PluralForms, expected: PluralForms):
    for n in range(1000):
        try:
            got = forms(n)
        except CatalogError:
            return n, "none (the expression fails)", expected(n)
        want = expected(n)
        if got != want:
            return n, got, want
    return None


def check_template(po: PoFile, pot: PoFile | None, ctx: EntryContext, pot_path: str) -> list[Finding]:
    """Messages of the template the catalog lacks (not yet merged) or no longer has."""
    if pot is None:
        return []
    have = live_entries(po)
    want = live_entries(pot)
    missing = [key for key in want if key not in have]
    stale = [key for key in have if key not in want]
    if not missing and not stale:
        return []
    parts = []
    if missing:
        first = want[missing[0]].msgid
        parts.append(f"{len(missing)} message{'s' if len(missing) > 1 else ''} of {pot_path} "
                     f"{'are' if len(missing) > 1 else 'is'} not in this catalog "
                     f"(first: {first[:50]!r})")
    if stale:
        parts.append(f"{len(stale)} entr{'ies' if len(stale) > 1 else 'y'} no longer in the "
                     f"template (first: {have[stale[0]].msgid[:50]!r})")
    finding = ctx.finding(None, "catalog-outdated", "; ".join(parts),
                          f"run 'memorial-kit update {ctx.locale}'")
    finding.line = None
    return [finding]


def check_states(po: PoFile, ctx: EntryContext) -> list[Finding]:
    """Untranslated and fuzzy entries (carved entries are the inscription check's)."""
    out = []
    for entry in live_entries(po).values():
        if entry.key in ctx.carved or entry.translated:
            continue
        forms = entry.msgstr_plural if entry.msgid_plural is not None else [entry.msgstr]
        if entry.fuzzy and any(forms):
            out.append(ctx.finding(entry, "fuzzy",
                                   "the translation is marked fuzzy: fuzzy text is never printed",
                                   "review it against the source and remove the fuzzy flag"))
        elif any(forms):
            empty = [str(i) for i, form in enumerate(forms) if not form]
            out.append(ctx.finding(entry, "untranslated",
                                   f"plural form msgstr[{', '.join(empty)}] is not translated: "
                                   "products that print it cannot ship",
                                   "translate every plural form"))
        else:
            out.append(ctx.finding(entry, "untranslated",
                                   "not translated: products that print it cannot ship "
                                   "(or print it in English with --allow-fallback)"))
    return out


def check_inscriptions(po: PoFile, ctx: EntryContext, memorial: Memorial) -> list[Finding]:
    """In a carved language's catalog the inscription entries hold the stone's text exactly."""
    out = []
    entries = live_entries(po)
    for carving in inscriptions.carvings([memorial], ctx.locale):
        if not carving.gloss:           # a face with no gloss has no entry
            continue
        entry = entries.get(carving.key)
        found = inscriptions.problem(entry, carving)
        if found is not None:
            out.append(_inscription_finding(found, entry, carving, ctx))
    return out


def _inscription_finding(problem: str, entry, carving, ctx: EntryContext) -> Finding:
    where, carved = carving.where, carving.text
    suggestion = f"copy the carved text letter for letter: {carved!r}"
    if problem == "absent":
        finding = ctx.finding(None, "inscription-missing",
                              f"the catalog has no entry for the inscription on {where} "
                              f"(msgctxt {carving.key[0]!r})",
                              f"run 'memorial-kit update {ctx.locale}', then copy the "
                              f"carved text letter for letter: {carved!r}")
        finding.msgctxt, finding.msgid = carving.key
        return finding
    if problem == "empty":
        return ctx.finding(entry, "inscription-missing",
                           f"the inscription carved on {where} is not in the catalog: "
                           "no product that shows the monument can be printed", suggestion)
    if problem == "fuzzy":
        return ctx.finding(entry, "inscription-missing",
                           f"the inscription carved on {where} is marked fuzzy: fuzzy "
                           "text is never printed", "check it letter for letter against "
                           f"the stone ({carved!r}) and remove the fuzzy flag")
    text = entry.msgstr if entry.msgid_plural is None else entry.first_msgstr
    return ctx.finding(entry, "inscription-changed",
                       f"the inscription carved on {where} reads {carved!r}; the "
                       f"catalog has {text!r}: {describe_difference(carved, text)}",
                       suggestion)


def describe_difference(expected: str, found: str, limit: int = 3) -> str:
    """Character by character, where ``found`` differs from ``expected`` (1-based)."""
    found = unicodedata.normalize("NFC", found)
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                parts.append(f"at character {i1 + k + 1}, expected {char_name(expected[i1 + k])}, "
                             f"found {char_name(found[j1 + k])}")
        elif op == "replace":
            parts.append(f"at character {i1 + 1}, expected {expected[i1:i2]!r}, "
                         f"found {found[j1:j2]!r}")
        elif op == "delete":
            parts.append(f"at character {i1 + 1}, " + ", ".join(
                char_name(c) for c in expected[i1:i2]) + " is missing")
        else:
            parts.append(f"at character {i1 + 1}, " + ", ".join(
                char_name(c) for c in found[j1:j2]) + " is extra")
    if len(parts) > limit:
        parts = parts[:limit] + [f"and {len(parts) - limit} more differences"]
    return "; ".join(parts)
