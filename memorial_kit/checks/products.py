"""Which products a locale can ship, and whether they fit, with the build's own machinery.

Each product is rendered as ``build`` renders it (:func:`language.make_lang`, the
product's context, one :class:`render.Renderer`); the messages it would print
in English are the :attr:`language.Lang.fallbacks`.  Only a product that can
ship is laid out as PDF (:func:`printing.html_to_pdf`) and measured: the
plaque on one page, each label's text inside its card, no line in a margin.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import render
from .. import messages
from ..errors import MemorialKitError
from ..memorial import Memorial
from ..po import Entry
from ..workspace import TEMPLATE_DOMAIN
from .findings import CODES, Finding


@dataclass(frozen=True)
class Product:
    product: str                     # leaflet, plaque, labels
    locales: tuple[str, ...]         # (locale,) or (primary, secondary)
    monument: str | None = None

    @property
    def name(self) -> str:
        if self.product == "labels":
            return f"labels {'-'.join(self.locales)}"
        return self.product if self.monument is None else f"plaque {self.monument}"


@dataclass
class Attempt:
    product: Product
    html: str | None
    missing: list[str] = field(default_factory=list)    # messages printed in English
    error: str | None = None
    blocked: list[str] = field(default_factory=list)    # errors of messages it prints

    @property
    def ships(self) -> bool:
        """What build prints: every message translated, none with an error."""
        return self.html is not None and not self.missing and self.error is None


@dataclass
class Loaded:
    """A loaded catalog, for pointing fit findings at the entry to shorten."""
    path: str
    entries: dict[tuple, Entry]


def plan(memorial: Memorial, locale: str) -> list[Product]:
    """The products ``build`` makes for ``locale``; a locale outside the manifest (the
    pseudo-locale) gets leaflet, plaque and labels paired with the source language."""
    out = [Product("leaflet", (locale,))]
    single = len(memorial.monuments) == 1
    for monument in memorial.monuments:
        out.append(Product("plaque", (locale,), None if single else monument.id))
    if locale in memorial.locales:
        pairs = [pair for pair in memorial.label_pairs if locale in pair]
    else:
        pairs = [(locale, memorial.source_locale)]
    out += [Product("labels", tuple(pair)) for pair in pairs]
    return out


def attempt(ws, memorial: Memorial, renderer: render.Renderer, product: Product,
            verdicts=None) -> Attempt:
    """Render ``product`` to HTML as the build does, with the build's verdict on each
    message, and record what it lacks and what it may not print."""
    from ..jobs import Job, credit_refusal, render_job
    job = Job(memorial.slug, product.product, product.locales, product.monument)
    refused = credit_refusal(ws, memorial, job)         # build skips it for the same reason
    if refused:
        return Attempt(product, None, error=refused)
    try:
        rendered = render_job(ws, memorial, job, renderer, switcher=False, verdicts=verdicts)
    except MemorialKitError as exc:
        reason = exc.message + (f" ({exc.hint})" if exc.hint else "")
        return Attempt(product, None, error=reason)
    return Attempt(product, rendered.html, rendered.missing, blocked=rendered.blocked)


def _finding(code: str, locale: str, loaded: Loaded | None, entry: Entry | None, message: str,
             suggestion: str | None = None, domain: str | None = None) -> Finding:
    return Finding(code, CODES[code][0], locale, domain, loaded.path if loaded else None,
                   entry.line if entry else None, entry.msgctxt if entry else None,
                   entry.msgid if entry else None, message, suggestion)


def coverage_finding(memorial: Memorial, locale: str, attempts: list[Attempt],
                     loaded: Loaded | None, unfit: set = frozenset(),
                     unprintable: set = frozenset()) -> Finding:
    """Which products ``build`` prints for ``locale`` (those that can ship), and why not
    the others; ``unfit``: products the fit check found an error in; ``unprintable``:
    products with letters no declared font has."""
    ships = [a.product.name for a in attempts
             if a.ships and a.product not in unfit and a.product not in unprintable]
    parts = [f"{', '.join(ships)} can ship"] if ships else ["nothing can ship yet"]
    failed: dict[str, list[str]] = {}           # one reason, the products it stops
    for a in attempts:
        if a.error:
            failed.setdefault(f"cannot be built: {a.error}", []).append(a.product.name)
        elif a.blocked:
            parts.append(f"the {a.product.name} cannot ship: {len(a.blocked)} error"
                         f"{'s' if len(a.blocked) > 1 else ''} in the messages it prints "
                         f"(first: {a.blocked[0]})")
        elif a.missing:
            parts.append(f"the {a.product.name} lacks {len(a.missing)} "
                         f"message{'s' if len(a.missing) > 1 else ''} (first: {a.missing[0]})")
    for a in attempts:
        if a.ships and a.product in unprintable:
            parts.append(f"the {a.product.name} prints letters no declared font has (see the "
                         "glyph findings)")
        elif a.ships and a.product in unfit:
            parts.append(f"the {a.product.name} does not fit (see the fit findings)")
    for reason, names in failed.items():
        parts.append("the " + " and the ".join(names) + f" {reason}")
    return _finding("coverage", locale, loaded, None, f"{locale}: " + "; ".join(parts),
                    domain=memorial.domain)


def skipped_finding(memorial: Memorial, locale: str, a: Attempt, loaded: Loaded | None) -> Finding:
    why = (f"it cannot be built ({a.error})" if a.error else
           f"{len(a.blocked)} error{'s' if len(a.blocked) > 1 else ''} in the messages it "
           "prints" if a.blocked else
           f"{len(a.missing)} message{'s' if len(a.missing) > 1 else ''} it prints "
           f"{'are' if len(a.missing) > 1 else 'is'} not translated")
    return _finding("fit-skipped", locale, loaded, None,
                    f"the {a.product.name} was not fit-checked: {why}", domain=memorial.domain)


# --------------------------------------------------------------------------
# Fit
# --------------------------------------------------------------------------
def fit(ws, memorial: Memorial, a: Attempt, locale: str,
        catalogs: dict[tuple[str, str], Loaded]) -> list[Finding]:
    """Lay ``a`` out as PDF and report what does not fit, at the entry to shorten."""
    product = a.product
    memorial_cat = catalogs.get((locale, memorial.domain))
    try:
        from .. import printing         # WeasyPrint: loaded only where products are laid out
        printed = printing.html_to_pdf(a.html, ws.templates, f"{memorial.slug}/{product.name}")
    except MemorialKitError as exc:
        return [_finding("render-failed", locale, memorial_cat, None,
                         f"the {product.name} cannot be laid out: {exc.message}", exc.hint,
                         domain=memorial.domain)]
    out = []
    if product.product == "plaque":
        too_tall = [o for o in printed.overflows if not o.box.endswith(" margin")]
        if printed.pages != 1 or too_tall:
            entry = _grown(memorial_cat, _plaque_keys(memorial, product))
            excess = (f", its text is {too_tall[0].by_mm:g} mm ({too_tall[0].percent:g} %) "
                      "taller than the plaque" if too_tall else "")
            out.append(_finding(
                "fit-plaque-pages", locale, memorial_cat, entry,
                f"the {product.name} in {locale} does not fit on one "
                f"{memorial.print.plaque_mm[0]:g} × {memorial.print.plaque_mm[1]:g} mm page "
                f"({printed.pages} page{'s' if printed.pages != 1 else ''}{excess})"
                + (f"; the translation that grew most is {_what(entry)}" if entry else ""),
                "shorten the caption, the name or the glosses", domain=memorial.domain))
    for overflow in printed.overflows:
        if overflow.box.endswith(" margin"):
            out.append(_margin_finding(memorial, product, overflow, locale, catalogs))
        elif product.product == "labels" and overflow.box.startswith("label-"):
            out.append(_label_finding(memorial, product, overflow, locale, memorial_cat))
        elif product.product != "plaque":
            out.append(_finding("fit-overflow", locale, memorial_cat, None,
                                f"the {product.name}: the text of {overflow.box} is "
                                f"{overflow.by_mm:g} mm ({overflow.percent:g} %) taller than "
                                f"its box: {overflow.text!r}", "shorten the translation",
                                domain=memorial.domain))
    return out


def _what(entry: Entry) -> str:
    return f"{entry.msgctxt or entry.msgid[:40]!r} (line {entry.line})"


def _grown(loaded: Loaded | None, keys: list[tuple]) -> Entry | None:
    """Of the entries ``keys``, the translation that adds most characters to its source."""
    if loaded is None:
        return None
    best, best_growth = None, None
    for key in keys:
        entry = loaded.entries.get(key)
        if entry is None or not entry.translated:
            continue
        growth = len(entry.first_msgstr) - len(entry.msgid)
        if best_growth is None or growth > best_growth:
            best, best_growth = entry, growth
    return best


def _plaque_keys(memorial: Memorial, product: Product) -> list[tuple]:
    monument = (memorial.monuments[0] if product.monument is None
                else memorial.monument(product.monument))
    keys = [(messages.monument_name(monument.id), monument.name)]
    if monument.caption:
        keys.append((messages.monument_caption(monument.id), monument.caption))
    return keys + _gloss_keys(monument)


def _gloss_keys(monument) -> list[tuple]:
    return [(messages.inscription(monument.id, f.id), f.gloss) for f in monument.faces
            if f.gloss]


def _label_keys(memorial: Memorial, label_id: str) -> list[tuple]:
    label = next((item for item in memorial.labels if item.id == label_id), None)
    if label is None:
        return []
    keys = [(messages.label(label.id, messages.LABEL_TITLE), label.title)]
    if label.text:
        keys.append((messages.label(label.id, messages.LABEL_TEXT), label.text))
    keys += [(messages.label(label.id, row.date.isoformat()), row.text) for row in label.rows]
    if label.monument:
        keys += _gloss_keys(memorial.monument(label.monument))
    return keys


def _label_finding(memorial, product, overflow, locale, loaded) -> Finding:
    label_id = overflow.box[len("label-"):]
    entry = _grown(loaded, _label_keys(memorial, label_id))
    width, height = memorial.print.label_mm
    message = (f"the label {label_id!r} of the {product.name} is {overflow.by_mm:g} mm "
               f"({overflow.percent:g} %) taller than its {width:g} × {height:g} mm card")
    if entry is not None:
        message += f"; the translation that grew most is {_what(entry)}"
    return _finding("fit-overflow", locale, loaded, entry, message,
                    f"shorten the {locale} text of the label by about {overflow.percent:g} %",
                    domain=memorial.domain)


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _margin_finding(memorial, product, overflow, locale, catalogs) -> Finding:
    probe = _normal(overflow.text).rstrip("-\u2010")[:30]
    found, where = None, catalogs.get((locale, memorial.domain))
    if len(probe) >= 8:
        for domain in (memorial.domain, TEMPLATE_DOMAIN):
            loaded = catalogs.get((locale, domain))
            if loaded is None:
                continue
            for entry in loaded.entries.values():
                if entry.translated and probe in _normal(entry.first_msgstr):
                    found, where = entry, loaded
                    break
            if found:
                break
    page = overflow.box[:-len(" margin")]
    return _finding("fit-margin", locale, where, found,
                    f"a line of the {product.name} ({page}) runs {overflow.by_mm:g} mm into the "
                    f"right margin: {overflow.text!r}",
                    "break the long word (a hyphen, a space) or shorten the line",
                    domain=memorial.domain)
