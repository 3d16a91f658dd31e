"""init, update, compile and stats: the catalogs of each language, from the templates.

``init`` starts a language as ``msginit`` does, ``update`` merges a catalog with its
template with ``msgmerge``'s semantics (nothing a translator wrote is lost),
``compile`` writes the .mo files and ``stats`` counts.  A carved language's catalog
gets the stone's text for its inscriptions (:mod:`.inscriptions`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from . import inscriptions, messages
from . import po as pofile
from .catalogs import (Domain, FileResult, check_header_value, creation_date, domain_of, domains,
                       each_catalog, has_translation, header_field, header_text, nplurals_of,
                       plural_forms_header, read_pot, set_header_field, target_locales,
                       validate_plurals)
from .errors import CatalogError, ConflictError, UsageError
from .fsutil import file_lock, read_snapshot, rewrite, unchanged, write_if_changed
from .keeping import check_kept
from .locales import check_locale, language_name
from .matching import SimilarityIndex
from .memorial import Memorial
from .plurals import parse_plural_forms
from .workspace import Workspace


# --------------------------------------------------------------------------
# init
# --------------------------------------------------------------------------
def init(ws: Workspace, locale: str, translator: str | None = None) -> list[FileResult]:
    """Start catalogs for a new language from the templates (.pot), like msginit.

    The same rule for every memorial: its catalog is started when its manifest lists the
    language, and the result says so for each memorial that does not (the templates'
    catalog, shared by every memorial, is always started)."""
    check_locale(locale)
    check_header_value("--translator", translator)
    memorials = ws.memorials()
    every = domains(ws, memorials)
    if any(locale == domain.source_locale for domain in every):
        raise UsageError(f"{locale!r} is the source language: its text is the msgids",
                         hint="init a target language such as 'lt' or 'ru'")
    results = []
    for domain in every:
        path = ws.po_path(locale, domain.name)
        memorial = next((m for m in memorials if m.domain == domain.name), None)
        if memorial is not None and locale not in domain.locales:
            manifest = ws.relative(memorial.manifest_path)
            results.append(FileResult(ws.relative(path), False,
                                      f"not started: {manifest} does not list {locale!r} in "
                                      f"its locales; add it there, then run 'init {locale}' "
                                      "again", skipped=True))
            continue
        if path.exists():
            results.append(FileResult(ws.relative(path), False, "exists; use 'update'"))
            continue
        pot = read_pot(ws, domain.name)
        po = _new_po(pot, domain, locale, translator, memorials)
        write_if_changed(path, pofile.write_po(po), read_snapshot(path), ws.relative(path))
        results.append(FileResult(ws.relative(path), True, f"{len(po.entries)} messages"))
    return results


def _new_po(pot: pofile.PoFile, domain: Domain, locale: str, translator: str | None,
            memorials: list[Memorial] = ()):
    name = language_name(locale)
    header = pofile.Entry("", translator_comments=[
        f"{name} translations for {domain.title}.",
        "This file is distributed under the same license as the source text (see README.md).",
        f"{translator or 'FIRST AUTHOR <EMAIL@ADDRESS>'}, {creation_date()[:4]}.", ""])
    nplurals = parse_plural_forms(plural_forms_header(locale)).nplurals
    header.msgstr = header_text([
        ("Project-Id-Version", domain.name), ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", header_field(pot.header, "POT-Creation-Date") or creation_date()),
        ("PO-Revision-Date", creation_date()),
        ("Last-Translator", translator or "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", name), ("Language", locale), ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms_header(locale))])
    carved = inscriptions.carved_entries([m for m in memorials if m.domain == domain.name],
                                    locale)
    entries = []
    for entry in pot.entries:
        new = _copy_template_entry(entry)
        if new.msgid_plural:
            new.msgstr_plural = [""] * nplurals
        # A carved language's catalog starts with the stone's text, letter for letter.
        new.msgstr = carved.get(new.key, new.msgstr)
        entries.append(new)
    return pofile.PoFile(entries=entries, header=header)


def _copy_template_entry(entry: pofile.Entry) -> pofile.Entry:
    return pofile.Entry(entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural,
                        msgstr_plural=list(entry.msgstr_plural),
                        extracted_comments=list(entry.extracted_comments),
                        references=list(entry.references),
                        flags=[f for f in entry.flags if f != "fuzzy"])


# --------------------------------------------------------------------------
# update (msgmerge semantics)
# --------------------------------------------------------------------------
@dataclass
class MergeCounts:
    kept: int = 0
    fuzzy: int = 0
    new: int = 0
    obsolete: int = 0

    def __str__(self) -> str:
        return (f"{self.kept} kept, {self.fuzzy} fuzzy, {self.new} new, "
                f"{self.obsolete} obsolete")


def update(ws: Workspace, locales: list[str] | None = None) -> list[FileResult]:
    """Merge each catalog with its template: nothing a translator wrote is lost."""
    results = []
    memorials = ws.memorials()
    for domain in domains(ws, memorials):
        pot = read_pot(ws, domain.name)
        of_domain = [m for m in memorials if m.domain == domain.name]
        for locale in target_locales(ws, domain, locales):
            path = ws.po_path(locale, domain.name)
            if not path.exists():
                results.append(FileResult(ws.relative(path), False,
                                          f"no catalog; run 'memorial-kit init {locale}'"))
                continue
            found: list[MergeCounts] = []
            with file_lock(ws.state / "locks" / f"{locale}-{domain.name}", wait=True,
                           what=ws.relative(path)):
                merged = functools.partial(_merged_bytes, ws, pot=pot, locale=locale, counts=found,
                                           carved=inscriptions.carved_entries(of_domain, locale),
                                           exact_inscriptions=inscriptions.carves(of_domain,
                                                                                  locale))
                changed = rewrite(path, merged, shown=ws.relative(path))
            results.append(FileResult(ws.relative(path), changed, str(found[-1])))
    return results


def _merged_bytes(ws: Workspace, read, *, pot: pofile.PoFile, locale: str, counts: list,
                  carved: dict, **more) -> bytes:
    """The catalog ``read`` merged with ``pot`` (``merge(..., carved, **more)``), checked to
    keep every translation."""
    shown = ws.relative(read.path)
    if not read.exists:
        raise CatalogError("catalog not found (removed while this command ran)", path=shown)
    po = pofile.read_po(read.data, shown).only_domain(domain_of(read.path))
    merged, found = merge(po, pot, locale, carved, **more)
    counts.append(found)
    data = pofile.write_po(merged)
    check_kept(po, data, shown)
    return data


def merge(po: pofile.PoFile, pot: pofile.PoFile, locale: str, carved: dict | None = None,
          exact_inscriptions: bool = False) -> tuple[pofile.PoFile, MergeCounts]:
    """msgmerge's semantics: exact matches kept, changed -> fuzzy with #|, removed -> #~.

    ``carved``: (msgctxt, msgid) -> the stone's text, for the inscriptions carved in this
    language; a new or empty entry gets it, letter for letter, as ``init`` gives it.  With
    ``exact_inscriptions`` (the language is carved on a monument) inscription entries match
    exactly or not at all: a fuzzy match would put one face's carved text on another."""
    carved = carved or {}
    counts = MergeCounts()
    live = {e.key: e for e in po.entries if not e.obsolete}
    dead = {e.key: e for e in po.entries if e.obsolete}
    used: set = set()
    entries: list[pofile.Entry] = []
    unmatched: list[tuple[int, pofile.Entry]] = []
    nplurals = nplurals_of(po, locale)
    for template in pot.entries:
        old = live.get(template.key) or dead.get(template.key)
        new = _from_template(template, old, nplurals)
        if old is not None:
            used.add(id(old))
            counts.kept += 1
        elif not (exact_inscriptions and _is_inscription(new)):
            unmatched.append((len(entries), new))
        else:
            counts.new += 1
        if new.key in carved and not has_translation(new):
            new.msgstr = carved[new.key]
            if "fuzzy" in new.flags:
                new.flags.remove("fuzzy")
        entries.append(new)
    donors = [e for e in po.entries if id(e) not in used and has_translation(e)
              and not (exact_inscriptions and _is_inscription(e))]
    used |= _fuzzy_match(unmatched, donors, nplurals, counts)
    counts.new += len(unmatched) - counts.fuzzy
    for old in po.entries:
        if id(old) in used or not has_translation(old):
            continue
        if not old.obsolete:
            counts.obsolete += 1
        entries.append(_obsolete(old))
    header = _merged_header(po.header, pot.header)
    return pofile.PoFile(entries=entries, header=header, path=po.path), counts


