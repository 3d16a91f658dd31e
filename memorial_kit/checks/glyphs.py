"""Does the products' font have a glyph for every character a translation prints?

The fonts are the ``@font-face`` files of ``templates/fonts.css`` for the family
the manifest prints in; their character maps are read once per file (and again
only when the file changes).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

from .. import fonts
from ..po import Entry
from .entries import EntryContext
from .findings import Finding, char_name

_CMAPS: dict[tuple[str, int, int], frozenset[int]] = {}


def cmap(path: Path) -> frozenset[int]:
    """The code points ``path`` has glyphs for (cached per file version)."""
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    found = _CMAPS.get(key)
    if found is None:
        font = TTFont(str(path), lazy=True)
        try:
            found = frozenset(font.getBestCmap() or {})
        finally:
            font.close()
        _CMAPS[key] = found
    return found


@dataclass
class FontCoverage:
    family: str
    faces: list[tuple[str, frozenset[int]]]      # (file name, code points)

    def lacking(self, ch: str) -> list[str]:
        """The faces (file names) without a glyph for ``ch``."""
        return [name for name, points in self.faces if ord(ch) not in points]


def coverage(templates: Path, family: str) -> FontCoverage:
    """The faces of ``family`` (RenderError if templates/fonts.css does not declare it)."""
    faces = fonts.require_font(templates, family)
    return FontCoverage(family, [(face.path.name, cmap(face.path)) for face in faces])


def needs_glyph(ch: str) -> bool:
    """Whitespace, controls and format characters (soft hyphen, joiners) need none."""
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"))


def printed_texts(entry: Entry) -> list[str]:
    return list(entry.msgstr_plural) if entry.msgid_plural is not None else [entry.msgstr]


def check_glyphs(entry: Entry, ctx: EntryContext, fonts: list[FontCoverage]) -> list[Finding]:
    """One finding per entry, naming each character some face of the font lacks."""
    lacking: dict[str, list[str]] = {}
    for text in printed_texts(entry):
        for ch in text:
            if ch in lacking or not needs_glyph(ch):
                continue
            faces = [f"{font.family} ({name})" for font in fonts for name in font.lacking(ch)]
            if faces:
                lacking[ch] = faces
    if not lacking:
        return []
    parts = []
    total = sum(len(font.faces) for font in fonts)
    for ch, faces in lacking.items():
        where = "" if len(faces) == total else " in " + ", ".join(faces)
        parts.append(f"{char_name(ch)}{where}")
    families = ", ".join(sorted({font.family for font in fonts}))
    return [ctx.finding(
        entry, "glyph-missing",
        f"the font {families} has no glyph for {'; '.join(parts)}: it would print as a box "
        "or in another font",
        "use a character the font has (e.g. the plain letter or punctuation mark), or add a "
        "font that has it to templates/fonts.css")]
