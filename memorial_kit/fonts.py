"""The fonts the templates declare (templates/fonts.css), read without loading WeasyPrint.

``@font-face`` rules name the bundled files; the ``:root`` block names a family per
script (``--script-Hebr: "Noto Serif Hebrew";``), bundled or, for scripts too large to
bundle, a system family found through fontconfig (``... system("fonts-noto-cjk")``).
:class:`FontChain` is the order the products print in: the manifest's family, then the
script families (the page's own script first).  The renderer writes it as the pages'
``font-family`` and the glyph check measures text against it, so what the check passes
is what the printer can print without picking a font of its own.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RenderError

FONT_FACE_RE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)
FONT_URL_RE = re.compile(r"url\(\s*[\"']?(?P<url>[^\"')]+)[\"']?\s*\)")
FONT_FAMILY_RE = re.compile(r"font-family:\s*[\"'](?P<family>[^\"']+)[\"']")
FONT_WEIGHT_RE = re.compile(r"font-weight:\s*(?P<weight>[a-z0-9]+)")
FONT_STYLE_RE = re.compile(r"font-style:\s*(?P<style>[a-z]+)")
SCRIPT_RE = re.compile(r"--script-(?P<script>[A-Z][a-z]{3})\s*:\s*[\"'](?P<family>[^\"']+)[\"']"
                       r"(?:\s+system\(\s*[\"'](?P<package>[^\"']+)[\"']\s*\))?\s*;")
_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    bold: bool = False
    italic: bool = False
    index: int = 0                      # the face's number in a collection (.ttc)


@dataclass(frozen=True)
class ScriptFont:
    script: str                         # ISO 15924, e.g. "Hebr"
    family: str
    package: str | None                 # a system family: the package that installs it
    line: int


def _css(templates: Path) -> str:
    css_path = templates / "fonts.css"
    if not css_path.exists():
        raise RenderError("templates/fonts.css not found: the products have no fonts",
                          path=str(css_path))
    return css_path.read_text("utf-8")


def _blank_comments(css: str) -> str:
    """``css`` with its comments blanked out, lines kept (for line numbers)."""
    return _COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)


def font_faces(templates: Path) -> list[FontFace]:
    """The @font-face rules of templates/fonts.css; a named file that is missing is an error."""
    css = _blank_comments(_css(templates))
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
        weight = FONT_WEIGHT_RE.search(match["body"])
        style = FONT_STYLE_RE.search(match["body"])
        faces.append(FontFace(family["family"], path,
                              bold=bool(weight) and weight["weight"] in ("bold", "700", "800", "900"),
                              italic=bool(style) and style["style"] in ("italic", "oblique")))
    return faces


def script_fonts(templates: Path) -> list[ScriptFont]:
    """The ``--script-Xxxx`` declarations of templates/fonts.css, in their order."""
    css = _blank_comments(_css(templates))
    return [ScriptFont(m["script"], m["family"], m["package"], css.count("\n", 0, m.start()) + 1)
            for m in SCRIPT_RE.finditer(css)]


def require_font(templates: Path, family: str) -> list[FontFace]:
    """The faces of ``family``; a family the templates name but do not ship is an error."""
    faces = [f for f in font_faces(templates) if f.family == family]
    if not faces:
        raise RenderError(f"the font {family!r} is not declared in templates/fonts.css",
                          path="templates/fonts.css",
                          hint="declare it with @font-face and a font file under templates/fonts/")
    return faces


# --------------------------------------------------------------------------
# System families (fontconfig)
# --------------------------------------------------------------------------
_SYSTEM: dict[str, list[FontFace]] = {}


def system_faces(family: str) -> list[FontFace]:
    """The installed faces of the system family ``family`` (none when it is absent, or
    when fontconfig's ``fc-list`` is not installed)."""
    if family not in _SYSTEM:
        faces = []
        fc_list = shutil.which("fc-list")
        if fc_list:
            listing = subprocess.run(
                [fc_list, "-f", "%{file}\t%{index}\t%{weight}\t%{slant}\n", f":family={family}"],
                capture_output=True, text=True, check=False).stdout
            for row in sorted(listing.splitlines()):
                parts = row.split("\t")
                if len(parts) == 4 and Path(parts[0]).is_file():
                    weight, slant = _number(parts[2]), _number(parts[3])
                    faces.append(FontFace(family, Path(parts[0]), bold=weight >= 150,
                                          italic=slant > 0, index=int(_number(parts[1]))))
        _SYSTEM[family] = faces
    return _SYSTEM[family]


def _number(text: str) -> float:
    found = re.search(r"-?\d+(?:\.\d+)?", text)
    return float(found.group()) if found else 0.0


# --------------------------------------------------------------------------
# Character maps and the chain
# --------------------------------------------------------------------------
_CMAPS: dict[tuple, frozenset[int]] = {}


def cmap(path: Path, index: int = 0) -> frozenset[int]:
    """The code points the font at ``path`` (face ``index`` of a collection) has glyphs for;
    read once per file version."""
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), index, stat.st_mtime_ns, stat.st_size)
    found = _CMAPS.get(key)
    if found is None:
        from fontTools.ttLib import TTFont
        font = TTFont(str(path), lazy=True, fontNumber=index)
        try:
            found = frozenset(font.getBestCmap() or {})
        finally:
            font.close()
        _CMAPS[key] = found
    return found


