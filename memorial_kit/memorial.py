"""The document model: a memorial's edition, as :mod:`manifest` reads it from
memorial.toml and the seed article.

The manifest describes an edition: its gettext domain and locales, the article's
provenance for the credit line, the monuments and their carved inscriptions, the
exhibit labels and the facts they print.  This module holds what those are, and
reads no file.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article, SourceFinding

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

FACT_FORMATS = {"number", "year", "date", "month-year", "period", "text"}
# The faces of a monument: templates/macros.html.j2 prints each one's translatable name.
# A monument with two faces of one kind numbers the second ("front-2"), as drafting does.
FACE_IDS = ("front", "back", "obverse", "reverse", "left", "right", "side", "top", "base",
            "pedestal", "plinth")
_FACE_ID_RE = re.compile(r"^(?P<kind>[a-z]+)(?:-[0-9]+)?$")


def face_kind(face_id: str) -> str | None:
    """The kind of face ``face_id`` names ("front" for "front" and "front-2"), or None."""
    match = _FACE_ID_RE.match(face_id)
    return match["kind"] if match and match["kind"] in FACE_IDS else None


@dataclass(frozen=True)
class Provenance:
    """Where the article comes from.  A field the article does not state stays empty: the
    kit never invents an origin, and a product with a credit line is not built without
    a licence (see :meth:`missing_for_credit`)."""
    title: str
    publisher: str
    licence: str
    licence_url: str
    url: str
    lines: tuple[tuple[str, int], ...] = ()        # (key, line in memorial.toml)

    def missing_for_credit(self) -> list[tuple[str, int]]:
        """(key, line) of each field a credit line cannot be printed without."""
        where = dict(self.lines)
        return [(f"provenance.{key}", where.get(key, 0))
                for key in ("licence", "publisher", "title") if not getattr(self, key).strip()]


@dataclass(frozen=True)
class PrintSetup:
    leaflet: str = "A5"
    plaque_mm: tuple[float, float] = (600, 400)
    label_mm: tuple[float, float] = (120, 80)
    sheet: str = "A4"
    bleed_mm: float = 3
    font: str = "DejaVu Serif"
    # Which press and archive grade PDFs to make (README: "For print shops and archives").
    press: bool = True                  # dist/<memorial>/press/: PDF/X-4, one item a page
    accessible: bool = True             # leaflet.pdf as PDF/UA-1
    archive: bool = True                # leaflet.archive.pdf: PDF/A-3 with its sources
    icc_profile: str = "color/sRGB.icc"     # the press files' output intent, in templates/


@dataclass
class Face:
    id: str
    gloss: str
    inscriptions: dict[str, str]          # carved language -> carved text (NFC)
    article_lines: dict[str, int]         # carved language -> line in the article
    line: int                             # line in memorial.toml

    @property
    def languages(self) -> list[str]:
        return list(self.inscriptions)


@dataclass
class Monument:
    id: str
    name: str
    caption: str
    sculpture: int | None
    design: int | None
    plaque: int | None
    faces: list[Face]
    line: int

    @property
    def carved_languages(self) -> list[str]:
        langs: list[str] = []
        for face in self.faces:
            langs += [lang for lang in face.inscriptions if lang not in langs]
        return langs


@dataclass
class Fact:
    name: str
    value: object                  # int, str, date, or (date, date) for a period
    format: str                    # one of FACT_FORMATS


@dataclass
class LabelRow:
    date: dt.date
    text: str
    facts: list[Fact]
    line: int


@dataclass
class Label:
    id: str
    title: str
    text: str
    facts: list[Fact]
    rows: list[LabelRow]
    monument: str | None
    line: int


@dataclass
class Memorial:
    slug: str
    folder: Path
    manifest_path: Path
    title: str
    domain: str
    source_locale: str
    locales: list[str]
    article: Article
    provenance: Provenance
    print: PrintSetup
    infobox_skip: list[str]
    infobox_structured: dict[str, str]
    infobox_labels: dict[str, str]
    facts: dict[str, object]
    monuments: list[Monument]
    labels: list[Label]
    label_pairs: list[tuple[str, str]]
    names: dict[str, dict[str, str]]
    online_base_url: str | None
    findings: list[SourceFinding] = field(default_factory=list)

    @property
    def article_path(self) -> str:
        return self.article.path

    def monument(self, monument_id: str) -> Monument:
        return next(m for m in self.monuments if m.id == monument_id)

    def carved_texts(self) -> dict[str, set[str]]:
        """language -> every text carved in it, for the inscription lock."""
        carved: dict[str, set[str]] = {}
        for monument in self.monuments:
            for face in monument.faces:
                for lang, text in face.inscriptions.items():
                    carved.setdefault(lang, set()).add(text)
        return carved
