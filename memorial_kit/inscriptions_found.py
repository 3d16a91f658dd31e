"""Carved inscriptions found in an article's prose, for `memorial-kit new`.

Articles quote inscriptions in every common style («…» „…“ “…” "…" ‚…‘ ‹…›) and name
their language before the quote ("in Latvian «…»", "inscribed in French:", "the Polish
text reads"), after it ("«…» in Estonian", "«…» (German)"), or not at all, when only the
script tells (Hebrew letters: Hebrew or Yiddish).  A gloss follows in [brackets],
(parentheses), after "meaning", or not at all.  Faces are named by the usual words
(front, back, obverse, base, "on its base", "beneath"...).  Language words are CLDR's
English language names, so no list of languages is kept here.

Carved texts that share a gloss are one face; each section that quotes inscriptions is
one monument.  Every quoted text that is not taken is reported with the reason.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from babel import Locale
from babel.core import get_global

from .article import Article, Block

# Opening quote -> the closing quotes that end it.
QUOTES = {"«": "»", "„": "“”\"", "“": "”", '"': '"', "‚": "‘’", "‹": "›", "»": "«"}
_QUOTE_RE = re.compile("|".join(
    f"{re.escape(o)}(?P<q{i}>[^{re.escape(o + c)}\n]{{1,400}}?)[{re.escape(c)}]"
    for i, (o, c) in enumerate(QUOTES.items())))

# Words that say a text is carved, written or read on a monument.
_CUE_RE = re.compile(r"\b(inscri\w*|carv\w*|engrav\w*|reads?|reading|words?|text|motto|"
                     r"epitaph|bears?|bearing|says|plaques?|lettering|legend)\b", re.I)

# Words that say a paragraph is about a monument.
_MONUMENT_RE = re.compile(r"\b(monument|memorial|stone|plaque|statue|obelisk|cross|pedestal|"
                          r"plinth|wall|tablet|stele|stela|sculpture|column|slab)s?\b", re.I)

# Face words -> face id (the id is the manifest's, printed on the plaque).
FACE_WORDS = {
    "front": "front", "back": "back", "rear": "back", "obverse": "obverse",
    "reverse": "reverse", "left": "left", "right": "right", "side": "side", "top": "top",
    "base": "base", "pedestal": "pedestal", "plinth": "plinth", "beneath": "base",
    "below": "base", "underneath": "base", "foot": "base",
}
_FACE_RE = re.compile(r"\b(?:on\s+(?:its|the)\s+)?(" + "|".join(FACE_WORDS) + r")\b", re.I)
_GLOSS_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:\[(?P<bracket>[^\[\]\n]{1,300})\]|\((?P<paren>[^()\n]{1,300})\)|"
    r"(?:meaning|which means|translated as|translation|translating as|which translates (?:as|to)|"
    r"i\.\s?e\.)\s*:?\s*(?P<meaning>[^.;\n]{1,300}))")
_SCRIPTS = [  # (first, last code point, locale, certain?)
    (0x0590, 0x05FF, "he", False), (0x0370, 0x03FF, "el", True), (0x0530, 0x058F, "hy", True),
    (0x10A0, 0x10FF, "ka", True), (0x0E00, 0x0E7F, "th", True), (0xAC00, 0xD7AF, "ko", True),
]
_YIDDISH = set("װױײ")        # letters Yiddish writes and Hebrew does not


@dataclass
class FoundFace:
    id: str
    inscriptions: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    gloss: str = ""
    gloss_line: int = 0
    notes: list[str] = field(default_factory=list)      # what to confirm


@dataclass
class FoundMonument:
    heading: str
    line: int
    faces: list[FoundFace] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Skipped:
    line: int
    text: str
    why: str


@functools.lru_cache(maxsize=1)
def language_names() -> tuple[re.Pattern, dict[str, str]]:
    """CLDR's English language names (longest first) as one pattern, and name -> code."""
    names = {}
    for code, name in Locale("en").languages.items():
        if "_" in code or len(code) > 3 or not name[:1].isupper():
            continue
        names.setdefault(name, code)
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({pattern})(?![\w-])"), names


def find_monuments(article: Article) -> tuple[list[FoundMonument], list[Skipped]]:
    """The monuments the article quotes inscriptions of, and each quoted text not taken."""
    monuments: list[FoundMonument] = []
    skipped: list[Skipped] = []
    groups = [("", article.title_line, article.lead)]
    groups += [(s.heading, s.line, s.blocks) for s in article.sections]
    for heading, line, blocks in groups:
        monument = FoundMonument(heading, line, blocks=list(blocks))
        for block in blocks:
            _read_block(article, block, monument, skipped)
        monument.faces = [f for f in monument.faces if f.inscriptions]
        if monument.faces:
            monuments.append(monument)
    return monuments, skipped


