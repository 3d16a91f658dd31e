"""``memorial-kit check``: what a translator, a curator and the printer must know.

:func:`run_checks` reads each checked locale's catalogs once and reports
:class:`Finding` s with stable codes (:data:`CODES`):

* catalog integrity: header, plural forms, the template, format directives, whitespace;
* the carved inscriptions, letter for letter, in the carved languages' catalogs;
* facts: numbers (read as each language writes them) and proper names;
* typography: markup, brackets, quotation marks, double spaces, closing punctuation;
* translation state and which products each locale can ship;
* glyphs: each product's text against the fonts that print it, once per script;
* fit: each product that can ship is laid out as PDF and measured (``render=False`` skips it);
* the seed article's own findings from the parser.

The checks are pure functions of an entry (or a catalog) and its context; printing
is the command line's.
"""
from __future__ import annotations

from .. import inscriptions
from ..catalogs import domains as catalog_domains
from ..catalogs import read_catalog
from ..errors import UsageError
from ..locales import check_locale
from ..memorial import Memorial
from ..render import Renderer
from ..workspace import TEMPLATE_DOMAIN, Workspace
from . import catalog as catalog_checks
from . import detections, glyphs, products
from .entries import EntryContext, check_entry
from .findings import CODES, SEVERITIES, Finding, summary
from ..verdict import Verdict, Verdicts, catalog_findings

__all__ = ["CODES", "SEVERITIES", "Finding", "run_checks", "summary", "exit_code",
           "check_catalog", "source_findings"]


def run_checks(ws: Workspace, locales: list[str] | None = None, memorial: str | None = None,
               render: bool = True, progress=None) -> list[Finding]:
    """Every finding for ``locales`` (default: every locale with catalogs) of ``memorial``
    (default: every memorial); MemorialKitError when the input cannot be read.
    ``progress(what, done, total)`` is told of each step (the CLI draws a bar)."""
    memorials = ws.memorials(memorial)
    domains = catalog_domains(ws, memorials)
    targets = _targets(ws, memorials, domains, locales)
    steps = iter(range(1, len(targets) * (1 + len(memorials)) + 1))
    total = len(targets) * (1 + len(memorials))
    tick = (lambda what: progress(what, next(steps), total)) if progress else (lambda what: None)
    findings: list[Finding] = []
    for m in memorials:
        findings += source_findings(m)
    loaded: dict[tuple[str, str], products.Loaded] = {}
    verdicts = {m.slug: Verdicts(ws, m) for m in memorials}
    pots = {d.name: _read_pot(ws, d.name) for d in domains}
    for locale in targets:
        for domain in domains:
            path = ws.po_path(locale, domain.name)
            owner = next((m for m in memorials if m.domain == domain.name), None)
            if not path.exists():
                if owner is None or locale in owner.locales or locales:
                    findings.append(Finding(
                        "catalog-missing", "error", locale, domain.name, ws.relative(path), None,
                        None, None, f"there is no {locale} catalog for the domain {domain.name}",
                        f"run 'memorial-kit init {locale}'"))
                continue
            po = read_catalog(ws, path)
            found = catalog_findings(po, locale, domain.name, ws.relative(path), owner,
                                     pots.get(domain.name), ws.relative(ws.pot_path(domain.name)))
            findings += found
            # the products are rendered with these findings: what they hold back is the
            # build's verdict, so "can ship" is what build prints
            for m in memorials:
                if owner is None or owner is m:
                    verdicts[m.slug].add(Verdict.from_findings(locale, domain.name, found))
            loaded[(locale, domain.name)] = products.Loaded(
                ws.relative(path), catalog_checks.live_entries(po))
        tick(f"catalogs {locale}")
    renderer = Renderer(ws.templates)
    for m in memorials:
        findings += _product_findings(ws, m, targets, loaded, renderer, render, tick,
                                      verdicts[m.slug])
    return findings


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    failing = {"error", "warning"} if strict else {"error"}
    return 1 if any(f.severity in failing for f in findings) else 0


def _targets(ws: Workspace, memorials: list[Memorial], domains, locales) -> list[str]:
    sources = {m.source_locale for m in memorials}
    if locales:
        out = []
        for code in locales:
            check_locale(code)
            if code in sources:
                raise UsageError(f"{code!r} is the source language: it has no catalog to check",
                                 hint="check a target language such as 'lt' or 'ru'")
            if not any(ws.po_path(code, d.name).exists() for d in domains):
                raise UsageError(f"there are no {code} catalogs in {ws.relative(ws.locales)}",
                                 hint=f"run 'memorial-kit init {code}'"
                                 + (" or 'memorial-kit pseudo'" if code == "qps" else ""))
            if code not in out:
                out.append(code)
        return out
    found = []
    for domain in domains:
        found += [c for c in domain.locales if c not in found]
    if ws.locales.is_dir():
        for folder in sorted(ws.locales.iterdir()):
            code = folder.name
            if code in found or code in sources or not (folder / "LC_MESSAGES").is_dir():
                continue
            if any(ws.po_path(code, d.name).exists() for d in domains if _valid(code)):
                found.append(code)
    return found


