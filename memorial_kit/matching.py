"""Fuzzy matching of changed messages to their old versions, without an all-pairs scan.

msgmerge compares each new message with every old one (fstrcmp), and so does
``pybabel update`` (difflib): quadratic in the catalog's size.  Here the old
messages go into an inverted index of character trigrams; a new message is
compared only with the few old ones that share the most trigrams with it, and
the similarity that decides is the same kind msgmerge uses (twice the matched
characters over the total length), with msgmerge's threshold of 0.6.
"""
from __future__ import annotations

import difflib
from collections import Counter, defaultdict

FUZZY_THRESHOLD = 0.6      # msgmerge's FUZZY_THRESHOLD
CANDIDATES = 8             # old messages compared exactly per new message


def trigrams(text: str) -> set[str]:
    padded = f"  {text.lower()} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """2*M/T over matching characters, as msgmerge's fstrcmp and difflib compute it."""
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio()


class SimilarityIndex:
    """Old messages indexed by trigram; ``best(text)`` gives the closest above threshold."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.sizes = []
        for number, text in enumerate(texts):
            grams = trigrams(text)
            self.sizes.append(len(grams))
            for gram in grams:
                self.postings[gram].append(number)
        # Trigrams that occur in a large share of the messages say little and cost much.
        limit = max(50, len(texts) // 10)
        self.common = {g for g, posting in self.postings.items() if len(posting) > limit}

    def candidates(self, text: str) -> list[int]:
        grams = trigrams(text)
        shared: Counter[int] = Counter()
        for gram in grams:
            if gram not in self.common:
                shared.update(self.postings.get(gram, ()))
        if not shared:
            return []
        # Rank by Dice coefficient over trigram sets; length differences count against.
        size = len(grams)
        ranked = sorted(shared, key=lambda n: -2 * shared[n] / (size + self.sizes[n]))
        return ranked[:CANDIDATES]

    def best(self, text: str, threshold: float = FUZZY_THRESHOLD) -> tuple[int, float] | None:
        best: tuple[int, float] | None = None
        for number in self.candidates(text):
            other = self.texts[number]
            # quick upper bound on the ratio before the exact computation
            bound = 2 * min(len(text), len(other)) / (len(text) + len(other) or 1)
            if bound < threshold or (best and bound <= best[1]):
                continue
            score = similarity(text, other)
            if score >= threshold and (best is None or score > best[1]):
                best = (number, score)
        return best
