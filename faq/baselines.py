"""Three simple rankers over the measure texts (title + body), the yardsticks of `zonedesk eval`.

- `rapidfuzz`: `fuzz.partial_ratio` of the raw question against each measure text;
- `bm25-jieba`: BM25 over tokens of jieba's default dictionary (no domain dictionary, no normalisation);
- `bm25-bigram`: BM25 over character bigrams of the lower-cased text, spaces and punctuation dropped.
They rank measures only: no intent, no category, no notion of out of scope or confidence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

import jieba
from rapidfuzz import fuzz

from faq.bm25 import Bm25
from faq.tokenize import load_dictionary
from policy_index.document import Measure

Ranker = Callable[[str], tuple[str, ...]]


def _plain(text: str) -> str:
    return "".join(c for c in text.lower() if unicodedata.category(c)[0] not in "PSZC")


def bigrams(text: str) -> tuple[str, ...]:
    """Overlapping character bigrams (the lone character of a one-character text)."""
    plain = _plain(text)
    return tuple(plain[i : i + 2] for i in range(len(plain) - 1)) or ((plain,) if plain else ())


def _bm25_ranker(measures: Sequence[Measure], cut: Callable[[str], tuple[str, ...]]) -> Ranker:
    ids = tuple(m.id for m in measures)
    index = Bm25([cut(f"{m.title}。{m.body}") for m in measures])

    def rank(question: str) -> tuple[str, ...]:
        scores = index.scores(cut(question))
        return tuple(ids[i] for i in sorted(scores, key=lambda i: (-scores[i], i)))

    return rank


def rapidfuzz_ranker(measures: Sequence[Measure]) -> Ranker:
    """Rank by `fuzz.partial_ratio` against title and body."""
    texts = tuple((m.id, f"{m.title}。{m.body}") for m in measures)

    def rank(question: str) -> tuple[str, ...]:
        scored = sorted(((-fuzz.partial_ratio(question, text), i, mid) for i, (mid, text) in enumerate(texts)))
        return tuple(mid for _, _, mid in scored)

    return rank


def jieba_ranker(measures: Sequence[Measure]) -> Ranker:
    """BM25 over plain jieba tokens (a fresh default tokenizer, its dictionary parsed without a disk cache)."""
    tokenizer = jieba.Tokenizer()
    load_dictionary(tokenizer, None)

    def cut(text: str) -> tuple[str, ...]:
        return tuple(t for t in tokenizer.cut(text.lower()) if _plain(t))

    return _bm25_ranker(measures, cut)


def bigram_ranker(measures: Sequence[Measure]) -> Ranker:
    """BM25 over character bigrams."""
    return _bm25_ranker(measures, bigrams)


BASELINES: dict[str, Callable[[Sequence[Measure]], Ranker]] = {
    "rapidfuzz": rapidfuzz_ranker,
    "bm25-jieba": jieba_ranker,
    "bm25-bigram": bigram_ranker,
}
