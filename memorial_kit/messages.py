"""Message contexts: how a memorial's message says where it is printed.

Every msgctxt the kit gives a memorial's messages is spelled here, and read back
here: extract writes them into the .pot, the renderer and the checks look
entries up by them, and a translator sees them in Poedit or Weblate.  Their
spelling is part of every catalog ever written, so it never changes.

- ``inscription: {id}, {face} face``: a face's gloss (a carved language's entry
  holds the carved text);
- ``label: {id}, {part}``: an exhibit label's ``title``, ``text`` or timeline row
  (``part`` is its ISO date);
- ``monument: {id}, name`` and ``monument: {id}, caption``: a monument's name, and
  the caption under a plaque's inscriptions;
- ``infobox: {key}``: a value of the article's fact box;
- ``infobox label``: the name of a fact box field;
- ``fact source``: whose count of the dead a toll is.

The ids are manifest ids (letters, digits, ``-`` and ``_``: never ``", "``);
an infobox key is the article's and may hold anything, so it comes last.
"""
from __future__ import annotations

from dataclasses import dataclass

INSCRIPTION = "inscription"
LABEL = "label"
MONUMENT = "monument"
INFOBOX = "infobox"
INFOBOX_LABEL = "infobox label"
FACT_SOURCE = "fact source"

LABEL_TITLE, LABEL_TEXT = "title", "text"
MONUMENT_PARTS = ("name", "caption")
_FACE_SUFFIX = " face"


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------
def inscription(monument_id: str, face_id: str) -> str:
    """The context of the gloss of one face of a monument."""
    return f"{INSCRIPTION}: {monument_id}, {face_id}{_FACE_SUFFIX}"


def label(label_id: str, part: str) -> str:
    """The context of a label's ``title``, ``text`` or timeline row (its ISO date)."""
    return f"{LABEL}: {label_id}, {part}"


def monument_name(monument_id: str) -> str:
    return _monument(monument_id, "name")


def monument_caption(monument_id: str) -> str:
    return _monument(monument_id, "caption")


def _monument(monument_id: str, part: str) -> str:
    return f"{MONUMENT}: {monument_id}, {part}"


def infobox(key: str) -> str:
    """The context of the fact box's value of the field ``key``."""
    return f"{INFOBOX}: {key}"


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """A parsed msgctxt: ``what`` (one of the kinds above) and the ids it names:
    (monument, face), (label, part), (monument, part), (key,) or ()."""
    what: str
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The context spelled again, as :func:`parse` read it."""
        spell = {INSCRIPTION: inscription, LABEL: label, INFOBOX: infobox,
                 MONUMENT: _monument}
        return spell[self.what](*self.ids) if self.what in spell else self.what


def parse(ctxt: str | None) -> Context | None:
    """The kit's context ``ctxt`` read back; None for no context, a template's own
    context (``monument face``) or a malformed one."""
    if ctxt in (INFOBOX_LABEL, FACT_SOURCE):
        return Context(ctxt)
    what, sep, rest = (ctxt or "").partition(": ")
    if not sep or not rest:
        return None
    if what == INFOBOX:
        return Context(INFOBOX, (rest,))
    first, sep, last = rest.rpartition(", ")
    if not (sep and first and last) or "," in last:
        return None
    if what == INSCRIPTION and last.endswith(_FACE_SUFFIX):
        face = last[:-len(_FACE_SUFFIX)]
        return Context(INSCRIPTION, (first, face)) if face else None
    if what == LABEL:
        return Context(LABEL, (first, last))
    if what == MONUMENT and last in MONUMENT_PARTS:
        return Context(MONUMENT, (first, last))
    return None


def is_inscription(ctxt: str | None) -> bool:
    """``ctxt`` is an inscription's (a carved language's entry holds the carved text)."""
    found = parse(ctxt)
    return found is not None and found.what == INSCRIPTION


def is_label_caption(ctxt: str | None) -> bool:
    """``ctxt`` is a label's text or timeline row: the texts with {fact} placeholders."""
    found = parse(ctxt)
    return found is not None and found.what == LABEL and found.ids[1] != LABEL_TITLE
