"""Localized render context and HTML: the only module that touches Jinja2.

The context is built in Python from the model and the catalogs: every text is
already translated and every date and number already formatted in its
language's conventions.  Templates only lay it out, and print the words of the
template domain through the i18n extension's new-style ``gettext``,
``ngettext`` and ``pgettext``.  Each language of a product (the leaflet's, the
plaque's carved languages, the two of a bilingual label) brings its own
:class:`Lang` with its own catalogs and formatters.

Untrusted text stays text: the environment is sandboxed and autoescaped,
translations are escaped before placeholders are filled, and placeholders are
plain ``{name}`` substitutions, never ``str.format`` (whose attribute access a
translation could abuse).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import geometry, messages, placeholders
from .translations import Translations, load_translations
from .errors import RenderError, TemplateError
from .locales import babel_locale, hyphenates, language_name, text_direction
from .memorial import Fact, Memorial, Monument, face_kind
from .workspace import TEMPLATE_DOMAIN, Workspace

PRODUCTS = ("leaflet", "plaque", "labels")


# --------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------
def environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True)
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters.update(BABEL_FILTERS)
    env.filters["plain"] = plain_text       # attribute values: {{ gettext("Facts")|plain }}
    return env


def _in_lang(method: str):
    """A filter that formats in the language of the page (the context's ``lang``), or of
    the ``lang`` given: ``{{ 62700|number }}``, ``{{ d|date(secondary) }}``."""
    @jinja2.pass_context
    def formatter(context, value, *args, lang: "Lang | None" = None):
        target = lang or context.get("lang")
        if not isinstance(target, Lang):
            raise RenderError(f"the filter {method!r} needs a page language")
        return getattr(target, method)(value, *args)
    formatter.__name__ = method
    return formatter


# Babel's formats in the current language, as filters: numbers, percentages, dates, date
# intervals (``start|date_interval(end)``), month and year, and lists (``format_list``:
# Jinja's own ``list`` filter stays).
BABEL_FILTERS = {"number": _in_lang("number"), "percent": _in_lang("percent"),
                 "date": _in_lang("date"), "date_interval": _in_lang("period"),
                 "month_year": _in_lang("month_year"), "format_list": _in_lang("list")}


def render_template(env: SandboxedEnvironment, name: str, context: dict, templates: Path) -> str:
    """Render ``name``; template faults become TemplateError with file and line."""
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}",
                            path=_template_path(templates, exc.filename or name),
                            line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, templates, name)
        raise TemplateError(f"unknown variable: {exc.message}", path=path, line=line,
                            hint="templates may use only what the render context gives") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found",
                            path=_template_path(templates, name)) from None
    except jinja2.exceptions.SecurityError as exc:
        path, line = _template_frame(exc, templates, name)
        raise TemplateError(f"unsafe template operation: {exc}", path=path, line=line) from None


def _template_path(templates: Path, filename: str) -> str:
    path = Path(filename)
    if not path.is_absolute():
        path = templates / path
    try:
        return str(path.relative_to(templates.parent))
    except ValueError:
        return str(path)


def _template_frame(exc: Exception, templates: Path, name: str) -> tuple[str, int | None]:
    """The template file and line of the innermost template frame of ``exc``."""
    tb, found = exc.__traceback__, (name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(templates)) or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None:
                found = (filename, template.get_corresponding_lineno(tb.tb_lineno))
        tb = tb.tb_next
    return _template_path(templates, found[0]), found[1]


# --------------------------------------------------------------------------
# One language's text and formats
# --------------------------------------------------------------------------
@dataclass
class Fallback:
    """A message printed in the source language: its translation is missing, fuzzy, or
    has a finding of error severity (``findings``: the verdict's lines for it)."""
    locale: str
    domain: str
    msgctxt: str | None
    msgid: str
    findings: tuple = ()

    @property
    def erroneous(self) -> bool:
        return bool(self.findings)


class Passage(Markup):
    """A translated text for the page's body (HTML, a fallback wrapped in a ``lang`` span)
    that also knows its plain text: attribute values, CSS strings and metadata take
    :attr:`plain` (through :func:`plain_text`, the ``plain`` filter), never the HTML."""

    def __new__(cls, html, plain: str = ""):
        passage = super().__new__(cls, html)
        passage.plain = plain
        return passage


def plain_text(value) -> str:
    """``value`` for a context that is not HTML body text: a :class:`Passage`'s plain text,
    other markup's text content, anything else as a string."""
    if isinstance(value, Passage):
        return value.plain
    if isinstance(value, Markup):
        return value.striptags()
    return str(value)


class Lang:
    """Translations and formatters of one locale, as templates and context see them.

    ``verdicts``: domain -> the verdict of this locale's catalog of that domain (see
    :mod:`.verdict`); a message with a finding of error severity is never printed: it is
    recorded as a fallback with its findings, and the source text stands in for it.
    """

    def __init__(self, code: str, memorial_tr: Translations, template_tr: Translations,
                 source_locale: str, allow_fallback: bool, verdicts: dict | None = None):
        self.code = code
        self.name = language_name(code, code)
        self.locale = babel_locale(code)
        self.dir = text_direction(code)          # "rtl" or "ltr", from CLDR
        self.hyphens = "auto" if hyphenates(code) else "manual"
        self.source_locale = source_locale
        self._memorial, self._templates = memorial_tr, template_tr
        self.allow_fallback = allow_fallback
        self.verdicts = verdicts or {}
        self.fallbacks: list[Fallback] = []

    # -- lookups ----------------------------------------------------------
    def blocking(self, domain: str, msgctxt, msgid) -> tuple:
        """The error findings (as lines) that keep the message from print, if any."""
        verdict = self.verdicts.get(domain)
        return () if verdict is None else verdict.blocking((msgctxt, msgid))

    def _resolve(self, translations: Translations, msgctxt, msgid, plural=None, n=None):
        if plural is None:
            text = translations.lookup(msgctxt, msgid)
        else:
            text = translations.lookup_plural(msgctxt, msgid, plural, n)
        # an untranslated entry may have errors too (a carved text missing from its entry)
        findings = self.blocking(translations.domain, msgctxt, msgid)
        if text is not None and not findings:
            return text, False
        self.fallbacks.append(Fallback(self.code, translations.domain, msgctxt, msgid,
                                       findings))
        return (msgid if plural is None or n == 1 else plural), True

    def _mark(self, text, fell_back: bool, plain: str | None = None) -> Passage:
        """Escape; a fallback is marked as source-language text for hyphenation and readers."""
        html = text if isinstance(text, Markup) else escape(text)
        plain = plain_text(text) if plain is None else plain
        if fell_back:
            source_dir = text_direction(self.source_locale)
            direction = Markup(' dir="%s"') % source_dir if source_dir != self.dir else ""
            html = Markup('<span lang="%s"%s class="fallback">%s</span>') % (
                self.source_locale, direction, html)
        return Passage(html, plain)

    def text(self, msgid: str, msgctxt: str | None = None) -> Passage:
        """A memorial-domain text."""
        return self._mark(*self._resolve(self._memorial, msgctxt, msgid))

    def raw_text(self, msgid: str, msgctxt: str | None = None) -> str:
        """A memorial-domain text as plain str (for metadata); records fallbacks too."""
        return self._resolve(self._memorial, msgctxt, msgid)[0]

    def caption(self, msgid: str, msgctxt: str, facts: list[Fact]) -> Passage:
        """A translated caption with its {facts} filled in this language's formats."""
        text, fell_back = self._resolve(self._memorial, msgctxt, msgid)
        values = {f.name: self.fact(f) for f in facts}
        with _at_entry(self._memorial, msgctxt, msgid):
            return self._mark(fill_placeholders(text, values), fell_back,
                              fill_placeholders(text, values, plain=True))

    def carved(self, msgctxt: str, gloss: str) -> tuple:
        """The error findings of this (carved) language's entry that holds a carved text,
        if it holds one: a catalog that says something else than the stone stops every
        product showing the stone, unless built with fallback (the stone's text is printed
        either way).  Recorded as a fallback of this language."""
        if self._memorial.is_source or not self._memorial.holds(msgctxt, gloss):
            return ()
        verdict = self.verdicts.get(self._memorial.domain)
        # the entry's own errors: what else is wrong with that catalog is its products' matter
        findings = () if verdict is None else verdict.errors.get((msgctxt, gloss), ())
        if findings:
            self.fallbacks.append(Fallback(self.code, self._memorial.domain, msgctxt, gloss,
                                           findings))
        return findings

    # new-style gettext for the template domain: escaped, then %-formatted
    def gettext(self, message: str, **variables) -> Passage:
        return self.npgettext(None, message, None, None, **variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables) -> Passage:
        return self.npgettext(None, singular, plural, num, **variables)

    def pgettext(self, context: str, message: str, **variables) -> Passage:
        return self.npgettext(context, message, None, None, **variables)

    def npgettext(self, context, singular: str, plural, num, **variables) -> Passage:
        if plural is not None:
            variables.setdefault("num", self.number(num))
        text, fell_back = self._resolve(self._templates, context, singular, plural, num)
        with _at_entry(self._templates, context, singular):
            return self._mark(_percent(text, variables, singular), fell_back,
                              _percent(text, variables, singular, plain=True))

    # -- formats ----------------------------------------------------------
    def number(self, value: int | float) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return babel_numbers.format_percent(value, locale=self.locale)

    def date(self, value: dt.date) -> str:
        return babel_dates.format_skeleton("yMMMMd", value, locale=self.locale)

    def month_year(self, value: dt.date) -> str:
        return babel_dates.format_skeleton("yMMMM", value, locale=self.locale)

    def period(self, start: dt.date, end: dt.date) -> str:
        """A date interval that reads naturally: the year written once, where the language puts it."""
        if start.year != end.year:
            return f"{self.date(start)} \u2013 {self.date(end)}"
        day_month = lambda d: babel_dates.format_skeleton("MMMMd", d, locale=self.locale)  # noqa: E731
        if self._year_first():
            return f"{self.date(start)} \u2013 {day_month(end)}"
        return f"{day_month(start)} \u2013 {self.date(end)}"

    def _year_first(self) -> bool:
        sample = babel_dates.format_skeleton("yMMMMd", dt.date(1999, 12, 25), locale=self.locale)
        return sample.find("1999") < sample.find("25")

    def list(self, items: list[str]) -> str:
        return format_list(list(items), locale=self.locale)

    def fact(self, fact: Fact) -> str:
        value = fact.value
        if fact.format == "period":
            return self.period(*value)
        if fact.format == "year":
            return str(value)
        if fact.format == "month-year":
            return self.month_year(value)
        if fact.format == "date":
            return self.date(value)
        if fact.format == "number":
            return self.number(value)
        return str(value)


@contextlib.contextmanager
def _at_entry(translations: Translations, msgctxt, msgid):
    """A translation that cannot be filled in: the error names its .po file and line."""
    try:
        yield
    except RenderError as exc:
        path, line = translations.where(msgctxt, msgid)
        if exc.path is not None or path is None:
            raise
        raise RenderError(exc.message, path=path, line=line, hint=exc.hint) from None


def _percent(text: str, variables: dict, msgid: str, plain: bool = False):
    """New-style gettext: the escaped translation with each %(name)s replaced (``plain``:
    the text with each value's plain text, for contexts that are not HTML body).

    Only plain %(name)s of the given variables and %% are accepted: a width or a
    precision in a translation (%(page)2000000s) could pad a page to gigabytes.
    """
    try:
        pieces = placeholders.fill_percent(text, variables, literal=str if plain else escape,
                                           value=plain_text if plain else isolated)
    except placeholders.Unfillable:
        raise RenderError(
            f"the translation of {msgid!r} has a placeholder the kit cannot fill: {text!r}",
            hint="keep the placeholders of the English exactly, e.g. %(year)s") from None
    return "".join(pieces) if plain else Markup("").join(pieces)


def isolated(value) -> Markup:
    """A filled-in value (a number, a date, a name), escaped and bidi-isolated: in a page of
    either direction it never reorders with the words around it (``<bdi>``)."""
    html = value if isinstance(value, Markup) else escape(value)
    return Markup("<bdi>%s</bdi>") % html


def fill_placeholders(text, values: dict, plain: bool = False):
    """Escape ``text`` and replace each ``{name}`` with its escaped, bidi-isolated value
    (``plain``: no escaping nor isolating, for contexts that are not HTML body).

    Only plain names are placeholders: a translation cannot reach attributes or
    indexes of the values, and an unknown name is an error, not a blank.
    """
    try:
        pieces = placeholders.fill_braces(text, values, literal=str if plain else escape,
                                          value=str if plain else isolated)
    except placeholders.Unfillable as exc:
        if not exc.stray:
            raise RenderError(f"unknown placeholder {exc.token} in {text!r}") from None
        raise RenderError(f"stray brace in {text!r}",
                          hint="a placeholder is a name in braces, e.g. {strikers}") from None
    return "".join(pieces) if plain else Markup("").join(pieces)


def make_lang(ws: Workspace, memorial: Memorial, code: str, allow_fallback=False,
              verdicts: dict | None = None) -> Lang:
    """``code``'s Lang; ``verdicts``: domain -> verdict of its catalogs (none: nothing is
    held back)."""
    return Lang(code,
                load_translations(ws, code, memorial.domain, memorial.source_locale),
                load_translations(ws, code, TEMPLATE_DOMAIN, memorial.source_locale),
                memorial.source_locale, allow_fallback, verdicts)


# --------------------------------------------------------------------------
# Context: the memorial in one language
# --------------------------------------------------------------------------
def _common(memorial: Memorial, lang: Lang, product: str, fonts_css: str = "",
            page_css: dict | None = None, alternates: list[dict] | None = None) -> dict:
    page_css = page_css or geometry.page_setup(memorial, product)
    return {
        "product": product, "lang": lang, "memorial": _memorial_view(memorial, lang),
        "gettext": lang.gettext, "ngettext": lang.ngettext, "pgettext": lang.pgettext,
        "npgettext": lang.npgettext, "fonts_css": fonts_css, "page": page_css,
        "geometry": geometry.of(memorial),
        "credit_plain": credit_plain(memorial),
        # The web edition: the same product in the other languages (hidden in print),
        # and the QR code of the online leaflet (printed on the leaflet and the labels).
        "alternates": alternates or [],
        "online": online_edition(memorial, lang.code) if product in ("leaflet", "labels") else None,
    }


def _memorial_view(memorial: Memorial, lang: Lang) -> dict:
    prov = memorial.provenance
    return {"slug": memorial.slug, "title": lang.text(memorial.article.title),
            "title_plain": lang.raw_text(memorial.article.title),
            "source_title": prov.title, "publisher": prov.publisher, "licence": prov.licence,
            "licence_url": prov.licence_url, "url": prov.url, "font": memorial.print.font,
            "online_url": memorial.online_base_url}


# --------------------------------------------------------------------------
# The web edition: language switcher and QR code
# --------------------------------------------------------------------------
def online_url(memorial: Memorial, locale: str) -> str | None:
    """The online leaflet in ``locale``, or None when the manifest names no base URL."""
    base = (memorial.online_base_url or "").strip()
    if not base:
        return None
    from urllib.parse import quote, urlsplit
    parts = urlsplit(base)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise RenderError(f"online_base_url {base!r} is not a web address",
                          hint='write it as "https://host/path", with no query or fragment')
    return f"{base.rstrip('/')}/{quote(memorial.slug)}/{quote(locale)}/leaflet.html"


def online_edition(memorial: Memorial, locale: str) -> dict | None:
    url = online_url(memorial, locale)
    return None if url is None else {"url": url, "qr": qr_svg(url)}


def qr_svg(url: str) -> Markup:
    """``url`` as a QR code: inline SVG made here from the manifest's address (never from
    a translation), named by its address for screen readers.  A full QR code, not a
    Micro QR, which few phone readers decode; level M survives a worn or dusty print."""
    import segno
    code = segno.make_qr(url, error="m")
    svg = code.svg_inline(omitsize=True, svgclass="qr", lineclass=None, border=2)
    if not svg.startswith("<svg "):
        raise RenderError("segno wrote an unexpected SVG")
    label = escape(url)
    # The <title> is the code's alternative text in a tagged PDF (its Figure's /Alt).
    head, rest = svg[len("<svg "):].split(">", 1)
    return Markup('<svg role="img" aria-label="%s" shape-rendering="crispEdges" %s><title>%s</title>%s'
                  % (label, head, label, rest))


def edition_links(memorial: Memorial, product: str, current: tuple[str, ...],
                  available: list[tuple[str, ...]], monument: str | None = None) -> list[dict]:
    """The language switcher: the same product in each language it is built in, with links
    relative to the page (dist/<memorial>/<locale>/<product>.html or .../labels/<p>-<s>.html)."""
    links = []
    for locales in available:
        if product == "labels":
            href = f"{'-'.join(locales)}.html"
        else:
            name = product if monument is None else f"plaque-{monument}"
            href = f"../{locales[0]}/{name}.html"
        links.append({"href": href, "hreflang": locales[0], "current": tuple(locales) == tuple(current),
                      "dir": text_direction(locales[0]),
                      "names": [{"code": code, "name": language_name(code, code),
                                 "dir": text_direction(code)} for code in locales]})
    return links


def leaflet_context(memorial: Memorial, lang: Lang, carved: dict[str, Lang], **common) -> dict:
    article = memorial.article
    context = _common(memorial, lang, "leaflet", **common)
    context["facts"] = _fact_box(memorial, lang)
    context["lead"] = [lang.text(b.text) for b in article.lead]
    context["sections"] = [
        {"heading": lang.text(s.heading),
         "blocks": [{"kind": b.kind, "text": lang.text(b.text)} for b in s.blocks]}
        for s in article.sections]
    context["monuments"] = [_monument_view(m, lang, carved) for m in memorial.monuments]
    return context


def _fact_box(memorial: Memorial, lang: Lang) -> list[dict]:
    rows = []
    for fld in memorial.article.infobox:
        if fld.key in memorial.infobox_skip:
            continue
        label = lang.text(memorial.infobox_labels.get(fld.key, fld.key), messages.INFOBOX_LABEL)
        kind = memorial.infobox_structured.get(fld.key)
        if kind == "period":      # formatted by the template's date_interval filter
            rows.append({"key": fld.key, "label": label, "kind": kind,
                         "start": memorial.facts.start.value, "end": memorial.facts.end.value})
            continue
        elif kind == "killed":
            value = ""
            tolls = [{"count": item.count, "source": lang.text(item.source, messages.FACT_SOURCE)}
                     for item in memorial.facts.killed]
            rows.append({"key": fld.key, "label": label, "kind": kind, "tolls": tolls})
            continue
        else:
            value = lang.text(fld.value, messages.infobox(fld.key))
        rows.append({"key": fld.key, "label": label, "kind": kind or "text", "value": value})
    return rows


def _monument_view(monument: Monument, lang: Lang, carved: dict[str, Lang]) -> dict:
    faces = []
    for face in monument.faces:
        context = messages.inscription(monument.id, face.id)
        inscriptions = [{"lang": code, "dir": other_direction(code, lang),
                         "text": carved_text(carved.get(code), face.gloss, context,
                                             face.inscriptions[code], code)}
                        for code in face.inscriptions]
        faces.append({"id": face.id, "kind": face_kind(face.id), "inscriptions": inscriptions,
                      "gloss": lang.text(face.gloss, context) if face.gloss else "",
                      "gloss_is_carved": lang.code in face.inscriptions})
    return {"id": monument.id, "name": lang.text(monument.name, messages.monument_name(monument.id)),
            "caption": (lang.text(monument.caption, messages.monument_caption(monument.id))
                        if monument.caption else ""),
            "sculpture": monument.sculpture, "design": monument.design,
            "plaque": monument.plaque, "faces": faces}


def other_direction(code: str, page: Lang) -> str:
    """``code``'s direction when it differs from the page's (its passage needs ``dir``)."""
    direction = text_direction(code)
    return direction if direction != page.dir else ""


def carved_text(carved_lang: "Lang | None", gloss: str, context: str, manifest_text: str,
                code: str) -> Markup:
    """The carved text as on the stone (the manifest's, checked verbatim against the article).

    A carved language's catalog that holds a different text (a lost diacritic, a changed
    letter) has an error in the verdict, which holds back the product (see
    :meth:`Lang.carved`).  A catalog that does not hold it yet, or none at all, lends
    nothing: the stone's text is printed.
    """
    if carved_lang is not None:
        carved_lang.carved(context, gloss)
    return escape(manifest_text)


def plaque_context(memorial: Memorial, monument: Monument, lang: Lang,
                   carved: dict[str, Lang], **common) -> dict:
    context = _common(memorial, lang, "plaque", **common)
    context["monument"] = _monument_view(monument, lang, carved)
    return context


def labels_context(memorial: Memorial, primary: Lang, secondary: Lang,
                   carved: dict[str, Lang], **common) -> dict:
    context = _common(memorial, primary, "labels", **common)
    context["primary"], context["secondary"] = primary, secondary
    cards = []
    for label in memorial.labels:
        sides = [_label_side(memorial, label, lang, carved) for lang in (primary, secondary)]
        cards.append({"id": label.id, "primary": sides[0], "secondary": sides[1],
                      "inscriptions": _label_inscriptions(memorial, label, carved, primary)})
    context["sheets"] = geometry.sheets(cards, geometry.label_layout(memorial))
    return context


def _label_side(memorial: Memorial, label, lang: Lang, carved) -> dict:
    side = {"lang": lang.code, "dir": lang.dir, "hyphens": lang.hyphens,
            "title": lang.text(label.title, messages.label(label.id, messages.LABEL_TITLE)),
            "text": (lang.caption(label.text, messages.label(label.id, messages.LABEL_TEXT),
                                  label.facts)
                     if label.text else ""),
            "rows": [{"date": lang.date(row.date),
                      "text": lang.caption(row.text, messages.label(label.id, row.date.isoformat()),
                                           row.facts)} for row in label.rows],
            "glosses": []}
    if label.monument:
        monument = memorial.monument(label.monument)
        side["glosses"] = [lang.text(f.gloss, messages.inscription(monument.id, f.id))
                           for f in monument.faces if f.gloss]
    return side


def _label_inscriptions(memorial: Memorial, label, carved, page: Lang) -> list[dict]:
    if not label.monument:
        return []
    monument = memorial.monument(label.monument)
    return [{"lang": code, "dir": other_direction(code, page),
             "text": carved_text(carved.get(code), face.gloss,
                                                messages.inscription(monument.id, face.id),
                                                text, code)}
            for face in monument.faces for code, text in face.inscriptions.items()]


# --------------------------------------------------------------------------
# Rendering products
# --------------------------------------------------------------------------
class Renderer:
    """One Jinja2 environment for a workspace's templates."""

    # One environment per templates folder in a process: a process that builds again
    # (serve, tests) does not compile the templates again; Jinja reloads a template
    # whose file changed.
    _environments: dict[str, SandboxedEnvironment] = {}

    def __init__(self, templates: Path):
        self.templates = templates
        key = str(Path(templates).resolve())
        if key not in self._environments:
            env = environment(templates)
            env.filters["css_counters"] = css_counters
            self._environments.clear()      # one at a time: tests make many workspaces
            self._environments[key] = env
        self.env = self._environments[key]
        fonts = (templates / "fonts.css")
        self.fonts_css = fonts.read_text("utf-8") if fonts.exists() else ""

    def fonts_for(self, asset_prefix: str) -> Markup:
        css = self.fonts_css
        if asset_prefix:
            css = css.replace('url("fonts/', f'url("{asset_prefix}fonts/')
        return Markup(css.replace("</", "<\\/"))

    def font_stack(self, family: str, code: str | None) -> Markup:
        """The CSS font-family of a page in ``code``: the font chain of templates/fonts.css."""
        from . import fonts
        from .locales import script
        return Markup(fonts.chain(self.templates, family, script(code) if code else None).css())

    def render(self, name: str, context: dict, asset_prefix: str = "") -> str:
        lang = context.get("lang")
        stack = self.font_stack(context["memorial"]["font"], lang.code) \
            if isinstance(lang, Lang) and "memorial" in context else ""
        context = dict(context, fonts_css=self.fonts_for(asset_prefix), font_stack=stack)
        return render_template(self.env, name, context, self.templates)


def css_counters(value) -> Markup:
    """A translated "Page \\x01 of \\x02" as a CSS content value with page counters: CSS
    strings of the translation's plain text (a fallback's marking is HTML, not text)."""
    text = plain_text(value)
    pieces = []
    for part in re.split("([\x01\x02])", text):
        if part == "\x01":
            pieces.append("counter(page)")
        elif part == "\x02":
            pieces.append("counter(pages)")
        elif part:
            quoted = (part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
                      .replace("<", "\\3c ").replace(">", "\\3e "))
            pieces.append(f'"{quoted}"')
    return Markup(" ".join(pieces) or '""')


def credit_plain(memorial: Memorial) -> str:
    p = memorial.provenance
    if p.missing_for_credit():
        return ""
    return f"Text: “{p.title}”, {p.publisher}, {p.licence}, {p.url}"


def index_html(templates: Path, memorials: list[dict]) -> str:
    """dist/index.html: every product of every memorial and language."""
    env = environment(templates)
    renderer = Renderer(templates)
    fonts_css = renderer.fonts_for("assets/")
    family = memorials[0].get("font", "DejaVu Serif") if memorials else "DejaVu Serif"
    try:
        stack = renderer.font_stack(family, None)
    except RenderError:         # a font file missing: the products say so; the index lists them
        stack = Markup('"%s"') % family.replace('"', "")
    return render_template(env, "index.html.j2", {"memorials": memorials, "fonts_css": fonts_css,
                                                   "font_stack": stack,
                                                   "language_name": language_name,
                                                   "text_direction": text_direction}, templates)
