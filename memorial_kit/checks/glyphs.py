"""Can the printer print every character of a product with the fonts the templates declare?

A product's text (what its HTML prints, the page numbers included: carved texts in
other scripts, names, fallbacks) is measured against the page's font chain
(:func:`fonts.chain`: the manifest's font, then a font per script), the same list the
renderer writes as the page's ``font-family``.  A character no family of the chain has
would print in a font the printer picks by itself, or as a box: the product is refused,
and the finding says, once per script, what to declare in templates/fonts.css.  ``check``
reports these findings and ``build`` refuses the product on the same verdict.
"""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from .. import fonts
from ..locales import script
from .findings import Finding

_STYLE_RE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_HEAD_RE = re.compile(r"<head\b.*?</head>", re.S | re.I)
_CONTENT_RE = re.compile(r"content:\s*([^;}]*)")
_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TAG_RE = re.compile(r"<[^>]*>")
_CSS_ESCAPE_RE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)")


def printed_text(page: str) -> str:
    """The text an HTML page prints: its body's text and the strings its style sheet
    generates (the translated "Page 1 of 4")."""
    generated = []
    for style in _STYLE_RE.findall(page):
        for value in _CONTENT_RE.findall(style):
            generated += [_css_unescape(s) for s in _STRING_RE.findall(value)]
    body = _TAG_RE.sub(" ", _HEAD_RE.sub(" ", page))
    return htmllib.unescape(body) + " " + " ".join(generated)


def _css_unescape(text: str) -> str:
    return _CSS_ESCAPE_RE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], text)


def page_chain(templates: Path, family: str, locale: str) -> fonts.FontChain:
    return fonts.chain(templates, family, script(locale))


def uncovered_messages(page: str, chain: fonts.FontChain) -> list[tuple[str, set[str], str]]:
    """(script, characters, message) for each script with letters no family of ``chain``
    covers, in the order the scripts are first met."""
    out = []
    for name, chars in chain.uncovered(printed_text(page)).items():
        shown = ", ".join(f"{ch} U+{ord(ch):04X}" for ch in sorted(chars)[:8])
        more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
        count = f"{len(chars)} letter{'s' if len(chars) != 1 else ''}"
        absent = chain.missing_system_family(chars)
        if absent is not None:
            message = (f"{name}: {count} that no installed font covers ({shown}{more}): the "
                       f"font declared for it, {absent.name!r}, is not installed; install the "
                       f"package {absent.package}")
        else:
            message = (f"{name}: {count} that no declared font covers ({shown}{more}); declare "
                       f"a font for {name} in templates/fonts.css")
        out.append((name, chars, message))
    return out


def product_findings(page: str, chain: fonts.FontChain, product: str, locale: str,
                     domain: str, catalogs: list, source: str | None = None) -> list[Finding]:
    """One finding per script a product prints without a font, pointed at the first entry
    of ``catalogs`` (``Loaded``: path and entries) that holds such a letter, or else at
    ``source`` (the manifest, where carved texts come from)."""
    out = []
    for _, chars, message in uncovered_messages(page, chain):
        where, entry = _first_entry(catalogs, chars)
        where = where or source
        out.append(Finding(
            "glyph-missing", "error", locale, domain, where, entry.line if entry else None,
            entry.msgctxt if entry else None, entry.msgid if entry else None,
            f"the {product}: {message}",
            "the letter prints as a box or in a font the printer picks: declare a font that "
            "has it (templates/fonts.css), or write a character a declared font has"))
    return out


def product_name(product: str, locales: tuple, monument: str | None) -> str:
    """A product as check names it ("leaflet", "plaque yurshor", "labels lt-en")."""
    from .products import Product
    return Product(product, locales, monument).name


def build_findings(ws, memorial, locales: tuple, product: str, page: str) -> list[Finding]:
    """What ``build`` holds against a product's page: :func:`product_findings` with the
    page's font chain, pointed at the entries of its languages' catalogs (read only when
    a letter lacks a font)."""
    chain = page_chain(ws.templates, memorial.print.font, locales[0])
    if not chain.uncovered(printed_text(page)):
        return []
    from ..catalogs import read_catalog
    from ..workspace import TEMPLATE_DOMAIN
    from .catalog import live_entries
    from .products import Loaded
    catalogs = []
    for code in locales:
        for domain in (memorial.domain, TEMPLATE_DOMAIN):
            path = ws.po_path(code, domain)
            if code != memorial.source_locale and path.exists():
                catalogs.append(Loaded(ws.relative(path), live_entries(read_catalog(ws, path))))
    return product_findings(page, chain, product, locales[0], memorial.domain, catalogs,
                            ws.relative(memorial.manifest_path))


def _first_entry(catalogs: list, chars: set[str]):
    for loaded in catalogs:
        if loaded is None:
            continue
        for entry in loaded.entries.values():
            texts = list(entry.msgstr_plural) if entry.msgid_plural is not None else [entry.msgstr]
            if entry.translated and any(ch in text for text in texts for ch in chars):
                return loaded.path, entry
    return None, None


def coverage(templates: Path, family: str) -> fonts.Family:
    """The faces of the bundled ``family`` (RenderError if templates/fonts.css does not
    declare it)."""
    return fonts.Family(family, fonts.require_font(templates, family))
