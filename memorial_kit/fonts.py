"""The fonts the templates ship (templates/fonts.css), read without loading WeasyPrint."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError

FONT_FACE_RE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)
FONT_URL_RE = re.compile(r"url\(\s*[\"']?(?P<url>[^\"')]+)[\"']?\s*\)")
FONT_FAMILY_RE = re.compile(r"font-family:\s*[\"'](?P<family>[^\"']+)[\"']")


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path


def font_faces(templates: Path) -> list[FontFace]:
    """The @font-face rules of templates/fonts.css; a named file that is missing is an error."""
    css_path = templates / "fonts.css"
    if not css_path.exists():
        raise RenderError("templates/fonts.css not found: the products have no fonts",
                          path=str(css_path))
    css = css_path.read_text("utf-8")
    faces = []
    for match in FONT_FACE_RE.finditer(css):
        line = css.count("\n", 0, match.start()) + 1
        family = FONT_FAMILY_RE.search(match["body"])
        url = FONT_URL_RE.search(match["body"])
        if not family or not url:
            raise RenderError("@font-face needs a quoted font-family and a url()",
                              path="templates/fonts.css", line=line)
        path = (templates / url["url"]).resolve()
        if not path.is_relative_to(templates.resolve()) or not path.is_file():
            raise RenderError(f"font file {url['url']!r} for {family['family']!r} not found",
                              path="templates/fonts.css", line=line,
                              hint="put the font file under templates/fonts/")
        faces.append(FontFace(family["family"], path))
    return faces


def require_font(templates: Path, family: str) -> list[FontFace]:
    """The faces of ``family``; a family the templates name but do not ship is an error."""
    faces = [f for f in font_faces(templates) if f.family == family]
    if not faces:
        raise RenderError(f"the font {family!r} is not declared in templates/fonts.css",
                          path="templates/fonts.css",
                          hint="declare it with @font-face and a font file under templates/fonts/")
    return faces
