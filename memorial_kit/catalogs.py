"""The catalog workflow: extract, init, update, compile, stats, and loading translations.

This is the only module that reads or writes gettext files (through
:mod:`memorial_kit.po`, which writes them exactly as GNU gettext does) and the
only one that uses ``babel.messages`` (plural rules, the Jinja2 extractor).
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract as babel_extract
from babel.messages.plurals import get_plural

from . import inscriptions, messages, placeholders
from . import po as pofile
from .errors import CatalogError, ConflictError, TemplateError, UsageError
from .fsutil import file_lock, read_snapshot, rewrite, unchanged, write_if_changed
from .keeping import check_kept
from .locales import PSEUDO_LOCALES, check_locale, language_name
from .layout import label_limits, limit_comment, plaque_limits, size_text
from .matching import SimilarityIndex
from .memorial import Memorial
from .plurals import PluralForms, parse_plural_forms
from .workspace import TEMPLATE_DOMAIN, Workspace

TEMPLATE_SUFFIXES = (".html.j2", ".j2")
GETTEXT_KEYWORDS = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                    "npgettext": ((1, "c"), 2, 3), "_": None}
# CLDR has no plural rules for these; gettext's convention for them (Latin: singular/plural).
PLURAL_GAPS = {"la": "nplurals=2; plural=(n != 1);"}


# --------------------------------------------------------------------------
# Messages: what a memorial and the templates give translators
# --------------------------------------------------------------------------
@dataclass
class Message:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def memorial_messages(memorial: Memorial) -> list[Message]:
    """Every text of the memorial a visitor reads, in source order."""
    article, path = memorial.article, memorial.article.path
    ref = lambda line: f"{path}:{line}"  # noqa: E731
    manifest = os.path.relpath(memorial.manifest_path, memorial.folder.parent.parent) \
        if memorial.folder.parent.name == "seeds" else str(memorial.manifest_path)
    mref = lambda line: f"{manifest}:{line}"  # noqa: E731
    out: list[Message] = []
    out.append(Message(article.title, comments=[
        "Title of the article; printed as the heading of the leaflet and the web page."],
        references=[ref(article.title_line)]))
    for fld in article.infobox:
        if fld.key in memorial.infobox_skip or fld.key in memorial.infobox_structured:
            continue
        label = memorial.infobox_labels.get(fld.key, fld.key)
        out.append(Message(fld.value, messages.infobox(fld.key), comments=[
            f"Fact box of the leaflet, the value of \"{label}\"."], references=[ref(fld.line)]))
    for key, label in memorial.infobox_labels.items():
        fld = article.infobox_value(key)
        if fld is None or key in memorial.infobox_skip:
            continue
        out.append(Message(label, messages.INFOBOX_LABEL, comments=[
            f"Fact box of the leaflet: the name of the infobox field \"{key}\"."],
            references=[ref(fld.line)]))
    for killed in memorial.facts.killed:
        out.append(Message(killed.source, messages.FACT_SOURCE, comments=[
            "Fact box of the leaflet: whose count of the dead this is (\"42 people killed "
            "according to ...\")."], references=[mref(killed.line)]))
    out.extend(_article_messages(memorial, ref))
    for monument in memorial.monuments:
        out.extend(_monument_messages(monument, ref, mref, plaque_limits(memorial),
                                      size_text(memorial.print.plaque_mm)))
    for label in memorial.labels:
        out.extend(_label_messages(label, mref, label_limits(memorial, label),
                                   size_text(memorial.print.label_mm)))
    return _merge_duplicates(out)


def _limit(message: Message, limit: int | None, where: str) -> Message:
    """The layout's limit as a flag Weblate and Poedit show, and a comment saying it."""
    if limit:
        message.flags.append(f"max-length:{limit}")
        message.comments.append(limit_comment(limit, where))
    return message