def needs_glyph(ch: str) -> bool:
    """Whitespace, controls and format characters (soft hyphen, joiners, bidi marks and
    isolates) need none: the shaper draws nothing for them."""
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"))


@dataclass
class Family:
    name: str
    faces: list[FontFace]
    package: str | None = None          # a system family: the package that installs it
    scripts: list[str] = field(default_factory=list)

    @property
    def installed(self) -> bool:
        return bool(self.faces)

    def lacking(self, ch: str) -> list[str]:
        """The faces (file names) without a glyph for ``ch``."""
        return [face.path.name for face in self.faces
                if ord(ch) not in cmap(face.path, face.index)]

    def covers(self, ch: str) -> bool:
        """Whether the family's upright regular face (or, lacking one, its first) has ``ch``."""
        if not self.faces:
            return False
        face = next((f for f in self.faces if not f.bold and not f.italic), self.faces[0])
        return ord(ch) in cmap(face.path, face.index)


@dataclass
class FontChain:
    """The families a page prints in, in order, as the printer tries them."""
    families: list[Family]

    def css(self) -> str:
        """The chain as a CSS ``font-family`` value (the installed families)."""
        return ", ".join('"%s"' % f.name.replace('"', "").replace("\\", "")
                         for f in self.families if f.installed)

    def family_for(self, ch: str) -> Family | None:
        for family in self.families:
            if family.covers(ch):
                return family
        return None

    def uncovered(self, text: str) -> dict[str, set[str]]:
        """Script name -> the characters of ``text`` no family of the chain has.  A mark or
        punctuation shared by scripts counts with the script it is used with: its
        Script_Extensions ("。" is Han's), or else the script most of the other letters
        without a font are in."""
        from fontTools import unicodedata as ucd
        found: dict[str, set[str]] = {}
        for ch in set(text):
            if needs_glyph(ch) and self.family_for(ch) is None:
                found.setdefault(_script_of(ch), set()).add(ch)
        # punctuation and marks go with the letters they are used with; symbols (an emoji)
        # stay "Common"
        shared = {ch for ch in found.pop("Zyyy", set()) | found.pop("Zinh", set())}
        symbols = {ch for ch in shared if unicodedata.category(ch).startswith("S")}
        if symbols:
            found["Zyyy"] = symbols
        if shared - symbols:
            main = max((c for c in found if c != "Zyyy"), key=lambda c: len(found[c]),
                       default="Zyyy")
            found.setdefault(main, set()).update(shared - symbols)
        return {ucd.script_name(code): chars for code, chars in
                sorted(found.items(), key=lambda item: min(item[1]))}

    def missing_system_family(self, chars: set[str]) -> Family | None:
        """A declared system family that is not installed, the one that would print
        ``chars`` (judged by their script), or None."""
        scripts = {_script_of(ch) for ch in chars}
        for family in self.families:
            if family.package and not family.installed and \
                    any(_prints(declared, scripts) for declared in family.scripts):
                return family
        return None


def _script_of(ch: str) -> str:
    """The ISO 15924 script of ``ch``: a shared character's first extension ("Hani" first)."""
    from fontTools import unicodedata as ucd
    code = ucd.script(ch)
    if code in ("Zyyy", "Zinh"):
        extensions = ucd.script_extension(ch) - {"Zyyy", "Zinh"}
        if extensions:
            return "Hani" if "Hani" in extensions else min(extensions)
    return code


# Scripts of characters each declared script (a writing system) is made of.
_WRITING_SYSTEMS = {"Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang", "Hani"},
                    "Hans": {"Hani"}, "Hant": {"Hani"}}


def _prints(declared: str, scripts: set[str]) -> bool:
    return bool(_WRITING_SYSTEMS.get(declared, {declared}) & scripts)


_CHAINS: dict[tuple, FontChain] = {}


def chain(templates: Path, base_family: str, page_script: str | None = None) -> FontChain:
    """The font chain of a page in ``page_script``: ``base_family`` (the manifest's font),
    then the script families of templates/fonts.css, the page's own script's first."""
    css = templates / "fonts.css"
    stat = css.stat() if css.exists() else None
    key = (str(templates), stat and stat.st_mtime_ns, base_family, page_script)
    if key in _CHAINS:
        return _CHAINS[key]
    declared = script_fonts(templates)
    declared.sort(key=lambda s: s.script != page_script)        # stable: the page's first
    families: dict[str, Family] = {base_family: Family(base_family,
                                                       require_font(templates, base_family))}
    bundled = font_faces(templates)
    for item in declared:
        if item.family in families:
            families[item.family].scripts.append(item.script)
            continue
        if item.package:
            faces = system_faces(item.family)
        else:
            faces = [f for f in bundled if f.family == item.family]
            if not faces:
                raise RenderError(f"the font {item.family!r} for the script {item.script} has "
                                  "no @font-face rule", path="templates/fonts.css",
                                  line=item.line,
                                  hint='declare its files with @font-face, or mark a system '
                                       'family with system("package")')
        families[item.family] = Family(item.family, faces, item.package, [item.script])
    _CHAINS[key] = FontChain(list(families.values()))
    return _CHAINS[key]
