"""Features of each candidate measure, the evidence that the learned re-ranker weighs.

For the best measures of the first ranking, what the index already knows about each: the scores of its
own title and text and of the FAQ passages linking it; which share of the question's terms it holds,
weighted by idf over the library's measures, and of its character pairs (robust to a word cut otherwise
or run into its neighbours); whether the question names its document's level, number or place and the
numbers the measure states; whether the closest FAQ question's entry links it. Everything is read off the
index built once, so a question costs set look-ups.
`CANDIDATE_FEATURES` fixes the order of each row; the weights file lists the same names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from common.documents import DocumentLevel, DocumentStatus
from faq.bm25 import inverse_frequency
from faq.retrieve import Index, MeasureHit, Retrieval
from faq.sources import Sources

CANDIDATE_FEATURES: tuple[str, ...] = (
    "score",  # fused score of the first ranking
    "ratio",  # that score over the first hit's
    "title",  # fused score of the measure's own title
    "text",  # BM25 of its own text (with its document's title and issuer)
    "question",  # best fused score of an FAQ question linking it
    "answer",  # best BM25 of an FAQ answer linking it
    "coverage",  # idf share of the question's terms its own text holds
    "faq_coverage",  # idf share its text or the FAQ entries linking it hold
    "document_coverage",  # idf share its document's title and issuer hold (a place: 双流, 郫都)
    "pair_coverage",  # idf share of the question's Chinese character pairs its text holds
    "numbers",  # share of the question's numbers its text states
    "title_similarity",  # rapidfuzz partial ratio of the question's content words and the title's
    "from_faq",  # 1 when an FAQ passage gave its score
    "entry_first",  # 1 when the closest FAQ question's entry links it first
    "entry_other",  # 1 when that entry links it, not first
    "has_faq",  # 1 when some FAQ entry links it
    "draft",  # 1 when its document is a draft
    "level_named",  # 1 when the question names its document's level (区里, 省里)
    "number_named",  # 1 when the question names its document's number (川府发2026 8号)
    "category",  # 1 when it covers the service category asked for (learned from the FAQ's service entries)
)

# More of these never makes a candidate less likely the answer: training keeps their weights non-negative.
MONOTONE_CANDIDATE_FEATURES = frozenset(
    {
        "title",
        "text",
        "coverage",
        "faq_coverage",
        "document_coverage",
        "pair_coverage",
        "numbers",
        "title_similarity",
        "level_named",
        "number_named",
        "category",
    }
)

Row = tuple[float, ...]
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Question:
    """What the re-ranker knows of a question besides its first ranking."""

    normalised: str
    retrieval: Retrieval
    levels: frozenset[DocumentLevel] = frozenset()
    named_documents: frozenset[str] = frozenset()  # documents whose number the question names
    category_measures: frozenset[str] = frozenset()  # measures covering the service category asked for
    content: str = ""  # the question's content words joined


def _pairs(text: str) -> frozenset[str]:
    """The pairs of adjacent Chinese characters in `text`."""
    return frozenset(text[i : i + 2] for i in range(len(text) - 1) if _is_han(text[i]) and _is_han(text[i + 1]))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


class CandidateFeatures:
    """Computes candidate rows over one index and its documents (build once per index)."""

    def __init__(self, index: Index, sources: Sources) -> None:
        self._index = index
        self._sources = sources
        self._pairs = {measure_id: _pairs(text) for measure_id, text in index.texts.items()}
        frequency: dict[str, int] = {}
        for pairs in self._pairs.values():
            for pair in pairs:
                frequency[pair] = frequency.get(pair, 0) + 1
        count = len(self._pairs)
        self._pair_idf = {p: inverse_frequency(count, df) for p, df in frequency.items()}
        self._unknown_pair_idf = inverse_frequency(count, 0)

    def rows(self, question: Question, hits: Sequence[MeasureHit]) -> list[Row]:
        """One row of `CANDIDATE_FEATURES` per hit, in order."""
        index, retrieval = self._index, question.retrieval
        parts = retrieval.parts
        idf = {t: index.idf(t) for t in retrieval.tokens}  # in the question's order: sums are the same every run
        held = [index.measure_tokens.get(h.measure_id, _NONE) for h in hits]
        pairs = {p: self._pair_idf.get(p, self._unknown_pair_idf) for p in sorted(_pairs(question.normalised))}
        totals = (sum(idf.values()) or 1.0, sum(pairs.values()) or 1.0)
        numbers = [t for t in idf if any(c.isdigit() for c in t)]
        top = hits[0].score if hits else 0.0
        entry = retrieval.best_entry
        linked = entry.measure_ids if entry else ()
        rows: list[Row] = []
        for hit, own in zip(hits, held, strict=True):
            measure_id = hit.measure_id
            document_id = measure_id.rpartition("#")[0]
            ref = self._sources.refs.get(document_id)
            faq = index.linked_tokens.get(measure_id, _NONE)
            place = index.document_tokens.get(document_id, _NONE)
            pair_set = self._pairs.get(measure_id, _NONE)
            rows.append(
                (
                    hit.score,
                    hit.score / top if top else 0.0,
                    parts.title.get(measure_id, 0.0),
                    parts.text.get(measure_id, 0.0),
                    parts.question.get(measure_id, 0.0),
                    parts.answer.get(measure_id, 0.0),
                    parts.coverage.get(measure_id, 0.0),
                    sum(w for t, w in idf.items() if t in own or t in faq) / totals[0],
                    sum(w for t, w in idf.items() if t in place) / totals[0],
                    sum(w for p, w in pairs.items() if p in pair_set) / totals[1],
                    sum(1 for t in numbers if t in own) / len(numbers) if numbers else 0.0,
                    fuzz.partial_ratio(question.content, index.title_content.get(measure_id, "")) / 100.0,
                    1.0 if hit.faq_id else 0.0,
                    1.0 if linked and linked[0] == measure_id else 0.0,
                    1.0 if measure_id in linked[1:] else 0.0,
                    1.0 if faq else 0.0,
                    1.0 if ref is not None and ref.status is DocumentStatus.DRAFT else 0.0,
                    1.0 if ref is not None and ref.level in question.levels else 0.0,
                    1.0 if document_id in question.named_documents else 0.0,
                    1.0 if measure_id in question.category_measures else 0.0,
                )
            )
        return rows
