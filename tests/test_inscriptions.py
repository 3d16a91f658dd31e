"""Carved inscriptions: which text is carved where, and whether an entry holds it."""
import unicodedata
from types import SimpleNamespace

import pytest

from memorial_kit import inscriptions, messages
from memorial_kit.inscriptions import Carving
from memorial_kit.manifest import load_memorial
from memorial_kit.po import Entry

from conftest import ROOT

FRONT_LT = "Tėvynė Lietuva didžiuojasi"


@pytest.fixture(scope="module")
def memorial():
    return load_memorial(ROOT / "seeds" / "vorkuta-uprising", ROOT)


def test_the_yurshor_stone_is_carved_in_lithuanian_and_latin(memorial):
    found = {(c.face, c.locale): c.text for c in inscriptions.carvings([memorial])}
    assert found == {("front", "lt"): FRONT_LT, ("front", "la"): "Patria Lituania superbit",
                     ("back", "lt"): "Tėvynė Lietuva verkia", ("back", "la"): "Patria Lituania flet"}
    lt = inscriptions.carvings([memorial], "lt")
    assert [c.where for c in lt] == ["the front face of yurshor", "the back face of yurshor"]


def test_the_carved_languages_entries_hold_the_carved_text(memorial):
    assert inscriptions.carved_entries([memorial], "lt") == {
        ("inscription: yurshor, front face", "Fatherland Lithuania is proud"): FRONT_LT,
        ("inscription: yurshor, back face", "Fatherland Lithuania mourns"): "Tėvynė Lietuva verkia"}
    assert inscriptions.carves([memorial], "la")
    # Russian is not carved: its catalog translates the glosses like any message
    assert inscriptions.carved_entries([memorial], "ru") == {}
    assert not inscriptions.carves([memorial], "ru") and not inscriptions.carves([], "lt")


def test_every_carved_text_is_quoted_once_per_face(memorial):
    quoted = inscriptions.quoted([memorial])
    assert (FRONT_LT, "the front face of yurshor") in quoted
    assert len(quoted) == len(set(quoted)) == 4


def test_a_face_with_no_gloss_is_carved_but_has_no_entry():
    face = SimpleNamespace(id="top", gloss=None, inscriptions={"lt": "Lietuva"})
    memorial = SimpleNamespace(monuments=[SimpleNamespace(id="stone", faces=[face])])
    assert [c.text for c in inscriptions.carvings([memorial], "lt")] == ["Lietuva"]
    assert inscriptions.carves([memorial], "lt")
    assert inscriptions.carved_entries([memorial], "lt") == {}


def test_a_gloss_limit_grows_to_fit_the_carved_text():
    face = SimpleNamespace(inscriptions={"pl": "Ojczyzna pamięta o swoich synach poległych "
                                                "na dalekiej północy"})
    assert inscriptions.carved_limit(20, face) == len(face.inscriptions["pl"])
    assert inscriptions.carved_limit(200, face) == 200


CARVING = Carving("yurshor", "front", "lt", FRONT_LT, "Fatherland Lithuania is proud")


def test_a_carving_names_its_entry():
    assert CARVING.key == (messages.inscription("yurshor", "front"), CARVING.gloss)


@pytest.mark.parametrize("entry, problem", [
    (None, "absent"),
    (Entry(CARVING.gloss, ""), "empty"),
    (Entry(CARVING.gloss, FRONT_LT, flags=["fuzzy"]), "fuzzy"),
    (Entry(CARVING.gloss, "Tevyne Lietuva didziuojasi"), "changed"),       # lost diacritics
    (Entry(CARVING.gloss, "Fatherland Lithuania is proud"), "changed"),    # a translation
    (Entry(CARVING.gloss, FRONT_LT + " "), "changed"),
    (Entry(CARVING.gloss, FRONT_LT), None),
    (Entry(CARVING.gloss, unicodedata.normalize("NFD", FRONT_LT)), None),  # same letters
    (Entry(CARVING.gloss, msgid_plural="x", msgstr_plural=[FRONT_LT, "y", "z"]), None),
], ids=["absent", "empty", "fuzzy", "diacritics", "translated", "space", "exact", "nfd",
        "plural"])
def test_an_entry_holds_the_stone_letter_for_letter_or_says_what_is_wrong(entry, problem):
    assert inscriptions.problem(entry, CARVING) == problem
