"""The catalogs as the renderer reads them: one locale's translations of one domain.

A catalog is parsed once per process while its file is unchanged; fuzzy and
obsolete entries are never returned.  :func:`carved_text_digest` is what a build
record keeps of a carved language's catalog that lends a product only its
inscriptions.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from . import messages
from . import po as pofile
from .catalogs import read_catalog, validate_plurals
from .errors import UsageError
from .memorial import Memorial
from .plurals import PluralForms
from .workspace import Workspace


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
    path = ws.po_path(locale, memorial.domain)
    if locale == memorial.source_locale or not path.exists():
        return "none"
    digest = hashlib.sha256()
    for entry in _read_cached(ws, path).entries:
        if messages.is_inscription(entry.msgctxt) and not entry.obsolete:
            digest.update(f"{entry.msgctxt}\0{entry.msgid}\0{entry.msgstr}\0{entry.fuzzy}\0".encode())
    return digest.hexdigest()
