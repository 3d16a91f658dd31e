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
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType

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


def _frozen(value):
    """``value`` that cannot change: lists as tuples, dicts as read-only views of a copy,
    inside them too."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, (dict, MappingProxyType)):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    return value


class _Freezes:
    """A frozen dataclass whose lists and dicts are frozen too, however it is made
    (loaded, or changed with ``dataclasses.replace``)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, (list, tuple, dict, MappingProxyType)):
                object.__setattr__(self, item.name, _frozen(value))


@dataclass(frozen=True)
class Face(_Freezes):
    id: str
    gloss: str
    inscriptions: Mapping[str, str]       # carved language -> carved text (NFC)
    article_lines: Mapping[str, int]      # carved language -> line in the article
    line: int                             # line in memorial.toml

    @property
    def languages(self) -> list[str]:
        return list(self.inscriptions)


@dataclass(frozen=True)
class Monument(_Freezes):
    id: str
    name: str
    caption: str
    sculpture: int | None
    design: int | None
    plaque: int | None
    faces: tuple[Face, ...]
    line: int

    @property
    def carved_languages(self) -> list[str]:
        langs: list[str] = []
        for face in self.faces:
            langs += [lang for lang in face.inscriptions if lang not in langs]
        return langs


@dataclass(frozen=True)
class Fact(_Freezes):
    """A fact a caption prints, as memorial.toml gives it."""
    name: str
    value: object                  # int, float, str, date, or (date, date) for a period
    format: str                    # one of FACT_FORMATS
    line: int = 0                  # line in memorial.toml


@dataclass(frozen=True)
class Killed:
    """A count of the killed and whose count it is, for the fact box."""
    count: int
    source: str
    line: int                      # line of the source in memorial.toml


@dataclass(frozen=True)
class Facts(_Freezes):
    """The [facts] table: what the fact box prints in place of the infobox's text."""
    start: Fact | None = None
    end: Fact | None = None
    killed: tuple[Killed, ...] = ()


@dataclass(frozen=True)
class LabelRow(_Freezes):
    date: dt.date
    text: str
    facts: tuple[Fact, ...]
    line: int


@dataclass(frozen=True)
class Label(_Freezes):
    id: str
    title: str
    text: str
    facts: tuple[Fact, ...]
    rows: tuple[LabelRow, ...]
    monument: str | None
    line: int


@dataclass(frozen=True)
class Memorial(_Freezes):
    """A memorial's edition: loaded once (manifest.py), then never changed."""
    slug: str
    folder: Path
    manifest_path: Path
    title: str
    domain: str
    source_locale: str
    locales: tuple[str, ...]
    article: Article
    provenance: Provenance
    print: PrintSetup
    infobox_skip: tuple[str, ...]
    infobox_structured: Mapping[str, str]
    infobox_labels: Mapping[str, str]
    facts: Facts
    monuments: tuple[Monument, ...]
    labels: tuple[Label, ...]
    label_pairs: tuple[tuple[str, str], ...]
    names: Mapping[str, Mapping[str, str]]
    online_base_url: str | None
    findings: tuple[SourceFinding, ...] = ()
    locales_line: int = 0               # line of memorial.locales in memorial.toml

    @property
    def article_path(self) -> str:
        return self.article.path

    def monument(self, monument_id: str) -> Monument:
        return next(m for m in self.monuments if m.id == monument_id)
