"""Features of one retrieval, the evidence that the confidence model weighs.

Each feature is read off what the matcher already has for a question (the ranked hits, the retrieval's
FAQ evidence, the intent verdict, the re-ranker's preference) plus the token sets of every measure and FAQ
entry that the index cut once, so a question costs a few set look-ups. Idf is the index's, counted over
the measures of the whole library, so a document an admin imports brings its own vocabulary.
`FEATURE_NAMES` fixes the order of `Features.values`; the weights file lists the same names and the model
refuses a file that lists others.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from common.ask import Intent
from faq.ranking import Reranked
from faq.retrieve import Index, MeasureHit, Retrieval
from faq.tokenize import Analyzer
from policy_index.document import Measure

FEATURE_NAMES: tuple[str, ...] = (
    "top_score",  # fused score of the first measure
    "margin",  # its lead over the next measure
    "second_ratio",  # next measure's score / top score
    "crowd",  # log(1 + measures within 0.1 of the top)
    "faq_hit",  # 1 when an FAQ passage gave the top score, 0 when the measure's own text did
    "entry_score",  # similarity of the closest FAQ question
    "entry_agrees",  # 1 when the closest FAQ question's entry links the top measure
    "evidence",  # log(1 + idf sum of the question's terms found in the measure texts)
    "coverage",  # idf-weighted share of the question's tokens found in the top measure (and its FAQ entry)
    "word_coverage",  # share of the question's content words found there
    "unknown_share",  # share of the question's content words no measure text contains
    "domain_terms",  # log(1 + lexicon terms among the question's words)
    "domain_covered",  # share of those the top measure contains (1 when there are none)
    "length",  # log(1 + content words)
    "latin_share",  # share of Latin letters among the question's letters
    "same_document",  # share of the top three measures from the top measure's document
    "eligibility",  # 1 when the intent is eligibility
    "service",  # 1 when the intent is service
    "out_of_scope_cue",  # 1 when an out-of-scope cue of the lexicon occurs
    "rank_margin",  # the re-ranker's score of the first measure minus the second's
    "promoted",  # 1 when the re-ranker put first a measure the first ranking did not
    "title_echo",  # how much closer the question is to the first measure's title than to any other candidate's
    "other_title_echo",  # how close it is to the closest other candidate's title
)

# More of these never makes the top measure less likely right: training keeps their weights non-negative.
MONOTONE_FEATURES = frozenset(
    {"top_score", "margin", "coverage", "word_coverage", "domain_covered", "entry_agrees", "rank_margin"}
)

_CROWD_BAND = 0.1
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Features:
    """The feature values of one retrieval, in the order of `FEATURE_NAMES`."""

    values: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        """Feature name → value."""
        return dict(zip(FEATURE_NAMES, self.values, strict=True))


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in phrases)) if phrases else None


class FeatureExtractor:
    """Computes `Features` over one index of measures and FAQ entries (build once per index)."""

    def __init__(
        self,
        index: Index,
        measures: Mapping[str, Measure],
        *,
        analyzer: Analyzer,
        domain_terms: Iterable[str],
        out_of_scope_cues: Sequence[str] = (),
    ) -> None:
        self._analyzer = analyzer
        self._index = index
        self._domain_terms = frozenset(domain_terms)
        self._out_of_scope = _pattern(out_of_scope_cues)
        self._document_of = {measure_id: m.document_id for measure_id, m in measures.items()}

    def extract(
        self,
        normalised: str,
        words: Sequence[str],
        retrieval: Retrieval,
        ranked: Sequence[MeasureHit],
        intent: Intent,
        *,
        reranked: Reranked | None = None,
    ) -> Features:
        """The features of a question (normalised text, content words) given its retrieval, final ranking and the
        re-ranker's preference."""
        top = ranked[0] if ranked else None
        top_score = top.score if top else 0.0
        second = ranked[1].score if len(ranked) > 1 else 0.0
        covered = self._covered(top)
        distinct = set(words)
        idf = {t: self._index.idf(t) for t in self._analyzer.tokens(words)}
        idf_total = sum(idf.values())
        idf_hit = sum(v for t, v in idf.items() if t in covered)
        domain = {w for w in distinct if w in self._domain_terms}
        letters = _LATIN.findall(normalised)
        hanzi = _CJK.findall(normalised)
        entry = retrieval.best_entry
        top_document = self._document_of.get(top.measure_id) if top else None
        head = ranked[:3]
        values = (
            top_score,
            top_score - second,
            second / top_score if top_score else 0.0,
            math.log1p(_crowd(ranked, top_score - _CROWD_BAND)) if top else 0.0,
            1.0 if top and top.faq_id else 0.0,
            retrieval.best_entry_score,
            1.0 if top and entry and top.measure_id in entry.measure_ids else 0.0,
            math.log1p(retrieval.evidence),
            idf_hit / idf_total if idf_total else 0.0,
            sum(1 for w in distinct if w in covered) / len(distinct) if distinct else 0.0,
            sum(1 for w in distinct if not self._index.in_measures(w)) / len(distinct) if distinct else 1.0,
            math.log1p(len(domain)),
            sum(1 for w in domain if w in covered) / len(domain) if domain else 1.0,
            math.log1p(len(words)),
            len(letters) / (len(letters) + len(hanzi)) if letters or hanzi else 0.0,
            sum(1 for h in head if self._document_of.get(h.measure_id) == top_document) / len(head) if head else 0.0,
            1.0 if intent is Intent.ELIGIBILITY else 0.0,
            1.0 if intent is Intent.SERVICE else 0.0,
            1.0 if self._out_of_scope and self._out_of_scope.search(normalised) else 0.0,
            reranked.margin if reranked else 0.0,
            1.0 if reranked and reranked.promoted else 0.0,
            reranked.title_echo if reranked else 0.0,
            reranked.other_title_echo if reranked else 0.0,
        )
        return Features(values)

    def _covered(self, top: MeasureHit | None) -> _Cover:
        empty: frozenset[str] = frozenset()
        if top is None:
            return _Cover(empty, empty)
        entry = self._index.entry_tokens.get(top.faq_id, empty) if top.faq_id else empty
        return _Cover(self._index.measure_tokens.get(top.measure_id, empty), entry)


@dataclass(frozen=True, slots=True)
class _Cover:
    """The tokens of the top measure's text and of the FAQ entry that gave its score."""

    measure: frozenset[str]
    entry: frozenset[str]

    def __contains__(self, token: object) -> bool:
        return token in self.measure or token in self.entry


def _crowd(ranked: Sequence[MeasureHit], floor: float) -> int:
    """How many hits (best first) score at least `floor`."""
    count = 0
    for hit in ranked:
        if hit.score < floor:
            break
        count += 1
    return count
