"""The pseudo-locale ``qps``: every message accented, about 40 % longer and bracketed.

``memorial-kit pseudo`` writes ``locales/qps/LC_MESSAGES/<domain>.po`` for every
domain from the templates (.pot).  Building and checking ``qps`` shows, before
any translator starts, what would not fit (longer text), what a font lacks
(accented letters), what text the templates print without gettext (it stays
plain English) and what a translation could truncate (the markers at both
ends).  Placeholders (``%(x)s``, ``{x}``) and numbers are kept exactly; the
accents are letters DejaVu Serif has (Latin-1 and Latin Extended-A).  A carved
inscription keeps its carved text in a carved language's catalog; ``qps`` is
not one, so it pseudo-translates the English gloss like any other message.

``memorial-kit pseudo --rtl`` writes ``qps_XB``, a mirrored right-to-left pseudo-locale
(as Android's ``ar-XB``): its pages are laid out right to left (``dir="rtl"``) and each
word is spelled backwards, so the text looks mirrored.  Unlike Android's, it uses no
bidi control characters (the checks reject them in any translation: the kit sets every
passage's direction itself).  Placeholders, numbers and closing punctuation stay as
they are: what does not mirror is a layout bug a right-to-left translation would meet.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from . import inscriptions, placeholders
from . import po as pofile
from .catalogs import FileResult, creation_date, domains, plural_forms_header, read_pot
from .errors import UsageError
from .fsutil import write_if_changed
from .locales import PSEUDO_LOCALE, PSEUDO_RTL_LOCALE, check_locale
from .plurals import parse_plural_forms
from .workspace import Workspace

ACCENTS = dict(zip(
    "aceghijklnorstuwyzACDEGHIJKLNORSTUWYZ",
    "áçéĝĥíĵķĺñóŕšťúŵýžÁÇĎÉĜĤÍĴĶĹÑÓŔŠŤÚŴÝŽ"))
FILLER = "ĺóŕéḿ ĩƥšúḿ ďóĺóŕ šíť áḿéť çóñšéçťéťúŕ áďíƥíšçíñĝ éĺíť "
EXPANSION = 1.4                 # a German or Lithuanian text is often this much longer
WIDE_MARKERS = ("⟦", "⟧")
PLAIN_MARKERS = ("[", "]")

# Kept exactly besides placeholders: markup and entities.
_MARKUP = r"</?[A-Za-z][^<>]*>|&#?[A-Za-z0-9]+;"
_CLOSING_RE = re.compile(r"[.!?:;…]+[\"'“”»)\]]*$")


def accent(text: str, keep: tuple[str, ...] = ()) -> str:
    """``text`` with its letters accented, placeholders, markup and the texts ``keep``
    (carved inscriptions the source quotes) untouched."""
    return _outside_protected(text, keep, lambda part: part.translate(_TABLE))


def _outside_protected(text: str, keep: tuple[str, ...], change) -> str:
    """``change`` applied to the parts of ``text`` that are not placeholders, markup or
    one of the texts ``keep``."""
    also = [re.escape(k) for k in sorted(keep, key=len, reverse=True)] + [_MARKUP]
    return placeholders.protect(text, change, also="|".join(also))


_TABLE = str.maketrans(ACCENTS)


def filler(length: int) -> str:
    """``length`` characters of accented pseudo-Latin words (never ending in a space)."""
    if length <= 0:
        return ""
    text = (FILLER * (length // len(FILLER) + 1))[:length]
    return text.rstrip() or text.strip() or ""


def pseudo_text(text: str, markers: tuple[str, str] = PLAIN_MARKERS,
                keep: tuple[str, ...] = ()) -> str:
    """The pseudo-translation of one message: accented, padded, between markers.

    Leading and trailing whitespace stays outside the markers and closing
    punctuation stays last, so the checks see the source's shape.
    """
    if not text.strip():
        return text
    core = text.strip()
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    closing = _CLOSING_RE.search(core)
    body, end = (core[:closing.start()], closing.group()) if closing else (core, "")
    if not body:
        body, end = core, ""
    pad = math.ceil(len(core) * EXPANSION) - len(core) - len(markers[0]) - len(markers[1]) - 1
    padding = filler(pad)
    body = accent(body, keep) + (" " + padding if padding else "")
    return f"{lead}{markers[0]}{body}{accent(end)}{markers[1]}{trail}"


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def mirrored_text(text: str, keep: tuple[str, ...] = ()) -> str:
    """The right-to-left pseudo-translation of one message: each word spelled backwards;
    placeholders, markup, numbers, spaces, punctuation and the texts ``keep`` (carved
    inscriptions the source quotes) untouched."""
    return _outside_protected(text, keep, _mirror_words)


def _mirror_words(text: str) -> str:
    return _WORD_RE.sub(lambda m: m.group()[::-1], text)


def markers_for(ws: Workspace, families: list[str]) -> tuple[str, str]:
    """⟦ ⟧ when every face of the products' fonts has them, else [ ]."""
    from .checks.glyphs import coverage
    try:
        fonts = [coverage(ws.templates, family) for family in families]
    except Exception:  # noqa: BLE001 - no font: the plain markers are safe anywhere
        return PLAIN_MARKERS
    for font in fonts:
        if any(font.lacking(ch) for ch in WIDE_MARKERS):
            return PLAIN_MARKERS
    return WIDE_MARKERS


