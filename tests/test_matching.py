"""The fuzzy matcher behind 'update': msgmerge's similarity, found without an all-pairs scan."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from memorial_kit.matching import FUZZY_THRESHOLD, SimilarityIndex, lcs_length, similarity

WORDS = ("camp inmates strike uprising mine coal guards prisoners amnesty department "
         "administration shooting monument plaque memorial victims bronze figure pillars "
         "arcs honours Lithuanian Latvian priest participant notable arrested released "
         "storm punitive compound orders fire wounded killed spot according mass arrests "
         "chief begins first one special timber separate built worked cut held in the of "
         "and a to was by on at from with for after two weeks bloodless standoff").split()


def _lcs_table(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for char_a in a:
        current = [0]
        for j, char_b in enumerate(b):
            current.append(previous[j] + 1 if char_a == char_b else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < count:
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 25))]
        text = " ".join(words).capitalize() + "."
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _change_one_word(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    index = rng.randrange(1, len(words) - 1)
    replacement = rng.choice([w for w in WORDS if w != words[index]])
    return " ".join(words[:index] + [replacement] + words[index + 1:])


@given(st.text(alphabet="abcé ,.", max_size=30), st.text(alphabet="abcé ,.", max_size=30))
@settings(max_examples=300, deadline=None)
def test_lcs_length_is_the_longest_common_subsequence(a, b):
    assert lcs_length(a, b) == _lcs_table(a, b) == lcs_length(b, a)


def test_similarity_is_fstrcmp_ratio():
    assert similarity("", "") == 1.0
    assert similarity("abc", "") == 0.0
    assert similarity("same text", "same text") == 1.0
    # LCS "acd" of "abcd" and "acde": 2*3/8, where difflib's matching blocks would also say so
    assert similarity("abcd", "acde") == 0.75
    # the real LCS, not difflib's greedy blocks: "xaaaa" vs "aaaax" share 4 of 5
    assert similarity("xaaaa", "aaaax") == 0.8


def test_one_word_changed_matches_its_origin():
    old = ["The camp administration suppressed the uprising by force.",
           "Lavrentiy Beria is arrested.",
           "A bronze mourning figure among iron pillars joined by arcs."]
    index = SimilarityIndex(old)
    found = index.best("The camp administration crushed the uprising by force.")
    assert found is not None
    assert found[0] == 0 and FUZZY_THRESHOLD <= found[1] < 1.0


def test_an_unrelated_message_does_not_match():
    index = SimilarityIndex(["The camp administration suppressed the uprising by force.",
                             "Lavrentiy Beria is arrested."])
    assert index.best("Print the labels on A4 sheets with crop marks.") is None
    assert index.best("") is None
    assert SimilarityIndex([]).best("anything") is None


def test_a_short_message_of_common_trigrams_is_still_found():
    # "the", "and", "of" are in every old message, so their trigrams are all "common"
    filler = [f"the {w} and of the {w} and of the {w}" for w in WORDS[:60]]
    index = SimilarityIndex(filler + ["the and of"])
    found = index.best("the and of.")
    assert found is not None and found[0] == len(filler)


def test_an_index_over_10000_messages_answers_correctly():
    rng = random.Random(7)
    old = _sentences(10_000, seed=3)
    index = SimilarityIndex(old)
    picked = rng.sample(range(len(old)), 60)
    for number in picked:
        edited = _change_one_word(old[number], rng)
        found = index.best(edited)
        assert found is not None, edited
        # the origin, or an old message at least as close as the origin (the vocabulary is small)
        assert found[0] == number or found[1] >= similarity(edited, old[number]), edited
    hits = sum(1 for number in picked
               if (index.best(_change_one_word(old[number], random.Random(number))) or (-1,))[0]
               == number)
    assert hits >= 57
    unrelated = "Sphinx builds HTML pages; WeasyPrint lays them out as PDF."
    assert index.best(unrelated) is None


def test_best_is_the_highest_score_among_candidates():
    old = ["The first strike begins in one camp department.",
           "The first strike begins in one camp.",
           "The first strike begins."]
    index = SimilarityIndex(old)
    found = index.best("The first strike begins in one camp departments.")
    assert found[0] == 0
    assert found[1] == similarity("The first strike begins in one camp departments.", old[0])