def _article_messages(memorial: Memorial, ref) -> list[Message]:
    article, out = memorial.article, []
    for number, block in enumerate(article.lead, 1):
        out.append(Message(block.text, comments=[
            f"Lead paragraph {number} of the article; printed on the leaflet."],
            references=[ref(block.line)]))
    for section in article.sections:
        out.append(Message(section.heading, comments=[
            "Section heading of the article; printed on the leaflet."],
            references=[ref(section.line)]))
        for number, block in enumerate(section.blocks, 1):
            what = "Paragraph" if block.kind == "paragraph" else "List item"
            out.append(Message(block.text, comments=[
                f"{what} {number} of the section \"{section.heading}\"; printed on the leaflet."],
                references=[ref(block.line)]))
    return out


def _monument_messages(monument, ref, mref, limits: dict, size: str) -> list[Message]:
    where = f"the {size} plaque"
    out = [_limit(Message(monument.name, messages.monument_name(monument.id), comments=[
        "Name of the monument; printed on the plaque, the leaflet and its label."],
        references=[mref(monument.line)]), limits["name"], where)]
    if monument.caption:
        out.append(_limit(Message(monument.caption, messages.monument_caption(monument.id), comments=[
            "Short caption printed on the plaque under the inscriptions."],
            references=[mref(monument.line)]), limits["caption"], where))
    for face in (f for f in monument.faces if f.gloss):   # a face with no gloss has no message
        carved = ", ".join(f"{lang}: \u00ab{text}\u00bb" for lang, text in face.inscriptions.items())
        langs = ", ".join(face.inscriptions)
        out.append(_limit(Message(face.gloss, messages.inscription(monument.id, face.id), comments=[
            f"Inscription carved on the {face.id} face of the monument ({carved}).",
            f"In the catalogs of the carved languages ({langs}) the translation must be the "
            "carved text, letter for letter; every other language translates this English "
            "gloss. Printed on the plaque, the leaflet and the monument's label."],
            references=[ref(line) for line in sorted(set(face.article_lines.values()))]
            + [mref(face.line)]), inscriptions.carved_limit(limits["gloss"], face), where))
    return out


def _label_messages(label, mref, limits: dict, size: str) -> list[Message]:
    where = f"a {size} exhibit label"
    out = [_limit(Message(label.title, messages.label(label.id, messages.LABEL_TITLE), comments=[
        f"Heading of the exhibit label \"{label.id}\"."], references=[mref(label.line)]),
        limits["title"], where)]
    if label.text:
        out.append(_limit(_caption(label.text, label.facts, messages.label(label.id, messages.LABEL_TEXT),
                                   f"Text of the exhibit label \"{label.id}\".", mref(label.line)),
                          limits["text"], where))
    for row in label.rows:
        part = row.date.isoformat()
        out.append(_limit(_caption(row.text, row.facts, messages.label(label.id, part),
                                   f"Timeline entry for {part} on the exhibit label "
                                   f"\"{label.id}\"; the date is printed beside it.",
                                   mref(row.line)), limits[part], where))
    return out


def _caption(text, facts, context, comment, reference) -> Message:
    comments = [comment]
    flags = []
    if facts:
        names = ", ".join("{%s} (%s)" % (f.name, _describe_fact(f)) for f in facts)
        comments.append(f"Keep the placeholders: {names}; the kit fills them in your "
                        "language's format.")
        flags.append("python-brace-format")
    return Message(text, context, comments=comments, references=[reference], flags=flags)


def _describe_fact(fact) -> str:
    if fact.format == "period":
        return f"the dates {fact.value[0].isoformat()} to {fact.value[1].isoformat()}"
    if isinstance(fact.value, dt.date):
        return f"the date {fact.value.isoformat()}"
    return f"{fact.format} {fact.value}"


def _merge_duplicates(found: list[Message]) -> list[Message]:
    """One entry per (msgctxt, msgid): references and comments joined, as xgettext does."""
    merged: dict[tuple, Message] = {}
    for message in found:
        known = merged.get(message.key)
        if known is None:
            merged[message.key] = message
            continue
        known.references += [r for r in message.references if r not in known.references]
        known.comments += [c for c in message.comments if c not in known.comments]
    return list(merged.values())


