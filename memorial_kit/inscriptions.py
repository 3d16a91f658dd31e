"""Carved inscriptions: which text is carved, in which language, and whether a catalog
holds it.

A face of a monument carries an English gloss (the message translators see, under
its :func:`messages.inscription` context) and, for each language carved on it, the
text on the stone (the manifest's, NFC, checked against the article).  In the
catalog of a carved language the gloss's entry holds the carved text letter for
letter: ``init``, ``update`` and ``pseudo`` put it there, the checks verify it, and
the products print the stone's text whatever a catalog says.  Every other language
translates the gloss.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import messages


@dataclass(frozen=True)
class Carving:
    """The text carved on one face of a monument in one language."""
    monument: str
    face: str
    locale: str
    text: str
    gloss: str          # "" for a face with no gloss (it has no message)

    @property
    def key(self) -> tuple[str, str]:
        """The (msgctxt, msgid) of the entry that holds it in its language's catalog."""
        return (messages.inscription(self.monument, self.face), self.gloss)

    @property
    def where(self) -> str:
        return f"the {self.face} face of {self.monument}"


def carvings(memorials, locale: str | None = None) -> list[Carving]:
    """Every carved text of ``memorials`` (only those in ``locale``, when given)."""
    return [Carving(monument.id, face.id, code, text, face.gloss or "")
            for memorial in memorials for monument in memorial.monuments
            for face in monument.faces for code, text in face.inscriptions.items()
            if locale is None or code == locale]


def carved_entries(memorials, locale: str) -> dict[tuple, str]:
    """(msgctxt, msgid) -> carved text: the entries of ``locale``'s catalog that hold
    a carved text (a face with no gloss has none)."""
    return {c.key: c.text for c in carvings(memorials, locale) if c.gloss}


def carves(memorials, locale: str) -> bool:
    """``locale`` is carved on a monument of ``memorials``."""
    return bool(carvings(memorials, locale))


def quoted(memorials) -> list[tuple[str, str]]:
    """(carved text, where it is carved), each text once per face: what a message that
    quotes an inscription must keep letter for letter."""
    seen: dict[tuple, None] = {}
    for carving in carvings(memorials):
        seen.setdefault((carving.text, carving.where), None)
    return list(seen)


def carved_limit(limit: int, face) -> int:
    """A gloss's length limit, or more: the carved languages' entries hold the carved text."""
    return max([limit] + [len(text) for text in face.inscriptions.values()])


def problem(entry, carving: Carving) -> str | None:
    """What is wrong with the catalog ``entry`` that must hold ``carving``: ``absent``
    (no entry), ``empty``, ``fuzzy`` (fuzzy text is never printed), ``changed`` (not the
    stone's text, once both are NFC), or None: it holds the carved text."""
    if entry is None:
        return "absent"
    text = entry.msgstr if entry.msgid_plural is None else entry.first_msgstr
    if not text:
        return "empty"
    if entry.fuzzy:
        return "fuzzy"
    if unicodedata.normalize("NFC", text) != carving.text:
        return "changed"
    return None