def _read_block(article: Article, block: Block, monument: FoundMonument,
                skipped: list[Skipped]) -> None:
    text = block.text
    quotes = [(m.start(), m.end(), next(g for g in m.groups() if g is not None))
              for m in _QUOTE_RE.finditer(text)]
    cue = _CUE_RE.search(text) is not None
    # A language named right at a quote in a paragraph about a monument also says it.
    about_monument = cue or bool(_FACE_RE.search(text) or _MONUMENT_RE.search(text)
                                 or _MONUMENT_RE.search(monument.heading))
    face_id, face, previous_end = None, None, 0
    used_as_gloss: set[int] = set()
    for index, (start, end, quoted) in enumerate(quotes):
        if start in used_as_gloss:
            previous_end = end
            continue
        before = text[previous_end:start]
        named_face = _last_face(before)
        if named_face:
            face_id, face = named_face, None
        language, certain, after_end = _language(before, text, end, quoted)
        if language is None and cue and (face_id or face):
            language = _language_by_order(monument, face)     # "«…» and «…» [gloss]"
            certain = False
        if language is None or not about_monument:
            why = ("no language named before or after it, nor told by its script"
                   if language is None else
                   "its paragraph speaks of no monument and no inscription")
            skipped.append(Skipped(block.line, quoted, why))
            previous_end = end
            continue
        line = article.find_verbatim(quoted) or _find_nfc(article, quoted)
        if line is None:
            skipped.append(Skipped(block.line, quoted, "not verbatim in the article (it runs "
                                   "over a line break or its spacing was cleaned)"))
            previous_end = end
            continue
        if face is None or language in face.inscriptions or face.gloss:
            face = _new_face(monument, face_id or "front")
        face.inscriptions[language] = unicodedata.normalize("NFC", quoted)
        face.lines[language] = line
        if not certain:
            face.notes.append(f"the language of {quoted!r} ({language}) is a guess"
                              + (": Hebrew letters are Hebrew or Yiddish"
                                 if language in ("he", "yi") and text_script(quoted) == "Hebr"
                                 else ""))
        gloss, gloss_end = _gloss(text, after_end, quotes[index + 1:], used_as_gloss)
        if gloss:
            gloss_line = article.find_verbatim(gloss) or _find_nfc(article, gloss)
            if gloss_line:
                face.gloss, face.gloss_line = gloss, gloss_line
                _join_same_gloss(monument, face)
            else:
                skipped.append(Skipped(block.line, gloss, "gloss not verbatim in the article"))
        previous_end = max(end, gloss_end)


def _join_same_gloss(monument: FoundMonument, face: FoundFace) -> None:
    """Carved texts that share a gloss are one face, even when quoted apart."""
    for other in monument.faces:
        if other is not face and other.gloss == face.gloss and other.id.split("-")[0] == \
                face.id.split("-")[0] and not set(other.inscriptions) & set(face.inscriptions):
            other.inscriptions.update(face.inscriptions)
            other.lines.update(face.lines)
            other.notes += face.notes
            face.inscriptions.clear()
            return


def _new_face(monument: FoundMonument, face_id: str) -> FoundFace:
    taken = {f.id for f in monument.faces}
    new_id, n = face_id, 2
    while new_id in taken:
        new_id, n = f"{face_id}-{n}", n + 1
    face = FoundFace(new_id)
    monument.faces.append(face)
    return face


def _last_face(before: str) -> str | None:
    """The last face named; "the right side" is the right face, not a side."""
    found = None
    for match in _FACE_RE.finditer(before):
        word = FACE_WORDS[match[1].lower()]
        ahead = before[:match.start()]
        if word == "side" and re.search(r"\b(front|back|left|right|top|rear)[\s-]+$", ahead):
            continue
        if word in ("base", "pedestal", "plinth") and \
                re.search(r"\b(front|back|left|right|top|side|rear|reverse|obverse)\s+of\s+"
                          r"(?:the|its)\s+$", ahead):
            continue                                 # "on the front of the plinth": the front
        found = word
    return found


_AFTER_RE = re.compile(r"\s*(?:\(\s*(?:in\s+)?(?P<paren>[^()]{2,40}?)\s*\)|,?\s+in\s+(?=\w))")


