"""extract: what a memorial and the templates give translators, as templates (.pot).

A memorial's messages come from its article and manifest, each with the comment,
the context (:mod:`.messages`) and the length limit a translator needs; the
templates' words come through Babel's Jinja2 extractor.  The .pot is written
as ``xgettext`` writes it and only when more than its date changed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract as babel_extract

from . import inscriptions, messages, placeholders
from . import po as pofile
from .catalogs import Domain, FileResult, creation_date, domains, header_text, plural_forms_header
from .errors import TemplateError
from .fsutil import read_snapshot, write_if_changed
from .layout import label_limits, limit_comment, plaque_limits, size_text
from .memorial import Memorial
from .workspace import TEMPLATE_DOMAIN, Workspace


GETTEXT_KEYWORDS = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                    "npgettext": ((1, "c"), 2, 3), "_": None}


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
        out.extend(_monument_messages(monument, ref, mref, plaque_limits(memorial, monument),
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
# The template file (.pot)
# --------------------------------------------------------------------------
def _pot_header(domain: str, title: str, date: str) -> pofile.Entry:
    header = pofile.Entry("", translator_comments=[
        f"Translations template for {title}.",
        "This file is distributed under the same license as the source text (see README.md).",
        "FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.", ""], flags=["fuzzy"])
    header.msgstr = header_text([
        ("Project-Id-Version", domain), ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", date), ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"), ("Language", ""),
        ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        # The source language's rule rather than xgettext's placeholder, which msgfmt -c rejects.
        ("Plural-Forms", plural_forms_header("en"))])
    return header


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
