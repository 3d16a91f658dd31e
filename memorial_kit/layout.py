"""How much text the printed layout holds: the limits translators see while typing.

Weblate and Poedit show a ``max-length:N`` flag as a limit on the entry.  The
limits are derived from the print geometry (:mod:`.geometry`: the manifest's label
and plaque sizes, and the very type sizes, line heights and boxes the pages are laid
out with) and a typical character width of DejaVu Serif; they are a guide for typing.
What decides is the fit check of ``memorial-kit check``, which lays the real text out.
"""
from __future__ import annotations

import math

from . import geometry
from .geometry import PT_MM, Type
from .memorial import Label, Memorial, Monument

CHAR_EM = 0.55        # DejaVu Serif: a typical character's advance, in em, over mixed text
SAFETY = 0.85         # leave some room: the estimate is a guide, not a measurement
PLAQUE_LINES = 2      # at most, for each of the plaque's name, caption and glosses
WRAP_CHARS = 8        # what a line may leave unused when a long word goes to the next


def chars_per_line(width_mm: float, style: Type, safety: float = 1.0) -> int:
    return max(1, int(safety * width_mm / (style.pt * CHAR_EM * PT_MM)))


def _lines(chars: int, per_line: int) -> int:
    return max(1, math.ceil(chars / per_line))


def label_limits(memorial: Memorial, label: Label) -> dict[str, int]:
    """part ("title", "text" or a row's date) -> characters that fit when the translation is
    the label's large primary language and the English source its secondary one."""
    style = geometry.of(memorial).label
    top, side, bottom = style.padding_mm
    width = memorial.print.label_mm[0] - 2 * side
    height = memorial.print.label_mm[1] - top - bottom - _label_spacing_mm(style, label)
    # What the English secondary side and the carved line take.
    secondary = style.secondary_title.line_mm() * _lines(
        len(label.title), chars_per_line(width, style.secondary_title))
    per_line_small = chars_per_line(width, style.secondary_text)
    parts = {"text": label.text} if label.text else {}
    parts.update({row.date.isoformat(): row.text for row in label.rows})
    secondary += sum(style.secondary_text.line_mm() * _lines(len(t), per_line_small)
                     for t in parts.values())
    # a monument's label: the carved line, and the glosses under each language's text
    carved = (2 * style.carved.line_mm() + style.text.line_mm() + style.secondary_text.line_mm()
              if label.monument else 0.0)
    # a timeline prints each date on a line of its own, in both languages
    dates = len(label.rows) * (style.text.line_mm() + style.secondary_text.line_mm())
    # the online edition's code in the top end corner: the lines beside it are shorter
    beside, taken = _qr_room(memorial, style, width)
    # the title's lines: the source's, with room to grow by a fifth
    title_lines = _lines(int(len(label.title) * 1.2), chars_per_line(beside, style.title))
    free = height - secondary - carved - dates - title_lines * style.title.line_mm() - taken
    lines = max(1, int(SAFETY * free / style.text.line_mm()))
    per_line = chars_per_line(width, style.text)
    limits = {"title": chars_per_line(beside, style.title) * max(title_lines, 2)}
    total = sum(len(t) for t in parts.values()) or 1
    for part, text in parts.items():
        # the lines are shared in proportion to the source's lengths
        limits[part] = max(1, int(per_line * lines * len(text) / total))
    return limits


def _qr_room(memorial: Memorial, style: geometry.Label, width: float) -> tuple[float, float]:
    """The width of the lines beside a label's QR code, and the height of text its corner
    takes (its area over the line's width); (width, 0) when the label has no code."""
    if not memorial.online_base_url:
        return width, 0.0
    corner_w = style.qr_mm + style.qr_gap_mm
    corner_h = style.qr_mm + style.qr_after_mm
    return width - corner_w, corner_w * corner_h / width


def _label_spacing_mm(style: geometry.Label, label: Label) -> float:
    """The space between a label's parts, in both languages: under each title and
    paragraph, each timeline entry, the primary language, the rule and the carved line.
    (The credit line sits in the trim's bottom padding.)"""
    blocks = 1 + bool(label.text) + bool(label.monument)      # title, text, glosses
    per_side = blocks * style.block_after_mm + len(label.rows) * style.row_after_mm
    carved = style.carved_after_mm if label.monument else 0.0
    return 2 * per_side + style.primary_after_mm + style.rule_space_mm + carved