def template_messages(ws: Workspace) -> list[Message]:
    """The words the templates print, with Babel's Jinja2 extractor (never silent)."""
    out: list[Message] = []
    for path in sorted(ws.templates.glob("*.j2")):
        out.extend(_template_file_messages(ws, path))
    return _merge_duplicates(out)


def _template_file_messages(ws: Workspace, path: Path) -> list[Message]:
    shown = ws.relative(path)
    options = {"silent": "false", "newstyle_gettext": "true", "trimmed": "true",
               "extensions": "jinja2.ext.i18n"}
    out = []
    with open(path, "rb") as handle:
        try:
            found = list(babel_extract("jinja2.ext:babel_extract", handle, GETTEXT_KEYWORDS,
                                       comment_tags=("Translators:",), options=options,
                                       strip_comment_tags=True))
        except Exception as exc:  # jinja2's TemplateSyntaxError; catalogs does not import jinja2
            line = getattr(exc, "lineno", None)
            message = getattr(exc, "message", None) or str(exc)
            raise TemplateError(f"template syntax error: {message}", path=shown,
                                line=line) from None
    for lineno, message, comments, context in found:
        msgid, plural = (message, None) if isinstance(message, str) else (message[0], message[1])
        if not msgid:
            raise TemplateError("a gettext call without a literal string", path=shown, line=lineno)
        flags = ["python-format"] if placeholders.has_directive(msgid) else []
        out.append(Message(msgid, context, plural, comments=list(comments) or [
            "Printed by the templates."], references=[f"{shown}:{lineno}"], flags=flags))
    return out


# --------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------
def plural_forms_header(locale: str) -> str:
    """Plural-Forms from CLDR through Babel; gettext's convention where CLDR has none."""
    if locale in PLURAL_GAPS:
        return PLURAL_GAPS[locale]
    if locale in PSEUDO_LOCALES:
        return "nplurals=2; plural=(n != 1);"
    rule = get_plural(locale)
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def creation_date() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
            if int(epoch) < 0:
                raise ValueError(epoch)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a number of seconds "
                             "since 1970 before the year 10000",
                             hint="for example SOURCE_DATE_EPOCH=$(date +%s)") from None
    else:
        stamp = dt.datetime.now(dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d %H:%M+0000")


def _pot_header(domain: str, title: str, date: str) -> pofile.Entry:
    header = pofile.Entry("", translator_comments=[
        f"Translations template for {title}.",
        "This file is distributed under the same license as the source text (see README.md).",
        "FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.", ""], flags=["fuzzy"])
    header.msgstr = _header_text([
        ("Project-Id-Version", domain), ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", date), ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"), ("Language", ""),
        ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        # The source language's rule rather than xgettext's placeholder, which msgfmt -c rejects.
        ("Plural-Forms", plural_forms_header("en"))])
    return header


def _header_text(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields)


def check_header_value(option: str, value: str | None) -> None:
    """A header value given on the command line is one line of text: a newline in it
    would start a header field of its own (a second Plural-Forms...)."""
    bad = _CONTROL_RE.search(value or "")
    if bad:
        raise UsageError(f"{option} {value[:60]!r} holds the control character "
                         f"U+{ord(bad.group()):04X}", hint="header values are one line of text")


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_fields(entry: pofile.Entry) -> list[tuple[str, str]]:
    fields = []
    for line in entry.msgstr.split("\n"):
        if ":" in line:
            key, value = line.split(":", 1)
            fields.append((key.strip(), value.strip()))
    return fields


def _set_field(entry: pofile.Entry, key: str, value: str) -> None:
    fields = header_fields(entry)
    for index, (name, _) in enumerate(fields):
        if name == key:
            fields[index] = (key, value)
            break
    else:
        fields.append((key, value))
    entry.msgstr = _header_text(fields)


def _field(entry: pofile.Entry | None, key: str) -> str | None:
    if entry is None:
        return None
    return next((value for name, value in header_fields(entry) if name == key), None)


# --------------------------------------------------------------------------
# Domains and files
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Domain:
    name: str
    title: str
    locales: tuple[str, ...]       # target locales (the source locale has no catalog)
    source_locale: str


