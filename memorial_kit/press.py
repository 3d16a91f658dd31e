"""The press and archive editions of the products, and the standard each PDF follows.

- Press files (PDF/X-4), under ``dist/<memorial>/press/``: each plaque in each
  language, and each label pair with one label a page.  A page is the item's trim
  size; the manifest's bleed is printed around it and the crop marks sit outside
  the bleed, in a wider media box.
- The leaflet (``leaflet.pdf``) is PDF/UA-1: tagged, with the languages of its
  passages.
- Archive copies (PDF/A-3): ``<locale>/leaflet.archive.pdf``, the leaflet with
  the sources it was printed from attached and their SHA-256 in its XMP.

An edition's job prints the same messages as its product's (the plaque's, the
labels', the leaflet's) and is rendered by the same templates from the same
context: what the build refuses for the product it refuses for the edition.
The manifest's ``[print]`` says which editions to make.
"""
from __future__ import annotations

from pathlib import Path

from . import geometry
from .errors import RenderError
from .memorial import Memorial
from .pdfstandards import IccProfile, PdfStandard, Source
from .workspace import TEMPLATE_DOMAIN, Workspace

EDITIONS = ("press", "archive")
# which edition each product has
EDITION_OF = {"plaque": "press", "labels": "press", "leaflet": "archive"}
PROFILE_NAME = "--press"
ARCHIVE_PROFILE = "color/sRGB.icc"      # an archive copy is for screens: sRGB


def wanted(memorial: Memorial, edition: str) -> bool:
    """Whether the manifest's [print] asks for ``edition``."""
    return bool(getattr(memorial.print, edition))


def dated(memorial: Memorial, product: str, edition: str) -> bool:
    """Whether the job's PDF carries the build's date (SOURCE_DATE_EPOCH's): those that
    follow a standard, whose metadata needs one."""
    return bool(edition) or (product == "leaflet" and memorial.print.accessible)


def output_path(out: Path, memorial: str, product: str, locales: tuple[str, ...],
                monument: str | None, edition: str) -> Path:
    """Where an edition's PDF goes: press files by monument id and language, or by
    label pair; an archive copy beside the leaflet."""
    if edition == "archive":
        return out / memorial / locales[0] / f"{product}.archive.pdf"
    if product == "labels":
        return out / memorial / "press" / f"labels-{'-'.join(locales)}.pdf"
    return out / memorial / "press" / f"{product}-{monument}-{locales[0]}.pdf"


def documents(renderer, rendered, memorial: Memorial, product: str, edition: str,
              chunk: int) -> list[str]:
    """The HTML an edition is printed from: the product's own, except for the labels'
    press file, which has one label a page, at its trim size (a large set in documents
    of at most ``chunk`` labels, laid out apart and joined as the imposed sheets are)."""
    if edition != "press" or product != "labels":
        return [rendered.html]
    context = dict(rendered.context, page=geometry.label_page(memorial))
    bleed = memorial.print.bleed_mm
    cards = [card for sheet in rendered.context["sheets"] for card in sheet["cards"]]
    pages = [{"cards": [dict(card, x=-bleed, y=-bleed)], "marks": []} for card in cards]
    return [renderer.render("labels.html.j2", dict(context, sheets=pages[start:end]))
            for start, end in geometry.chunk_bounds(len(pages), chunk)]


def laid_out_apart(edition: str) -> bool:
    """Whether an edition's pages are laid out apart from its product's: a press edition's
    have a bleed (its standard's stylesheet); an archive copy prints the product's pages,
    so a process that prints both lays them out once."""
    return edition == "press"


def standard(ws: Workspace, memorial: Memorial, product: str, locales: tuple[str, ...],
             edition: str, identity: str) -> PdfStandard | None:
    """The standard a job's PDF follows (None: a plain PDF).  ``identity``: the digest of
    the job's inputs, which becomes the document's XMP identifier."""
    if laid_out_apart(edition):
        bleed = memorial.print.bleed_mm
        return PdfStandard("pdf/x-4", identity, bleed_mm=bleed, css=geometry.press_bleed_css(bleed),
                           profile=_profile(ws, memorial.print.icc_profile))
    if edition == "archive":
        return PdfStandard("pdf/a-3a", identity, profile=_profile(ws, ARCHIVE_PROFILE),
                           sources=sources(ws, memorial, locales[0]))
    if product == "leaflet" and memorial.print.accessible:
        return PdfStandard("pdf/ua-1", identity)
    return None


def sources(ws: Workspace, memorial: Memorial, locale: str) -> list[Source]:
    """What a leaflet in ``locale`` is printed from: the article, the manifest and the
    locale's catalogs (those it has: the source language may have none)."""
    files = [(memorial.folder / Path(memorial.article.path).name, "the source article"),
             (memorial.manifest_path, "the memorial's manifest")]
    for domain in (memorial.domain, TEMPLATE_DOMAIN):
        files.append((ws.po_path(locale, domain), f"the {locale} catalog of {domain}"))
    found = []
    for path, description in files:
        try:
            found.append(Source(path.name, path.read_bytes(), description))
        except FileNotFoundError:
            if path.suffix != ".po":
                raise RenderError(f"{ws.relative(path)}: the archive copy's source is missing") from None
    return found


def _profile(ws: Workspace, profile: str) -> IccProfile:
    path = ws.templates / profile
    try:
        found = IccProfile(PROFILE_NAME, path.read_bytes())
    except OSError:
        raise RenderError(f"the ICC profile {ws.relative(path)} cannot be read",
                          hint="print.icc_profile names a file inside templates/") from None
    try:
        found.check()
    except ValueError as exc:
        raise RenderError(f"{ws.relative(path)}: {exc}") from None
    return found
