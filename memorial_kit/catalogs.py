"""The catalog files: which exist (a domain per memorial and one for the templates, a
catalog per language), reading them, their headers and their plural forms.

Every stage reads and writes gettext files through :mod:`memorial_kit.po`, which
writes them exactly as GNU gettext does; :mod:`.extract` writes the templates (.pot),
:mod:`.merge` the catalogs (.po, .mo) and :mod:`.translations` reads them for the
renderer.  This module and :mod:`.extract` are the only users of ``babel.messages``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.plurals import get_plural

from . import po as pofile
from .errors import CatalogError, UsageError
from .fsutil import read_snapshot
from .locales import PSEUDO_LOCALES, check_locale
from .memorial import Memorial
from .plurals import PluralForms, parse_plural_forms
from .sourcedate import source_date
from .workspace import TEMPLATE_DOMAIN, Workspace


# CLDR has no plural rules for these; gettext's convention for them (Latin: singular/plural).
PLURAL_GAPS = {"la": "nplurals=2; plural=(n != 1);"}


def plural_forms_header(locale: str) -> str:
    """Plural-Forms from CLDR through Babel; gettext's convention where CLDR has none."""
    if locale in PLURAL_GAPS:
        return PLURAL_GAPS[locale]
    if locale in PSEUDO_LOCALES:
        return "nplurals=2; plural=(n != 1);"
    rule = get_plural(locale)
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def creation_date() -> str:
    """Now, or SOURCE_DATE_EPOCH's date when it is set (reproducible builds)."""
    stamp = source_date()
    if stamp is None:
        stamp = dt.datetime.now(dt.timezone.utc)
    return stamp.strftime("%Y-%m-%d %H:%M+0000")


def header_text(fields: list[tuple[str, str]]) -> str:
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


def set_header_field(entry: pofile.Entry, key: str, value: str) -> None:
    fields = header_fields(entry)
    for index, (name, _) in enumerate(fields):
        if name == key:
            fields[index] = (key, value)
            break
    else:
        fields.append((key, value))
    entry.msgstr = header_text(fields)


def header_field(entry: pofile.Entry | None, key: str) -> str | None:
    if entry is None:
        return None
    return next((value for name, value in header_fields(entry) if name == key), None)


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


@dataclass
class FileResult:
    path: str
    changed: bool
    detail: str = ""
    skipped: bool = False           # not written, and why is in detail


def read_pot(ws: Workspace, domain: str) -> pofile.PoFile:
    path = ws.pot_path(domain)
    if not path.exists():
        raise UsageError(f"{ws.relative(path)} does not exist",
                         hint="run 'memorial-kit extract' first")
    return read_catalog(ws, path)


def read_catalog(ws: Workspace, path: Path) -> pofile.PoFile:
    return read_catalog_snapshot(ws, path)[1]


def read_catalog_snapshot(ws: Workspace, path: Path):
    """(snapshot, catalog) of the file at ``path``."""
    shown = ws.relative(path)
    read = read_snapshot(path, shown=shown)
    if not read.exists:
        raise CatalogError("catalog not found", path=shown)
    return read, pofile.read_po(read.data, shown).only_domain(domain_of(path))


def domain_of(path: Path) -> str:
    """A catalog's domain: its file name (locales/LL/LC_MESSAGES/DOMAIN.po, DOMAIN.pot)."""
    return path.name.rsplit(".", 1)[0]


def target_locales(ws: Workspace, domain: Domain, locales: list[str] | None) -> list[str]:
    if locales:
        for code in locales:
            check_locale(code)
        return [c for c in locales if c != domain.source_locale]
    found = [c for c in existing_locales(ws) if ws.po_path(c, domain.name).exists()]
    return sorted(set(domain.locales) | set(found))


def each_catalog(ws: Workspace, locales: list[str] | None):
    """(domain, locale, snapshot, catalog) for every catalog that exists, read in turn."""
    for domain in domains(ws):
        for locale in target_locales(ws, domain, locales):
            path = ws.po_path(locale, domain.name)
            if path.exists():
                yield (domain.name, locale) + read_catalog_snapshot(ws, path)


def validate_plurals(po: pofile.PoFile, locale: str) -> PluralForms:
    """The header's Plural-Forms is sound and every plural entry has nplurals forms."""
    header_line = po.header.line if po.header else None
    value = header_field(po.header, "Plural-Forms")
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


def nplurals_of(po: pofile.PoFile, locale: str) -> int:
    value = header_field(po.header, "Plural-Forms")
    if value:
        return parse_plural_forms(value, po.path, po.header_line("Plural-Forms")).nplurals
    return parse_plural_forms(plural_forms_header(locale)).nplurals


def has_translation(entry: pofile.Entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural)