def pseudo_catalog(pot: pofile.PoFile, locale: str, domain: str, title: str,
                   carved: dict[tuple, str] | None = None,
                   markers: tuple[str, str] = PLAIN_MARKERS,
                   quoted: tuple[str, ...] = (), rtl: bool = False) -> pofile.PoFile:
    """A complete catalog for ``locale`` from the template ``pot``.

    ``carved`` maps (msgctxt, msgid) to the text carved in ``locale``: those
    entries keep the carved text exactly.  ``quoted``: every carved text, kept
    letter for letter where a message quotes it (as a translation must).
    """
    carved = carved or {}
    plural_forms = plural_forms_header(locale)
    nplurals = parse_plural_forms(plural_forms).nplurals
    header = pofile.Entry("", translator_comments=[
        f"Pseudo-translation ({locale}) of {title}: generated by 'memorial-kit pseudo'.",
        "Do not translate or edit: it is rewritten from the template each time.", ""])
    po = pofile.PoFile(entries=[], header=header)
    po.set_header_fields([
        ("Project-Id-Version", domain), ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", pot.header_value("POT-Creation-Date") or creation_date()),
        ("PO-Revision-Date", pot.header_value("POT-Creation-Date") or creation_date()),
        ("Last-Translator", "memorial-kit pseudo"), ("Language-Team", "Pseudo-locale"),
        ("Language", locale), ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms)])
    for template in pot.entries:
        if template.obsolete:
            continue
        entry = pofile.Entry(template.msgid, msgctxt=template.msgctxt,
                             msgid_plural=template.msgid_plural,
                             extracted_comments=list(template.extracted_comments),
                             references=list(template.references),
                             flags=[f for f in template.flags if f != "fuzzy"])
        make = (lambda text: mirrored_text(text, quoted)) if rtl else (
            lambda text: pseudo_text(text, markers, quoted))
        if template.key in carved:
            entry.msgstr = carved[template.key]
        elif template.msgid_plural is not None:
            entry.msgstr_plural = [make(template.msgid if i == 0 else template.msgid_plural)
                                   for i in range(nplurals)]
        else:
            entry.msgstr = make(template.msgid)
        po.entries.append(entry)
    return po


def write_pseudo(ws: Workspace, locale: str | None = None, rtl: bool = False) -> list[FileResult]:
    """Write the pseudo-locale's catalog of every domain; never over a real translation.
    ``rtl``: the mirrored right-to-left pseudo-locale (default ``qps_XB``)."""
    locale = locale or (PSEUDO_RTL_LOCALE if rtl else PSEUDO_LOCALE)
    check_locale(locale)
    memorials = ws.memorials()
    for memorial in memorials:
        if locale in memorial.locales:
            raise UsageError(f"{locale!r} is a language of {memorial.slug}: a pseudo-translation "
                             "would overwrite its real translations",
                             hint=f"use the pseudo-locale '{PSEUDO_LOCALE}'")
    markers = markers_for(ws, list(dict.fromkeys(m.print.font for m in memorials)))
    results = []
    for domain in domains(ws, memorials):
        pot = read_pot(ws, domain.name)
        of_domain = [m for m in memorials if m.domain == domain.name]
        quoted = tuple(dict.fromkeys(c.text for c in inscriptions.carvings(of_domain)))
        po = pseudo_catalog(pot, locale, domain.name, domain.title,
                            inscriptions.carved_entries(of_domain, locale), markers, quoted, rtl)
        path = ws.po_path(locale, domain.name)
        changed = write_if_changed(path, pofile.write_po(po))
        results.append(FileResult(ws.relative(Path(path)), changed,
                                  f"{len(po.entries)} pseudo-translated messages"))
    return results
