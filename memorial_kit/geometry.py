"""The print geometry, defined once: pages, sheets, margins, the plaque's and the labels'
boxes, every printed type size, the QR codes, bleed and crop marks.

The manifest's ``[print]`` gives the sizes (leaflet page, plaque, label, sheet, bleed);
everything else about where text goes is here, and both sides read it from here:

- the pages: base.html.j2 takes its ``@page`` rule and CSS variables from
  :func:`page_setup`, and templates/print.css prints the leaflet's, the plaque's and the
  labels' type sizes, the plaque's and the labels' spacing, and the sizes of the online
  edition's QR code as ``{{ geometry.plaque.name.pt }}pt`` and the like (``geometry`` in
  every page's render context is :func:`of` the memorial);
- the limits translators see: :mod:`.layout` derives each ``max-length:N`` from the
  plaque's and the labels' styles and boxes.

So a type size changed here moves the printed page and the limits together.  No limit
is derived from the leaflet's type sizes (it flows over as many pages as it needs); its
rules and spacing, and the screen styles, stay in print.css.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import RenderError

if TYPE_CHECKING:       # printing reads the units: importing it loads nothing WeasyPrint does not
    from markupsafe import Markup

    from .memorial import Memorial

PT_MM = 25.4 / 72           # a point in millimetres
PX_MM = 25.4 / 96           # a CSS pixel in millimetres (WeasyPrint lays out in px)

# Portrait sizes of the sheets and pages the manifest may name.
SHEETS_MM = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "LETTER": (215.9, 279.4)}


@dataclass(frozen=True)
class Type:
    """A text style: its size in points and its line height in ems of that size."""
    pt: float
    line: float

    def line_mm(self) -> float:
        return self.pt * self.line * PT_MM


@dataclass(frozen=True)
class Leaflet:
    """The leaflet's styles.  It flows over as many pages as it needs: no limit is derived
    from them, yet they are printed from here as the plaque's are."""
    margin_mm: tuple[float, float, float] = (14, 13, 17)    # top, sides, bottom
    folio_pt: float = 7.5                                   # "Page 1 of 4", in the foot margin
    notice_pt: float = 7                                    # a fallback edition's notice
    body: Type = Type(9.5, 1.35)
    kicker_pt: float = 8                                    # the line above the title
    title: Type = Type(20, 1.15)                            # the memorial's title (h1)
    heading_pt: float = 11.5                                # each section's (h2)
    lead_pt: float = 10
    factbox_pt: float = 8.5
    factbox_heading_pt: float = 9
    face_name_pt: float = 7.5                               # a monument face's name
    carved_pt: float = 11                                   # a carved text
    footer_pt: float = 7                                    # the credit, at the end
    qr_mm: float = 20                                       # the online edition's code
    qr_gap_mm: float = 4                                    # between the credit and the code


@dataclass(frozen=True)
class Plaque:
    """The plaque's styles.  Texts without a line height of their own take the body's."""
    margin_mm: tuple[float, float] = (22, 26)       # top and bottom, sides
    body: Type = Type(24, 1.25)
    name: Type = Type(84, 1.1)
    name_space_mm: float = 10                       # above and below the name
    caption_pt: float = 34
    caption_after_mm: float = 30
    face_gap_mm: float = 20                         # between the faces, side by side
    face_padding_mm: tuple[float, float] = (30, 8)  # top and bottom, sides
    face_rule_pt: float = 2                         # the face's frame
    face_name_pt: float = 18
    carved: Type = Type(44, 1.15)
    carved_space_mm: float = 6                      # around each carved text, above the gloss
    gloss_pt: float = 32
    years_pt: float = 30
    years_space_mm: tuple[float, float] = (30, 10)  # above, below
    credit_pt: float = 16

    @property
    def caption(self) -> Type:
        return Type(self.caption_pt, self.body.line)

    @property
    def face_name(self) -> Type:
        return Type(self.face_name_pt, self.body.line)

    @property
    def gloss(self) -> Type:
        return Type(self.gloss_pt, self.body.line)

    @property
    def years(self) -> Type:
        return Type(self.years_pt, self.body.line)

    @property
    def credit(self) -> Type:
        return Type(self.credit_pt, self.body.line)


