"""Okapi BM25 over token lists, with scores normalised to [0, 1]."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

K1 = 1.2
B = 0.75
# A term in more documents than this (and than COMMON_SHARE of them) is too common to rank by: it is
# skipped when accumulating (bounding the work per query on large FAQs) but still counts in the norm.
COMMON_POSTINGS = 2000
COMMON_SHARE = 0.05


def inverse_frequency(count: int, frequency: int) -> float:
    """BM25's idf of a term held by `frequency` of `count` documents (0 for an unseen term)."""
    return math.log(1.0 + (count - frequency + 0.5) / (frequency + 0.5))


class Bm25:
    """An inverted index of precomputed BM25 term weights."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = K1, b: float = B) -> None:
        count = len(documents)
        average = sum(len(d) for d in documents) / count if count else 0.0
        frequencies: dict[str, int] = Counter(t for d in documents for t in set(d))
        self._idf = {t: inverse_frequency(count, df) for t, df in frequencies.items()}
        self._unknown_idf = inverse_frequency(count, 0)
        postings: dict[str, list[tuple[int, float]]] = {}
        for index, document in enumerate(documents):
            norm = k1 * (1.0 - b + b * len(document) / average) if average else k1
            for term, tf in Counter(document).items():
                weight = self._idf[term] * tf * (k1 + 1.0) / (tf + norm)
                postings.setdefault(term, []).append((index, weight))
        self._postings = {t: tuple(p) for t, p in postings.items()}
        self._holders = {t: tuple(i for i, _ in p) for t, p in postings.items()}
        self._common = frozenset(
            t for t, p in postings.items() if len(p) > COMMON_POSTINGS and len(p) > COMMON_SHARE * count
        )
        self.size = count

    def idf(self, term: str) -> float:
        """The term's inverse document frequency (that of a one-off term when unseen)."""
        return self._idf.get(term, self._unknown_idf)

    def knows(self, term: str) -> bool:
        """Whether the term occurs in some document."""
        return term in self._idf

    def evidence(self, query: Sequence[str]) -> float:
        """The idf sum of the query's distinct terms that occur in some document."""
        return sum(self._idf[t] for t in dict.fromkeys(query) if t in self._idf)

    def coverage(self, query: Sequence[str]) -> dict[int, float]:
        """Document index → the idf share of the query's distinct known terms that the document contains."""
        terms = [t for t in dict.fromkeys(query) if t in self._idf]  # ordered: sums come out the same every run
        total = sum(self._idf[t] for t in terms)
        if not total:
            return {}
        found: dict[int, float] = {}
        for term in terms:
            idf = self._idf[term]
            for index in self._holders.get(term, ()):
                found[index] = found.get(index, 0.0) + idf
        return {i: s / total for i, s in found.items()}

    def scores(self, query: Sequence[str], *, limit: int | None = None) -> dict[int, float]:
        """Document index → score in [0, 1]: BM25 over the query's distinct terms, divided by their idf sum.

        With `limit`, only the `limit` best documents.
        """
        terms = dict.fromkeys(query)  # ordered: sums come out the same every run
        total = sum(self.idf(t) for t in terms)
        if not total:
            return {}
        scores: dict[int, float] = {}
        for term in (t for t in terms if t not in self._common):
            for index, weight in self._postings.get(term, ()):
                scores[index] = scores.get(index, 0.0) + weight
        items = scores.items() if limit is None else heapq.nlargest(limit, scores.items(), key=lambda kv: kv[1])
        return {i: min(1.0, s / total) for i, s in items}
