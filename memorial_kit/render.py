"""A product's render context and its HTML: the memorial in one language.

The context is built in Python from the model and the catalogs: every text is
already translated (through each language's :class:`~.language.Lang`) and every date and
number already formatted in its language's conventions.  Templates only lay it out,
and print the words of the template domain through the i18n extension's new-style
``gettext``, ``ngettext`` and ``pgettext``.  Each language of a product (the
leaflet's, the plaque's carved languages, the two of a bilingual label) brings its
own Lang.  The Jinja2 environment and its filters are :mod:`.templating`'s.
"""
from __future__ import annotations

from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import geometry, messages
from .errors import RenderError
from .language import Lang
from .locales import language_name, text_direction
from .memorial import Memorial, Monument, face_kind
from .templating import environment, render_template

PRODUCTS = ("leaflet", "plaque", "labels")


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