@dataclass(frozen=True)
class Label:
    """A label's styles: the primary language large, the secondary small; titles have a
    line height of their own, the other texts take the body's."""
    padding_mm: tuple[float, float, float] = (5, 6, 4)     # the trim area's: top, sides, bottom
    body: Type = Type(8.5, 1.3)
    title_line: float = 1.15
    title_pt: float = 13
    text_pt: float = 8.8
    secondary_title_pt: float = 9
    secondary_text_pt: float = 7.2
    carved_pt: float = 9                                    # the carved line of a monument's label
    block_after_mm: float = 1                               # under each title, each paragraph
    primary_after_mm: float = 2                             # under the primary language
    rule_space_mm: float = 1.5                              # under the rule above the secondary
    carved_after_mm: float = 2                              # under the carved line
    row_after_mm: float = 0.6                               # under each timeline entry
    credit_pt: float = 5.5
    credit_inset_mm: tuple[float, float] = (2, 6)           # from the trim's bottom, end
    notice_pt: float = 6.5                                  # a fallback edition's, on the sheet
    qr_mm: float = 12                                       # the online edition's code
    qr_after_mm: float = 1                                  # under the code
    qr_gap_mm: float = 2                                    # between the text and the code

    @property
    def title(self) -> Type:
        return Type(self.title_pt, self.title_line)

    @property
    def text(self) -> Type:
        return Type(self.text_pt, self.body.line)

    @property
    def secondary_title(self) -> Type:
        return Type(self.secondary_title_pt, self.title_line)

    @property
    def secondary_text(self) -> Type:
        return Type(self.secondary_text_pt, self.body.line)

    @property
    def carved(self) -> Type:
        return Type(self.carved_pt, self.body.line)


@dataclass(frozen=True)
class Marks:
    """Crop marks and the room around cards on an imposed sheet."""
    length_mm: float = 4.0
    hairline_mm: float = 0.25 * PT_MM   # a mark's thickness: 0.25 pt
    offset_mm: float = 1.0          # past the bleed, where a mark starts
    card_gap_mm: float = 10.0       # between cards (trim and bleed) on a sheet
    sheet_margin_mm: float = 12.0   # the sheet's edge, kept for the marks
    press_room_mm: float = 3.0      # a press file's: between the bleed and WeasyPrint's marks


LEAFLET, PLAQUE, LABEL, MARKS = Leaflet(), Plaque(), Label(), Marks()


@dataclass(frozen=True)
class Geometry:
    """One memorial's print geometry: the manifest's sizes and the kit's styles."""
    leaflet_mm: tuple[float, float]
    plaque_mm: tuple[float, float]
    label_mm: tuple[float, float]
    sheet: str
    bleed_mm: float
    leaflet: Leaflet
    plaque: Plaque
    label: Label
    marks: Marks


def of(memorial: Memorial) -> Geometry:
    """``memorial``'s geometry, with the styles as this module defines them now."""
    setup = memorial.print
    return Geometry(SHEETS_MM.get(setup.leaflet.upper(), SHEETS_MM["A5"]), setup.plaque_mm,
                    setup.label_mm, setup.sheet, setup.bleed_mm, LEAFLET, PLAQUE, LABEL, MARKS)


# --------------------------------------------------------------------------
# Label imposition
# --------------------------------------------------------------------------
@dataclass
class Imposition:
    sheet_mm: tuple[float, float]
    positions: list[tuple[float, float]]        # top-left of each card's bleed box
    marks: list[dict]                           # crop marks: axis, x, y (mm)
    bleed: float
    card_mm: tuple[float, float]

    @property
    def per_sheet(self) -> int:
        return len(self.positions)