def plaque_limits(memorial: Memorial, monument: Monument) -> dict[str, int]:
    """"name", "caption", "gloss" -> characters that fit on ``monument``'s plaque.

    A line holds what fits its width with the same room to spare as the labels' lines,
    less, on each line but the last, the end a long word leaves when it wraps; each text
    gets the lines the plaque's height leaves it (:func:`plaque_lines`)."""
    per_line = _plaque_per_line(memorial, monument)
    lines = plaque_lines(memorial, monument)
    return {part: per_line[part] * lines[part]
            - (lines[part] - 1) * min(WRAP_CHARS, per_line[part] // 2) for part in per_line}


def _plaque_per_line(memorial: Memorial, monument: Monument) -> dict[str, int]:
    style = geometry.of(memorial).plaque
    width = memorial.print.plaque_mm[0] - 2 * style.margin_mm[1]
    return {"name": chars_per_line(width, style.name, SAFETY),
            "caption": chars_per_line(width, style.caption, SAFETY),
            "gloss": chars_per_line(face_width(memorial, monument), style.gloss, SAFETY)}


def face_width(memorial: Memorial, monument: Monument) -> float:
    """The width of a face's text: the faces stand side by side, each in its frame."""
    style = geometry.of(memorial).plaque
    width = memorial.print.plaque_mm[0] - 2 * style.margin_mm[1]
    count = max(1, len(monument.faces))
    return ((width - (count - 1) * style.face_gap_mm) / count
            - 2 * style.face_padding_mm[1] - 2 * style.face_rule_pt * PT_MM)


def plaque_lines(memorial: Memorial, monument: Monument) -> dict[str, int]:
    """How many lines the name, the caption and each gloss may take (at most
    PLAQUE_LINES): first those the English needs, then one more for each in that order
    while the plaque's height holds it; one at least, even when nothing fits (the fit
    check then says by how much)."""
    style = geometry.of(memorial).plaque
    heights = {"name": style.name.line_mm(), "caption": style.caption.line_mm(),
               "gloss": style.gloss.line_mm()}
    sources = {"name": [monument.name], "caption": [monument.caption] if monument.caption else [],
               "gloss": [face.gloss for face in monument.faces if face.gloss]}
    per_line = _plaque_per_line(memorial, monument)
    lines = {part: min(PLAQUE_LINES, max((_lines(len(text), per_line[part]) for text in texts),
                                         default=0))
             for part, texts in sources.items()}
    free = _plaque_free_mm(memorial, monument) - sum(lines[p] * heights[p] for p in heights)
    for part in heights:
        if 0 < lines[part] < PLAQUE_LINES and heights[part] <= free:
            lines[part] += 1
            free -= heights[part]
    return {part: max(1, count) for part, count in lines.items()}


def _plaque_free_mm(memorial: Memorial, monument: Monument) -> float:
    """The plaque's height less all it prints but the lines of its name, caption and
    glosses: spacing, the faces' frames, their names and carved texts, the years (one
    line) and the credit line (one line, when the manifest gives a licence)."""
    style = geometry.of(memorial).plaque
    carved = style.carved
    # the carved texts are known: their lines are estimated without room to spare
    per_line = chars_per_line(face_width(memorial, monument), carved)
    tallest_face = max((sum(_lines(len(text), per_line) * carved.line_mm()
                            + style.carved_space_mm for text in face.inscriptions.values())
                        for face in monument.faces), default=0.0)
    faces = (2 * style.face_rule_pt * PT_MM + 2 * style.face_padding_mm[0]
             + style.face_name.line_mm() + tallest_face + style.carved_space_mm
             if monument.faces else 0.0)
    spacing = 2 * style.name_space_mm + (style.caption_after_mm if monument.caption else 0.0)
    years = sum(style.years_space_mm) + style.years.line_mm()
    credit = style.credit.line_mm() if memorial.provenance.licence else 0.0
    return (memorial.print.plaque_mm[1] - 2 * style.margin_mm[0]
            - spacing - faces - years - credit)


def limit_comment(limit: int, where: str) -> str:
    return (f"Printed on {where}: at most {limit} characters fit (the flag max-length:{limit} "
            "shows it in Weblate and Poedit).")


def size_text(size_mm: tuple[float, float]) -> str:
    return f"{size_mm[0]:g} × {size_mm[1]:g} mm"
