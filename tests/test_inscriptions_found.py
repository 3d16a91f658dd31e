"""Carved inscriptions in the phrasings articles use."""
import pytest

from memorial_kit.article import parse_article
from memorial_kit.inscriptions_found import find_monuments


def faces(body: str):
    monuments, skipped = find_monuments(parse_article(f"= A memorial =\n\n{body}\n"))
    return [(f.id, f.inscriptions, f.gloss) for m in monuments for f in m.faces], skipped


@pytest.mark.parametrize("body, expected", [
    ("The stone reads, in Latvian «Mēs atceramies» [We remember].",
     [("front", {"lv": "Mēs atceramies"}, "We remember")]),
    ("The monument is inscribed in French: “Souviens-toi” (Remember).",
     [("front", {"fr": "Souviens-toi"}, "Remember")]),
    ("The Polish text reads „Pamiętamy” meaning “We remember”.",
     [("front", {"pl": "Pamiętamy"}, "We remember")]),
    ("The memorial stone bears «Kaotatud, kuid mitte unustatud» in Estonian.",
     [("front", {"et": "Kaotatud, kuid mitte unustatud"}, "")]),
    ("On its base the plaque reads ‚Nie wieder‘ (German) [Never again].",
     [("base", {"de": "Nie wieder"}, "Never again")]),
    ("The reverse is engraved in Czech ‹Nezapomeneme›.",
     [("reverse", {"cs": "Nezapomeneme"}, "")]),
    ('Beneath the statue, in Italian "Mai più" [Never again].',
     [("base", {"it": "Mai più"}, "Never again")]),
])
def test_quotes_language_positions_faces_and_glosses(body, expected):
    found, _ = faces(body)
    assert found == expected


def test_hebrew_letters_are_hebrew_or_yiddish_to_confirm():
    monuments, _ = find_monuments(parse_article(
        "= A memorial =\n\nThe plaque bears «זכור» [Remember].\n"))
    face = monuments[0].faces[0]
    assert face.inscriptions == {"he": "זכור"}
    assert any("Hebrew or Yiddish" in note for note in face.notes)
    yiddish, _ = faces("The stone reads «מיר װעלן געדענקען» [We will remember].")
    assert yiddish[0][1] == {"yi": "מיר װעלן געדענקען"}


def test_texts_with_different_glosses_are_different_faces_and_shared_ones_one():
    found, _ = faces("The plaque reads in Polish «Pamięci ofiar» [To the memory of the victims] "
                     "and in Hebrew «לזכר» [In memory].")
    assert found == [("front", {"pl": "Pamięci ofiar"}, "To the memory of the victims"),
                     ("front-2", {"he": "לזכר"}, "In memory")]
    shared, _ = faces("The plaque reads in Polish «Pamięci» [In memory] and in Hebrew «לזכר» "
                      "[In memory].")
    assert shared == [("front", {"pl": "Pamięci", "he": "לזכר"}, "In memory")]


def test_a_quote_with_no_language_is_skipped_with_the_reason():
    found, skipped = faces('The workers called the quarry "the Pit". The memorial reads "Rest".')
    assert found == []
    assert [(s.text, s.why.split(",")[0]) for s in skipped] == [
        ("the Pit", "no language named before or after it"),
        ("Rest", "no language named before or after it")]


def test_each_section_is_a_monument():
    monuments, _ = find_monuments(parse_article(
        "= Two memorials =\n\n==The gate==\nThe gate reads in German «Nie wieder» [Never again]."
        "\n\n==The stone==\nThe stone reads in Dutch «Nooit meer» [Never again].\n"))
    assert [(m.heading, list(m.faces[0].inscriptions)) for m in monuments] == [
        ("The gate", ["de"]), ("The stone", ["nl"])]


def test_of_two_languages_named_the_one_of_the_texts_script():
    found, _ = faces("On the wall the inscription in Polish and Hebrew reads: „Tą drogą” "
                     "(Along this path).")
    assert found == [("front", {"pl": "Tą drogą"}, "Along this path")]


@pytest.mark.parametrize("body, expected", [
    ('The plaque bears the words "Nigdy więcej" (Polish for "Never again").',
     [("front", {"pl": "Nigdy więcej"}, "Never again")]),
    ("The stone is inscribed in Czech «Nezapomeneme», which translates as We will not forget.",
     [("front", {"cs": "Nezapomeneme"}, "We will not forget")]),
])
def test_more_gloss_phrasings(body, expected):
    found, _ = faces(body)
    assert found == expected
