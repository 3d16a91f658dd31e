"""How much text the printed layout holds: the limits translators see while typing.

Weblate and Poedit show a ``max-length:N`` flag as a limit on the entry.  The
limits are derived from the print geometry (the manifest's label and plaque
sizes, the type sizes of templates/print.css) and a typical character width of
DejaVu Serif; they are a guide for typing.  What decides is the fit check of
``memorial-kit check``, which lays the real text out.
"""
from __future__ import annotations

import math

from .memorial import Label, Memorial

PT_MM = 25.4 / 72
CHAR_EM = 0.55        # DejaVu Serif: a typical character's advance, in em, over mixed text
SAFETY = 0.85         # leave some room: the estimate is a guide, not a measurement
LINE_EM = 1.3         # line height of the label and plaque styles

# Type sizes (pt) and boxes of templates/print.css.
LABEL_PADDING_MM = (5 + 4, 6 + 6)          # vertical, horizontal
LABEL_TITLE_PT, LABEL_TEXT_PT = 13, 8.8    # the primary language
SECONDARY_TITLE_PT, SECONDARY_TEXT_PT = 9, 7.2
LABEL_RESERVED_MM = 4 + 3                  # credit line and the rule between languages
CARVED_PT = 9
PLAQUE_MARGIN_MM = 2 * 26
PLAQUE_NAME_PT, PLAQUE_CAPTION_PT, PLAQUE_GLOSS_PT = 72, 30, 30


def chars_per_line(width_mm: float, size_pt: float) -> int:
    return max(1, int(width_mm / (size_pt * CHAR_EM * PT_MM)))


def line_mm(size_pt: float) -> float:
    return size_pt * LINE_EM * PT_MM


def _lines(chars: int, per_line: int) -> int:
    return max(1, math.ceil(chars / per_line))


def label_limits(memorial: Memorial, label: Label) -> dict[str, int]:
    """part ("title", "text" or a row's date) -> characters that fit when the translation is
    the label's large primary language and the English source its secondary one."""
    width = memorial.print.label_mm[0] - LABEL_PADDING_MM[1]
    height = memorial.print.label_mm[1] - LABEL_PADDING_MM[0] - LABEL_RESERVED_MM
    text_width = width
    # What the English secondary side and the carved line take.
    secondary = line_mm(SECONDARY_TITLE_PT) * _lines(len(label.title),
                                                      chars_per_line(width, SECONDARY_TITLE_PT))
    per_line_small = chars_per_line(text_width, SECONDARY_TEXT_PT)
    parts = {"text": label.text} if label.text else {}
    parts.update({row.date.isoformat(): row.text for row in label.rows})
    secondary += sum(line_mm(SECONDARY_TEXT_PT) * _lines(len(t), per_line_small)
                     for t in parts.values())
    # a monument's label: the carved line, and the glosses under each language's text
    carved = (2 * line_mm(CARVED_PT) + line_mm(LABEL_TEXT_PT) + line_mm(SECONDARY_TEXT_PT)
              if label.monument else 0.0)
    # a timeline prints each date on a line of its own, in both languages
    dates = len(label.rows) * (line_mm(LABEL_TEXT_PT) + line_mm(SECONDARY_TEXT_PT))
    # the title's lines: the source's, with room to grow by a fifth
    title_lines = _lines(int(len(label.title) * 1.2), chars_per_line(width, LABEL_TITLE_PT))
    free = height - secondary - carved - dates - title_lines * line_mm(LABEL_TITLE_PT)
    lines = max(1, int(SAFETY * free / line_mm(LABEL_TEXT_PT)))
    per_line = chars_per_line(text_width, LABEL_TEXT_PT)
    limits = {"title": chars_per_line(width, LABEL_TITLE_PT) * max(title_lines, 2)}
    total = sum(len(t) for t in parts.values()) or 1
    for part, text in parts.items():
        # the lines are shared in proportion to the source's lengths
        limits[part] = max(1, int(per_line * lines * len(text) / total))
    return limits


def plaque_limits(memorial: Memorial) -> dict[str, int]:
    """"name", "caption", "gloss" -> characters that fit on the plaque."""
    width = memorial.print.plaque_mm[0] - PLAQUE_MARGIN_MM
    face_width = (width - 20) / 2 - 2 * 8
    return {"name": chars_per_line(width, PLAQUE_NAME_PT) * 2,
            "caption": chars_per_line(width, PLAQUE_CAPTION_PT) * 2,
            "gloss": chars_per_line(face_width, PLAQUE_GLOSS_PT) * 2}


def limit_comment(limit: int, where: str) -> str:
    return (f"Printed on {where}: at most {limit} characters fit (the flag max-length:{limit} "
            "shows it in Weblate and Poedit).")


def size_text(size_mm: tuple[float, float]) -> str:
    return f"{size_mm[0]:g} × {size_mm[1]:g} mm"