def _is_inscription(entry: pofile.Entry) -> bool:
    return messages.is_inscription(entry.msgctxt)


def _from_template(template: pofile.Entry, old: pofile.Entry | None, nplurals: int) -> pofile.Entry:
    """The template's entry, carrying over the translator's work from ``old``."""
    new = _copy_template_entry(template)
    if new.msgid_plural:
        new.msgstr_plural = [""] * nplurals
    if old is None:
        return new
    new.translator_comments = list(old.translator_comments)
    # Keep the translator's flags (fuzzy, Weblate's read-only...) beside the template's; a flag
    # the template sets itself (max-length:N, formats) comes from the template alone.
    named = {f.split(":", 1)[0] for f in new.flags}
    new.flags += [f for f in old.flags if f.split(":", 1)[0] not in named
                  and not f.endswith("-format")]
    if old.fuzzy:
        new.previous_msgctxt = old.previous_msgctxt
        new.previous_msgid = old.previous_msgid
        new.previous_msgid_plural = old.previous_msgid_plural
    _carry_translation(old, new, nplurals)
    return new


def _carry_translation(old: pofile.Entry, new: pofile.Entry, nplurals: int) -> None:
    if new.msgid_plural:
        forms = list(old.msgstr_plural) if old.msgid_plural else [old.msgstr]
        new.msgstr_plural = (forms + [""] * nplurals)[:max(nplurals, len(forms))]
        if not old.msgid_plural and "fuzzy" not in new.flags:
            new.flags.insert(0, "fuzzy")
    else:
        new.msgstr = old.msgstr if not old.msgid_plural else (old.msgstr_plural or [""])[0]
        if old.msgid_plural and "fuzzy" not in new.flags:
            new.flags.insert(0, "fuzzy")