def impose(sheet: str, card_mm: tuple[float, float], bleed: float) -> Imposition:
    """Cards (trim + bleed) on the sheet orientation that holds most, centred, with crop
    marks at every trim corner, outside the bleed."""
    if sheet.upper() not in SHEETS_MM:
        raise RenderError(f"unknown sheet size {sheet!r}", hint=f"use one of {', '.join(SHEETS_MM)}")
    short, long_ = SHEETS_MM[sheet.upper()]
    gap = MARKS.card_gap_mm
    best = None
    for sheet_mm in ((long_, short), (short, long_)):
        cols, rows = _fit(sheet_mm[0], card_mm[0] + 2 * bleed, gap), _fit(sheet_mm[1], card_mm[1] + 2 * bleed, gap)
        if best is None or cols * rows > best[1] * best[2]:
            best = (sheet_mm, cols, rows)
    sheet_mm, cols, rows = best
    if cols * rows == 0:
        raise RenderError(f"a {card_mm[0]:g} x {card_mm[1]:g} mm label does not fit on {sheet}")
    bw, bh = card_mm[0] + 2 * bleed, card_mm[1] + 2 * bleed
    x0 = (sheet_mm[0] - (cols * bw + (cols - 1) * gap)) / 2
    y0 = (sheet_mm[1] - (rows * bh + (rows - 1) * gap)) / 2
    positions = [(round(x0 + c * (bw + gap), 3), round(y0 + r * (bh + gap), 3))
                 for r in range(rows) for c in range(cols)]
    marks = []
    mark, offset = MARKS.length_mm, bleed + MARKS.offset_mm
    for x, y in positions:
        left, top = x + bleed, y + bleed
        right, bottom = left + card_mm[0], top + card_mm[1]
        for cx in (left, right):
            for cy in (top, bottom):
                hx = cx + offset if cx == right else cx - offset - mark
                vy = cy + offset if cy == bottom else cy - offset - mark
                marks.append({"axis": "h", "x": round(hx, 3), "y": round(cy, 3)})
                marks.append({"axis": "v", "x": round(cx, 3), "y": round(vy, 3)})
    return Imposition(sheet_mm, positions, marks, bleed, card_mm)


def _fit(length: float, item: float, gap: float) -> int:
    count = 0
    while MARKS.sheet_margin_mm * 2 + (count + 1) * item + count * gap <= length:
        count += 1
    return count


def label_layout(memorial: Memorial) -> Imposition:
    setup = memorial.print
    return impose(setup.sheet, setup.label_mm, setup.bleed_mm)


def sheets(cards: list[dict], layout: Imposition) -> list[dict]:
    """The cards on sheets: each card with its place, each sheet with its cards' marks."""
    out = []
    for start in range(0, len(cards), layout.per_sheet):
        chunk = cards[start:start + layout.per_sheet]
        placed = [dict(card, x=x, y=y) for card, (x, y) in zip(chunk, layout.positions)]
        used = layout.positions[:len(chunk)]
        marks = _marks_for(layout, used)
        out.append({"cards": placed, "marks": marks, "crop_path": crop_path(marks),
                    "view_box": f"0 0 {layout.sheet_mm[0]:g} {layout.sheet_mm[1]:g}"})
    return out