def domains(ws: Workspace, memorials: list[Memorial] | None = None) -> list[Domain]:
    """The template domain (for every locale of every memorial) and one per memorial."""
    memorials = ws.memorials() if memorials is None else memorials
    out, every = [], []
    for memorial in memorials:
        targets = tuple(c for c in memorial.locales if c != memorial.source_locale)
        every += [c for c in targets if c not in every]
        out.append(Domain(memorial.domain, memorial.title, targets, memorial.source_locale))
    return [Domain(TEMPLATE_DOMAIN, "the memorial-kit templates", tuple(every), "en")] + out


def existing_locales(ws: Workspace) -> list[str]:
    if not ws.locales.is_dir():
        return []
    return sorted(p.name for p in ws.locales.iterdir() if (p / "LC_MESSAGES").is_dir())


def _messages_for(ws: Workspace, domain: Domain, memorials: list[Memorial]) -> list[Message]:
    if domain.name == TEMPLATE_DOMAIN:
        return template_messages(ws)
    memorial = next(m for m in memorials if m.domain == domain.name)
    return memorial_messages(memorial)


def build_pot(found: list[Message], domain: Domain, date: str) -> pofile.PoFile:
    entries = [pofile.Entry(m.msgid, msgctxt=m.msgctxt, msgid_plural=m.msgid_plural,
                            msgstr_plural=["", ""] if m.msgid_plural else [],
                            extracted_comments=list(m.comments), references=list(m.references),
                            flags=list(m.flags)) for m in found]
    return pofile.PoFile(entries=entries, header=_pot_header(domain.name, domain.title, date))


# --------------------------------------------------------------------------
# extract
# --------------------------------------------------------------------------
@dataclass
class FileResult:
    path: str
    changed: bool
    detail: str = ""
    skipped: bool = False           # not written, and why is in detail


def extract(ws: Workspace, memorial: str | None = None) -> list[FileResult]:
    """Write locales/<domain>.pot for the templates and each memorial."""
    memorials = ws.memorials(memorial)
    results = []
    for domain in domains(ws, memorials):
        found = _messages_for(ws, domain, memorials)
        path = ws.pot_path(domain.name)
        results.append(_write_pot(ws, path, build_pot(found, domain, creation_date()),
                                  len(found)))
    return results


def _write_pot(ws: Workspace, path: Path, pot: pofile.PoFile, count: int) -> FileResult:
    data = pofile.write_po(pot)
    shown = ws.relative(path)
    read = read_snapshot(path, shown=shown)
    if read.exists and _without_date(read.data) == _without_date(data):
        return FileResult(shown, False, f"{count} messages, unchanged")
    write_if_changed(path, data, read, shown)
    return FileResult(shown, True, f"{count} messages")


_DATE_RE = re.compile(rb'^"POT-Creation-Date: [^"\\]*\\n"$', re.M)


def _without_date(data: bytes) -> bytes:
    return _DATE_RE.sub(b'"POT-Creation-Date: \\\\n"', data)


def read_pot(ws: Workspace, domain: str) -> pofile.PoFile:
    path = ws.pot_path(domain)
    if not path.exists():
        raise UsageError(f"{ws.relative(path)} does not exist",
                         hint="run 'memorial-kit extract' first")
    return read_catalog(ws, path)


def read_catalog(ws: Workspace, path: Path) -> pofile.PoFile:
    return _read_catalog(ws, path)[1]


def _read_catalog(ws: Workspace, path: Path):
    """(snapshot, catalog) of the file at ``path``."""
    shown = ws.relative(path)
    read = read_snapshot(path, shown=shown)
    if not read.exists:
        raise CatalogError("catalog not found", path=shown)
    return read, pofile.read_po(read.data, shown).only_domain(_domain_of(path))