def _fuzzy_match(unmatched, donors, nplurals, counts: MergeCounts) -> set[int]:
    """Give each new message the translation of its closest old one, as fuzzy."""
    consumed: set[int] = set()
    if not unmatched or not donors:
        return consumed
    index = SimilarityIndex([d.msgid for d in donors])
    for _, new in unmatched:
        found = index.best(new.msgid)
        if found is None:
            continue
        old = donors[found[0]]
        _carry_translation(old, new, nplurals)
        new.translator_comments = list(old.translator_comments)
        if "fuzzy" not in new.flags:
            new.flags.insert(0, "fuzzy")
        new.previous_msgctxt = old.msgctxt
        new.previous_msgid = old.msgid
        new.previous_msgid_plural = old.msgid_plural
        if not (old.msgid_plural and not new.msgid_plural):
            consumed.add(id(old))       # a plural's other forms stay, as an obsolete entry
        counts.fuzzy += 1
    return consumed


def _obsolete(old: pofile.Entry) -> pofile.Entry:
    entry = pofile.Entry(old.msgid, msgstr=old.msgstr, msgid_plural=old.msgid_plural,
                         msgstr_plural=list(old.msgstr_plural), msgctxt=old.msgctxt,
                         translator_comments=list(old.translator_comments),
                         flags=list(old.flags), previous_msgctxt=old.previous_msgctxt,
                         previous_msgid=old.previous_msgid,
                         previous_msgid_plural=old.previous_msgid_plural, obsolete=True)
    return entry


def _merged_header(header: pofile.Entry | None, pot_header: pofile.Entry | None):
    if header is None:
        return pot_header
    merged = pofile.Entry("", msgstr=header.msgstr,
                          translator_comments=list(header.translator_comments),
                          flags=list(header.flags))
    date = header_field(pot_header, "POT-Creation-Date")
    if date:
        set_header_field(merged, "POT-Creation-Date", date)
    return merged


# --------------------------------------------------------------------------
# compile
# --------------------------------------------------------------------------
def compile_catalogs(ws: Workspace, locales: list[str] | None = None) -> list[FileResult]:
    """Read and validate every catalog first, then write: a bad one changes no file.  A .mo
    is written only if its .po is still the one compiled, and over the .mo as it was."""
    compiled = []
    for domain, locale, read, po in each_catalog(ws, locales):
        validate_plurals(po, locale)
        translated = sum(1 for e in po.entries if e.translated and not e.obsolete)
        mo_path = ws.mo_path(locale, domain)
        compiled.append((read, mo_path, read_snapshot(mo_path, shown=ws.relative(mo_path)),
                         pofile.write_mo(po), translated))
    for read, *_ in compiled:
        if not unchanged(read):
            raise ConflictError("changed on disk while it was being compiled; no .mo was "
                                "written", path=ws.relative(read.path),
                                hint="run 'memorial-kit compile' again")
    results = []
    for _read, mo_path, mo_read, mo, translated in compiled:
        changed = write_if_changed(mo_path, mo, mo_read, ws.relative(mo_path))
        results.append(FileResult(ws.relative(mo_path), changed, f"{translated} translated messages"))
    return results


# --------------------------------------------------------------------------
# stats
# --------------------------------------------------------------------------
@dataclass
class Stats:
    locale: str
    domain: str
    path: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict:
        data = {k: getattr(self, k) for k in ("locale", "domain", "path", "translated", "fuzzy",
                                               "untranslated", "translated_words", "fuzzy_words",
                                               "untranslated_words", "total", "percent")}
        return data


def stats(ws: Workspace, locales: list[str] | None = None) -> list[Stats]:
    return [catalog_stats(po, locale, domain) for domain, locale, _, po in each_catalog(ws, locales)]


def catalog_stats(po: pofile.PoFile, locale: str, domain: str) -> Stats:
    result = Stats(locale, domain, po.path or "")
    for entry in po.entries:
        if entry.obsolete:
            continue
        words = len(entry.msgid.split())
        state = ("translated" if entry.translated else
                 "fuzzy" if entry.fuzzy and has_translation(entry) else "untranslated")
        setattr(result, state, getattr(result, state) + 1)
        setattr(result, f"{state}_words", getattr(result, f"{state}_words") + words)
    return result