def _valid(code: str) -> bool:
    try:
        check_locale(code)
    except UsageError:
        return False
    return True


def _read_pot(ws: Workspace, domain: str):
    path = ws.pot_path(domain)
    return read_catalog(ws, path) if path.exists() else None


def source_findings(memorial: Memorial) -> list[Finding]:
    """The parser's findings about the seed article (and the manifest's corrections)."""
    return [Finding(f.code, f.severity if f.severity in SEVERITIES else "warning", None,
                    memorial.domain, f.path, f.line, None, None, f.message, None)
            for f in memorial.findings]


def check_catalog(po, locale: str, domain: str, path: str, memorial: Memorial | None,
                  pot=None, pot_path: str = "") -> list[Finding]:
    """Every check of one catalog: header, plurals, template, state, inscriptions, entries."""
    ctx = EntryContext(locale, domain, path, template_domain=(domain == TEMPLATE_DOMAIN))
    if memorial is not None:
        ctx.names = dict(memorial.names.get(locale, {}))
        ctx.carved = inscriptions.carved_entries([memorial], locale)
        ctx.source_locale = memorial.source_locale
        ctx.inscriptions = inscriptions.quoted([memorial])
    out = catalog_checks.check_header(po, ctx)
    plural_findings, ctx.plural = catalog_checks.check_plural_forms(po, ctx)
    out += plural_findings
    out += catalog_checks.check_template(po, pot, ctx, pot_path)
    if memorial is not None:
        out += catalog_checks.check_inscriptions(po, ctx, memorial)
    out += catalog_checks.check_states(po, ctx)
    entry_findings = []
    live = catalog_checks.live_entries(po).values()
    for entry in live:
        if not entry.translated:
            continue
        entry_findings += check_entry(entry, ctx)
        if entry.key not in ctx.carved:
            entry_findings += detections.detect(entry, ctx)
    entry_findings += detections.check_omissions(live, ctx)
    entry_findings.sort(key=lambda f: f.line or 0)
    return out + entry_findings


def _product_findings(ws, memorial: Memorial, targets: list[str], loaded, renderer,
                      render: bool, tick=lambda what: None, verdicts=None) -> list[Finding]:
    out: list[Finding] = []
    attempts: dict = {}
    fitted: dict = {}           # product -> its fit findings
    lettered: dict = {}         # product -> its glyph findings (letters without a font)
    for locale in targets:
        tick(f"{memorial.slug} products {locale}")
        if not ws.po_path(locale, memorial.domain).exists():
            continue
        mine = []
        for product in products.plan(memorial, locale):
            if product not in attempts:
                attempts[product] = products.attempt(ws, memorial, renderer, product, verdicts)
            mine.append(attempts[product])
        here = loaded.get((locale, memorial.domain))
        found: list[Finding] = _glyph_findings(ws, memorial, locale, mine, loaded, lettered)
        for a in mine if render else ():
            if not a.ships:
                found.append(products.skipped_finding(memorial, locale, a, here))
            elif a.product not in fitted:
                fitted[a.product] = products.fit(ws, memorial, a,
                                                 _owner(a.product, locale, memorial), loaded)
                found += fitted[a.product]
        # a product that does not fit, or prints a letter no declared font has, fails in
        # build too: it cannot ship
        unfit = {product for product, fit in fitted.items()
                 if any(f.severity == "error" for f in fit)}
        out.append(products.coverage_finding(memorial, locale, mine, here, unfit,
                                             {product for product, f in lettered.items() if f}))
        out += found
    # The source language's products have no catalog to check, but print the carved texts
    # of every other script: their letters are measured too.
    source = memorial.source_locale
    mine = [attempts.get(p) or products.attempt(ws, memorial, renderer, p, verdicts)
            for p in products.plan(memorial, source) if p.locales == (source,)]
    out += _glyph_findings(ws, memorial, source, mine, loaded, lettered)
    return out


def _glyph_findings(ws, memorial: Memorial, locale: str, attempts: list, loaded,
                    checked: dict) -> list[Finding]:
    """Each product's letters without a font, once per product (``checked``: product ->
    its findings; a label pair is checked with its first language's font chain, as the
    build prints it)."""
    out = []
    for a in attempts:
        if a.html is None or a.product in checked:
            continue
        chain = glyphs.page_chain(ws.templates, memorial.print.font, a.product.locales[0])
        catalogs = [loaded.get((code, domain)) for code in a.product.locales
                    for domain in (memorial.domain, TEMPLATE_DOMAIN)]
        checked[a.product] = glyphs.product_findings(
            a.html, chain, a.product.name, _owner(a.product, locale, memorial),
            memorial.domain, catalogs, ws.relative(memorial.manifest_path))
        out += checked[a.product]
    return out


def _owner(product: products.Product, locale: str, memorial: Memorial) -> str:
    """The locale whose translations a product's fit depends on (not the source)."""
    if locale in product.locales:
        return locale
    return next((c for c in product.locales if c != memorial.source_locale), locale)
