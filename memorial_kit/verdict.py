"""One verdict: which messages of a catalog carry a finding of error severity.

``check`` reports every finding; ``build`` prints a product only when none of the
messages it prints has an error.  Both take the findings from one function,
:func:`catalog_findings` (the checks of :mod:`.checks`), so that check's "can
ship" is, by construction, what build prints.  ``check`` computes each catalog's
findings once per run and hands them to the rendering it does to tell which
products can ship; ``build`` keeps each catalog's verdict in a file beside its
build records, keyed by everything the findings depend on, so that a rebuild
with nothing changed checks nothing again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .fsutil import atomic_write
from .kitcode import code_digest
from .memorial import Memorial
from .workspace import TEMPLATE_DOMAIN, Workspace

FORMAT = 1          # of the cache files: a change makes every cached verdict stale


@dataclass(frozen=True)
class Verdict:
    """The error findings of one locale's catalog of one domain, as the lines build prints
    (``path:line: error: [code] message``): per entry, and for the whole catalog."""
    locale: str
    domain: str
    errors: dict = field(default_factory=dict)     # (msgctxt, msgid) -> tuple of lines
    catalog: tuple = ()                             # errors of no one entry (the header)

    def blocking(self, key: tuple) -> tuple:
        """What keeps the message ``key`` from print (empty: nothing)."""
        found = self.errors.get(key, ())
        return self.catalog + found if self.catalog else found

    @classmethod
    def from_findings(cls, locale: str, domain: str, findings) -> "Verdict":
        errors: dict[tuple, tuple] = {}
        catalog: list[str] = []
        for finding in findings:
            if finding.severity != "error":
                continue
            line = finding.lines()[0]
            if finding.msgid is None:
                catalog.append(line)
            else:
                key = (finding.msgctxt, finding.msgid)
                if line not in errors.get(key, ()):
                    errors[key] = errors.get(key, ()) + (line,)
        return cls(locale, domain, errors, tuple(catalog))

    def as_json(self) -> dict:
        return {"errors": [[ctxt, msgid, list(lines)] for (ctxt, msgid), lines
                           in sorted(self.errors.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))],
                "catalog": list(self.catalog)}

    @classmethod
    def from_json(cls, locale: str, domain: str, data: dict) -> "Verdict":
        errors = {(ctxt, msgid): tuple(lines) for ctxt, msgid, lines in data["errors"]}
        return cls(locale, domain, errors, tuple(data["catalog"]))

    def digest(self) -> str:
        """Which messages are held back, and why (a page's language switcher depends on it)."""
        return hashlib.sha256(json.dumps(self.as_json(), sort_keys=True).encode()).hexdigest()


def catalog_findings(po, locale: str, domain: str, path: str, memorial: Memorial | None,
                     pot=None, pot_path: str = "") -> list:
    """Every finding of one catalog: the one piece of code both commands read.  (Letters
    without a font are a product's matter, not a message's: see checks/glyphs.py.)"""
    from .checks import check_catalog
    return check_catalog(po, locale, domain, path, memorial, pot, pot_path)


class Verdicts:
    """The verdicts of one memorial's catalogs, each worked out once: from the findings a
    ``check`` run already has (:meth:`add`), else from the cache file, else computed."""

    def __init__(self, ws: Workspace, memorial: Memorial):
        self.ws, self.memorial = ws, memorial
        self._known: dict[tuple[str, str], Verdict] = {}

    def add(self, verdict: Verdict) -> None:
        self._known[(verdict.locale, verdict.domain)] = verdict

    def of(self, locale: str) -> dict[str, Verdict]:
        """domain -> verdict, for ``locale``'s catalogs (none for the source language)."""
        if locale == self.memorial.source_locale:
            return {}
        out = {}
        for domain in (self.memorial.domain, TEMPLATE_DOMAIN):
            found = self.get(locale, domain)
            if found is not None:
                out[domain] = found
        return out

    def get(self, locale: str, domain: str) -> Verdict | None:
        key = (locale, domain)
        if key not in self._known:
            path = self.ws.po_path(locale, domain)
            if not path.exists():
                return None
            self._known[key] = self._cached(locale, domain, path)
        return self._known[key]

    def _cached(self, locale: str, domain: str, path: Path) -> Verdict:
        inputs = self._inputs(locale, domain, path)
        cache = (self.ws.state / "build" / "verdicts"
                 / f"{self.memorial.slug}.{locale}.{domain}.json")
        try:
            data = json.loads(cache.read_text("utf-8"))
            if data.get("inputs") == inputs:
                return Verdict.from_json(locale, domain, data)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        verdict = self._compute(locale, domain, path)
        atomic_write(cache, json.dumps(dict(verdict.as_json(), inputs=inputs),
                                       ensure_ascii=False, indent=1).encode("utf-8"))
        return verdict

    def _compute(self, locale: str, domain: str, path: Path) -> Verdict:
        from .catalogs import read_catalog
        owner = self.memorial if domain == self.memorial.domain else None
        findings = catalog_findings(read_catalog(self.ws, path), locale, domain,
                                    self.ws.relative(path), owner)
        return Verdict.from_findings(locale, domain, findings)

    def _inputs(self, locale: str, domain: str, path: Path) -> str:
        """A digest of what the findings depend on: the catalog, the memorial (its names
        and carved texts), the fonts' files and the checks' code."""
        digest = hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{locale}\0{domain}\0"
                                f"{self.memorial.print.font}\0".encode())
        files = [path]
        if domain == self.memorial.domain:
            files += [self.memorial.manifest_path,
                      self.memorial.folder / Path(self.memorial.article.path).name]
        fonts = self.ws.templates / "fonts"
        files.append(self.ws.templates / "fonts.css")
        for item in files:
            try:
                digest.update(hashlib.sha256(Path(item).read_bytes()).digest())
            except FileNotFoundError:
                digest.update(b"missing")
        if fonts.is_dir():
            for font in sorted(fonts.iterdir()):
                stat = font.stat()
                digest.update(f"{font.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
        return digest.hexdigest()