def _domain_of(path: Path) -> str:
    """A catalog's domain: its file name (locales/LL/LC_MESSAGES/DOMAIN.po, DOMAIN.pot)."""
    return path.name.rsplit(".", 1)[0]


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
    header.msgstr = _header_text([
        ("Project-Id-Version", domain.name), ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", _field(pot.header, "POT-Creation-Date") or creation_date()),
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
        for locale in _targets(ws, domain, locales):
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
    po = pofile.read_po(read.data, shown).only_domain(_domain_of(read.path))
    merged, found = merge(po, pot, locale, carved, **more)
    counts.append(found)
    data = pofile.write_po(merged)
    check_kept(po, data, shown)
    return data


def _targets(ws: Workspace, domain: Domain, locales: list[str] | None) -> list[str]:
    if locales:
        for code in locales:
            check_locale(code)
        return [c for c in locales if c != domain.source_locale]
    found = [c for c in existing_locales(ws) if ws.po_path(c, domain.name).exists()]
    return sorted(set(domain.locales) | set(found))


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
    nplurals = _nplurals(po, locale)
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
        if new.key in carved and not _has_translation(new):
            new.msgstr = carved[new.key]
            if "fuzzy" in new.flags:
                new.flags.remove("fuzzy")
        entries.append(new)
    donors = [e for e in po.entries if id(e) not in used and _has_translation(e)
              and not (exact_inscriptions and _is_inscription(e))]
    used |= _fuzzy_match(unmatched, donors, nplurals, counts)
    counts.new += len(unmatched) - counts.fuzzy
    for old in po.entries:
        if id(old) in used or not _has_translation(old):
            continue
        if not old.obsolete:
            counts.obsolete += 1
        entries.append(_obsolete(old))
    header = _merged_header(po.header, pot.header)
    return pofile.PoFile(entries=entries, header=header, path=po.path), counts


def _is_inscription(entry: pofile.Entry) -> bool:
    return messages.is_inscription(entry.msgctxt)


def _nplurals(po: pofile.PoFile, locale: str) -> int:
    value = _field(po.header, "Plural-Forms")
    if value:
        return parse_plural_forms(value, po.path, po.header_line("Plural-Forms")).nplurals
    return parse_plural_forms(plural_forms_header(locale)).nplurals


def _has_translation(entry: pofile.Entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural)


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
    date = _field(pot_header, "POT-Creation-Date")
    if date:
        _set_field(merged, "POT-Creation-Date", date)
    return merged


# --------------------------------------------------------------------------
# compile
# --------------------------------------------------------------------------
def _catalogs(ws: Workspace, locales: list[str] | None):
    """(domain, locale, snapshot, catalog) for every catalog that exists, read in turn."""
    for domain in domains(ws):
        for locale in _targets(ws, domain, locales):
            path = ws.po_path(locale, domain.name)
            if path.exists():
                yield (domain.name, locale) + _read_catalog(ws, path)


def compile_catalogs(ws: Workspace, locales: list[str] | None = None) -> list[FileResult]:
    """Read and validate every catalog first, then write: a bad one changes no file.  A .mo
    is written only if its .po is still the one compiled, and over the .mo as it was."""
    compiled = []
    for domain, locale, read, po in _catalogs(ws, locales):
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


def validate_plurals(po: pofile.PoFile, locale: str) -> PluralForms:
    """The header's Plural-Forms is sound and every plural entry has nplurals forms."""
    header_line = po.header.line if po.header else None
    value = _field(po.header, "Plural-Forms")
    if value is None:
        raise CatalogError("the header has no Plural-Forms", path=po.path, line=header_line,
                           hint=f"add \"Plural-Forms: {plural_forms_header(locale)}\\n\"")
    forms = parse_plural_forms(value, po.path, po.header_line("Plural-Forms"))
    for entry in po.entries:
        if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != forms.nplurals:
            raise CatalogError(
                f"{len(entry.msgstr_plural)} msgstr[n] forms but Plural-Forms says "
                f"nplurals={forms.nplurals}", path=po.path, line=entry.line,
                hint=f"give msgstr[0] to msgstr[{forms.nplurals - 1}]")
    return forms


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
    return [catalog_stats(po, locale, domain) for domain, locale, _, po in _catalogs(ws, locales)]


def catalog_stats(po: pofile.PoFile, locale: str, domain: str) -> Stats:
    result = Stats(locale, domain, po.path or "")
    for entry in po.entries:
        if entry.obsolete:
            continue
        words = len(entry.msgid.split())
        state = ("translated" if entry.translated else
                 "fuzzy" if entry.fuzzy and _has_translation(entry) else "untranslated")
        setattr(result, state, getattr(result, state) + 1)
        setattr(result, f"{state}_words", getattr(result, f"{state}_words") + words)
    return result


# --------------------------------------------------------------------------
# Translations for the renderer
# --------------------------------------------------------------------------
class Translations:
    """Lookups in one locale's catalog of one domain; fuzzy text is never returned.

    A miss is None: the renderer's Lang decides what to print instead and records it.
    """

    def __init__(self, locale: str, domain: str, po: pofile.PoFile | None,
                 plural: PluralForms | None, path: str | None = None):
        self.locale, self.domain = locale, domain
        self.plural = plural
        self.path = path                # the .po file, relative to the workspace
        self.table: dict[tuple, pofile.Entry] = {}
        if po is not None:
            self.table = {e.key: e for e in po.entries if e.translated and not e.obsolete}

    @property
    def is_source(self) -> bool:
        return self.plural is None

    def holds(self, msgctxt: str | None, msgid: str) -> bool:
        """The catalog has a translation of the message (the source locale has none)."""
        return (msgctxt, msgid) in self.table

    def where(self, msgctxt: str | None, msgid: str) -> tuple[str | None, int | None]:
        """The .po file and line of a translated entry, to name in an error."""
        entry = self.table.get((msgctxt, msgid))
        return (self.path, entry.line) if entry is not None else (None, None)

    def lookup(self, msgctxt: str | None, msgid: str) -> str | None:
        if self.is_source:
            return msgid
        entry = self.table.get((msgctxt, msgid))
        if entry is None:
            return None
        return entry.msgstr if not entry.msgid_plural else entry.msgstr_plural[0]

    def lookup_plural(self, msgctxt, singular: str, plural: str, n: int) -> str | None:
        if self.is_source:
            return singular if n == 1 else plural
        entry = self.table.get((msgctxt, singular))
        if entry is None or not entry.msgid_plural:
            return None
        return entry.msgstr_plural[self.plural(n)]


def load_translations(ws: Workspace, locale: str, domain: str, source_locale: str = "en") -> Translations:
    """The catalog of ``domain`` in ``locale`` (the source locale needs none)."""
    if locale == source_locale:
        return Translations(locale, domain, None, None)
    path = ws.po_path(locale, domain)
    if not path.exists():
        raise UsageError(f"{ws.relative(path)} does not exist",
                         hint=f"run 'memorial-kit init {locale}' and translate it")
    po = _read_cached(ws, path)         # a build loads a catalog for several pages
    forms = validate_plurals(po, locale)
    return Translations(locale, domain, po, forms, ws.relative(path))


def has_catalog(ws: Workspace, locale: str, memorial: Memorial) -> bool:
    return locale == memorial.source_locale or ws.po_path(locale, memorial.domain).exists()


_READ_CACHE: dict = {}


def _read_cached(ws: Workspace, path: Path) -> pofile.PoFile:
    """A catalog parsed once per process while its file is unchanged (for read-only use)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _READ_CACHE:
        if len(_READ_CACHE) > 64:
            _READ_CACHE.clear()
        _READ_CACHE[key] = read_catalog(ws, path)
    return _READ_CACHE[key]


def carved_text_digest(ws: Workspace, locale: str, memorial: Memorial) -> str:
    """A digest of the inscription entries of one catalog (what other products print of it)."""
    import hashlib
    path = ws.po_path(locale, memorial.domain)
    if locale == memorial.source_locale or not path.exists():
        return "none"
    digest = hashlib.sha256()
    for entry in _read_cached(ws, path).entries:
        if messages.is_inscription(entry.msgctxt) and not entry.obsolete:
            digest.update(f"{entry.msgctxt}\0{entry.msgid}\0{entry.msgstr}\0{entry.fuzzy}\0".encode())
    return digest.hexdigest()