def chunk_sizes(count: int, size: int) -> list[int]:
    """How many sheets (or pages) each document of a set of ``count`` holds when it is
    printed in chunks of at most ``size``: one document up to ``size``; beyond, ``size``
    each, and over the last 2 x ``size`` half of what is left each time, no chunk under an
    eighth of ``size``.  Workers take the chunks as they come free, so they finish within
    a small chunk of each other, not within a whole one (a 1,000-label set on 2 cores
    left one core idle for 1.5 to 2.3 s with every chunk of 32 sheets).  A chunk costs
    little beyond its sheets: its own copy of the font subsets (about 22 KB for the
    seed's four faces)."""
    if count <= size:
        return [count] if count else []
    smallest, sizes = max(1, size // 8), []
    while count > 0:
        take = min(count, size, max(smallest, -(-count // 2)))
        if count - take < smallest and count <= size:
            take = count                # no chunk of a few sheets after this one
        sizes.append(take)
        count -= take
    return sizes


def chunk_bounds(count: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of :func:`chunk_sizes`, in order."""
    bounds, start = [], 0
    for taken in chunk_sizes(count, size):
        bounds.append((start, start + taken))
        start += taken
    return bounds


def crop_path(marks: list[dict]) -> str:
    """The sheet's crop marks as one SVG path in mm (a sheet's drawing, not one box per
    mark: WeasyPrint lays out and paints a box at a time).  A mark is a hairline stroked
    along its centre, so it covers what a hairline-thick box at (x, y) would."""
    half, length = MARKS.hairline_mm / 2, _number(MARKS.length_mm)
    return "".join(f"M{_number(m['x'])} {_number(m['y'] + half)}h{length}" if m["axis"] == "h"
                   else f"M{_number(m['x'] + half)} {_number(m['y'])}v{length}" for m in marks)


def _number(value: float) -> str:
    return f"{round(value, 3):g}"


def _marks_for(layout: Imposition, used: list[tuple[float, float]]) -> list[dict]:
    per_card = len(layout.marks) // max(1, len(layout.positions))
    out = []
    for index, position in enumerate(layout.positions):
        if position in used:
            out.extend(layout.marks[index * per_card:(index + 1) * per_card])
    return out


# --------------------------------------------------------------------------
# Page setup: what base.html.j2's @page rule and :root variables print
# --------------------------------------------------------------------------
def page_setup(memorial: Memorial, product: str) -> dict:
    setup = memorial.print
    if product == "leaflet":
        size = setup.leaflet
        width, height = SHEETS_MM.get(size.upper(), SHEETS_MM["A5"])
        return {"size": f"{size} portrait", "margin": _mm(*LEAFLET.margin_mm), "numbered": True,
                "vars": f"--page-w: {width}mm; --page-h: {height}mm;"}
    if product == "plaque":
        width, height = setup.plaque_mm
        return {"size": f"{width:g}mm {height:g}mm", "margin": _mm(*PLAQUE.margin_mm),
                "numbered": False, "vars": f"--page-w: {width:g}mm; --page-h: {height:g}mm;",
                "screen_fit": screen_fit("body.plaque main", width)}
    layout = label_layout(memorial)
    return {"size": _mm(*layout.sheet_mm), "margin": "0", "numbered": False,
            "vars": label_vars(layout.sheet_mm, layout.card_mm, layout.bleed),
            "screen_fit": screen_fit(".sheet", layout.sheet_mm[0])}


def label_page(memorial: Memorial) -> dict:
    """The labels' page setup when each page is one label's trim area (a press file)."""
    card, bleed = memorial.print.label_mm, memorial.print.bleed_mm
    return {"size": _mm(*card), "margin": "0", "numbered": False,
            "vars": label_vars(card, card, bleed)}


def label_vars(sheet_mm, card_mm, bleed: float) -> str:
    """The CSS variables print.css places the sheet, the cards and the crop marks by."""
    (w, h), (cw, ch), b = sheet_mm, card_mm, bleed
    return (f"--sheet-w: {w:g}mm; --sheet-h: {h:g}mm; --bleed: {b:g}mm; "
            f"--trim-w: {cw:g}mm; --trim-h: {ch:g}mm; --bleed-w: {cw + 2 * b:g}mm; "
            f"--bleed-h: {ch + 2 * b:g}mm;")


def press_bleed_css(bleed: float) -> str:
    """A press file's CSS: WeasyPrint draws crop marks in the outer half of the CSS bleed, so
    twice the printed bleed and some room put them outside it.  A label's background runs
    into the bleed, past its sheet."""
    return (f"@page {{ bleed: {2 * (bleed + MARKS.press_room_mm):g}mm; marks: crop; }}\n"
            ".sheet { overflow: visible !important; }\n")


def _mm(*lengths: float) -> str:
    return " ".join(f"{length:g}mm" for length in lengths)


def screen_fit(selector: str, width_mm: float, gutter_px: int = 40, wide_px: int = 960) -> Markup:
    """Screen rules that zoom a page ``width_mm`` wide to fit a window at least ``wide_px``
    wide (print.css reflows the page in narrower windows).

    CSS cannot divide a length by a length, so the zoom steps with the window's width:
    in each band of widths the page fits the band's narrowest window (and is at most
    about a tenth narrower than the window).  Screen media only: print keeps 100 %.
    """
    from markupsafe import Markup
    page_px = width_mm * 96 / 25.4
    tops, top = [], page_px + gutter_px
    while top > wide_px + 1:
        tops.append(int(top))
        top = top / 1.1
    rules = []
    for index, band_top in enumerate(tops):
        lower = tops[index + 1] + 1 if index + 1 < len(tops) else wide_px
        zoom = max(0.05, (lower - gutter_px) / page_px)
        rules.append(f"@media screen and (min-width: {wide_px}px) and (max-width: {band_top}px) "
                     f"{{ {selector} {{ zoom: {zoom:.3f}; }} }}")
    return Markup("\n".join(rules))
