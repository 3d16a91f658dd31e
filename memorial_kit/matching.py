"""Fuzzy matching of changed messages to their old versions, without an all-pairs scan.

msgmerge compares each new message with every old one (fstrcmp), and so does
``pybabel update`` (difflib): quadratic in the catalog's size.  Here the old
messages go into an inverted index of character trigrams; a new message is
compared only with the few old ones that share the most trigrams with it.

The similarity that decides is msgmerge's: fstrcmp's ``2 * M / T``, where M is
the length of the longest common subsequence of the two strings (what a diff
keeps) and T their total length, with msgmerge's threshold of 0.6.  M is
computed exactly with the bit-parallel LCS-length algorithm (Hyyrö 2004; one
big-integer step per character), which is both faster than difflib and the
real LCS: difflib's ratio undercounts M when the longest block it anchors on
is not part of the best alignment.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict

FUZZY_THRESHOLD = 0.6      # msgmerge's FUZZY_THRESHOLD
CANDIDATES = 8             # old messages compared exactly per new message
POOL = 48                  # at most this many old messages ranked by whole trigram sets,
POOL_SHARE = 0.5           # of those sharing at least half as many probed trigrams as the best
PROBE_MIN = 8              # rarest trigrams of the new text always looked up


def trigrams(text: str) -> set[str]:
    padded = f"  {text.lower()} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _masks(text: str) -> dict[str, int]:
    """For each character, the bit set of its positions in ``text``."""
    masks: dict[str, int] = {}
    for position, char in enumerate(text):
        masks[char] = masks.get(char, 0) | (1 << position)
    return masks


def _lcs_length(masks: dict[str, int], size: int, other: str) -> int:
    """Length of the longest common subsequence of the text of ``masks`` (``size``
    characters) and ``other`` (Hyyrö's bit-vector recurrence)."""
    full = (1 << size) - 1
    v = full
    get = masks.get
    for char in other:
        u = v & get(char, 0)
        if u:
            v = ((v + u) | (v - u)) & full
    return size - v.bit_count()


def lcs_length(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    return _lcs_length(_masks(b), len(b), a) if b else 0


def similarity(a: str, b: str) -> float:
    """2*M/T, M the longest common subsequence: msgmerge's fstrcmp."""
    if not a and not b:
        return 1.0
    return 2 * lcs_length(a, b) / (len(a) + len(b))


def _length_bound(a: int, b: int) -> float:
    """The best 2*M/T two strings of these lengths can reach."""
    return 2 * min(a, b) / (a + b) if a + b else 1.0


class SimilarityIndex:
    """Old messages indexed by trigram; ``best(text)`` gives the closest above threshold.

    A look-up counts, for each old message, how many of the new text's *rarer*
    trigrams it holds (the rarest half: an old message close enough to matter
    shares most of the new text's trigrams, so it shares some of those, and the
    trigrams every message has cost much and say little).  Those with at least
    half the best count (at most POOL, the best) are ranked by the Dice
    coefficient of their whole trigram sets, and the best CANDIDATES of those
    are compared exactly.
    """

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.grams: list[set[str]] = []
        self.lengths = [len(t) for t in texts]
        for number, text in enumerate(texts):
            grams = trigrams(text)
            self.grams.append(grams)
            for gram in grams:
                self.postings[gram].append(number)

    @property
    def sizes(self) -> list[int]:
        return [len(g) for g in self.grams]

    def candidates(self, text: str, threshold: float = FUZZY_THRESHOLD) -> list[int]:
        grams = trigrams(text)
        postings = self.postings
        known = sorted((g for g in grams if g in postings), key=lambda g: len(postings[g]))
        if not known:
            return []
        shared: Counter[int] = Counter()
        for gram in known[:max(PROBE_MIN, (len(known) + 1) // 2)]:
            shared.update(postings[gram])
        # Only old messages whose length lets 2*M/T reach the threshold.
        length, lengths = len(text), self.lengths
        low = length * threshold / (2 - threshold) if threshold < 2 else length
        high = length * (2 - threshold) / threshold if threshold > 0 else float("inf")
        floor = max(shared.values()) * POOL_SHARE
        pool = [n for n, count in shared.items() if count >= floor and low <= lengths[n] <= high]
        if len(pool) > POOL:
            pool = heapq.nlargest(POOL, pool, key=shared.__getitem__)
        size, sets = len(grams), self.grams
        ranked = heapq.nlargest(CANDIDATES, ((len(grams & sets[n]) / (size + len(sets[n])), -n)
                                             for n in pool))
        return [-n for _, n in ranked]

    def best(self, text: str, threshold: float = FUZZY_THRESHOLD) -> tuple[int, float] | None:
        best: tuple[int, float] | None = None
        masks = None
        for number in self.candidates(text, threshold):
            other = self.texts[number]
            total = len(text) + len(other)
            # quick upper bound on the ratio before the exact computation
            bound = _length_bound(len(text), len(other))
            if bound < threshold or (best and bound <= best[1]):
                continue
            if not text or not other:
                score = 1.0 if not total else 0.0
            else:
                if masks is None:
                    masks = _masks(text)
                score = 2 * _lcs_length(masks, len(text), other) / total
            if score >= threshold and (best is None or score > best[1]):
                best = (number, score)
        return best