def _language(before: str, text: str, end: int, quoted: str) -> tuple[str | None, bool, int]:
    """(code, named?, where a language named after the quote ends) for a quoted text."""
    pattern, names = language_names()
    after = _AFTER_RE.match(text, end)
    if after and after["paren"]:                    # «…» (German)
        if pattern.fullmatch(after["paren"]):
            code = names[after["paren"]]
            return code, fits_script(code, text_script(quoted)), after.end()
        found = pattern.match(after["paren"])          # «…» (Polish for "…"): the gloss stays
        if found and after["paren"][found.end():].lstrip().startswith("for "):
            code = names[found[1]]
            return code, fits_script(code, text_script(quoted)), end
    elif after:                                     # «…» in Estonian
        found = pattern.match(text, after.end())
        if found:
            code = names[found[1]]
            return code, fits_script(code, text_script(quoted)), found.end()
    # "in Latvian «…»", "inscribed in French: «…»", "the Polish text reads «…»": a language
    # word a few words before the quote.  Of "in Polish and Hebrew reads «…»" the one
    # whose script is the text's.
    window = before[-70:]
    named = [m for m in pattern.finditer(window) if len(window[m.end():].split()) <= 5]
    if named:
        script = text_script(quoted)
        fitting = [m for m in named if fits_script(names[m[1]], script)]
        return names[(fitting or named)[-1][1]], bool(fitting), end
    return (*_by_script(quoted), end)


# Unicode's script names (the first word of a letter's name) -> ISO 15924 codes.
_SCRIPT_NAMES = {"LATIN": "Latn", "HEBREW": "Hebr", "CYRILLIC": "Cyrl", "GREEK": "Grek",
                 "ARABIC": "Arab", "ARMENIAN": "Armn", "GEORGIAN": "Geor", "THAI": "Thai",
                 "HANGUL": "Kore", "DEVANAGARI": "Deva", "CJK": "Hani", "HIRAGANA": "Jpan",
                 "KATAKANA": "Jpan", "BENGALI": "Beng", "TAMIL": "Taml", "ETHIOPIC": "Ethi"}


def text_script(text: str) -> str | None:
    """The script most letters of ``text`` are written in (ISO 15924), if known."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _SCRIPT_NAMES.get(unicodedata.name(char, "").split(" ")[0])
            if script:
                counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else None


def fits_script(code: str, script: str | None) -> bool:
    """Whether CLDR writes language ``code`` in ``script`` (by its likely subtags)."""
    likely = get_global("likely_subtags").get(code, "")
    parts = likely.split("_")
    written = parts[1] if len(parts) == 3 else None
    if script is None or written is None:
        return True
    return written == script or (script == "Hani" and written in ("Hans", "Hant", "Jpan"))


def _by_script(text: str) -> tuple[str | None, bool]:
    for char in text:
        point = ord(char)
        for first, last, code, certain in _SCRIPTS:
            if first <= point <= last:
                if code == "he" and _YIDDISH & set(text):
                    return "yi", False
                return code, certain
    return None, False


def _language_by_order(monument: FoundMonument, face: FoundFace | None) -> str | None:
    """A quotation with no language named, on a face after the first: the language at the
    same place on the monument's first face ("in the back: «…» and «…» [gloss]")."""
    if not monument.faces or monument.faces[0] is face:
        return None
    order = list(monument.faces[0].inscriptions)
    position = len(face.inscriptions) if face is not None and not face.gloss else 0
    return order[position] if position < len(order) else None


def _gloss(text: str, end: int, later_quotes, used: set[int]) -> tuple[str, int]:
    """The gloss right after a quotation (and its language), and where it ends."""
    match = _GLOSS_AFTER_RE.match(text[end:])
    if not match:
        return "", end
    pattern, _ = language_names()
    gloss = (match["bracket"] or match["paren"] or match["meaning"] or "").strip()
    if pattern.fullmatch(gloss.removeprefix("in ").strip()):
        return "", end                         # "(German)": a language, not a gloss
    named = pattern.match(gloss)
    if named and gloss[named.end():].lstrip().startswith("for "):
        gloss = gloss[named.end():].lstrip()[len("for "):].strip()     # (Polish for "…")
    inner = _QUOTE_RE.fullmatch(gloss)
    if inner:
        gloss = next(g for g in inner.groups() if g is not None)
    for start, _, _ in later_quotes:           # a quoted gloss is not another inscription
        if end <= start < end + match.end():
            used.add(start)
    # "(Along this path, in Hebrew)": the language said inside the gloss is not its text
    said = re.search(r",?\s*(?:in\s+)?(\w+)\s*$", gloss)
    if said and said.start() > 0 and pattern.fullmatch(said[1]) and \
            re.search(r"(,|\bin)\s*\w+\s*$", gloss):
        gloss = gloss[:said.start()]
    return gloss.strip(" ,:"), end + match.end()


def _find_nfc(article: Article, text: str) -> int | None:
    normalized = unicodedata.normalize("NFC", article.text)
    offset = normalized.find(unicodedata.normalize("NFC", text))
    return None if offset < 0 else normalized.count("\n", 0, offset) + 1
