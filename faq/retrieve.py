"""Ranked retrieval of measures: BM25 over normalised tokens fused with rapidfuzz, aggregated to measures.

Passages are measure titles and bodies and FAQ questions, variants and answers; an FAQ passage
scores for the measures its entry links to. The index is built from the entries the caller supplies
(the bundled YAML now, the database later) and is cheap to rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from faq.bm25 import Bm25
from faq.entries import FaqEntry
from faq.tokenize import Analyzer
from policy_index.document import Measure

_Normalise = Callable[..., str]


@dataclass(frozen=True, slots=True)
class Weights:
    """Knobs of the fusion, chosen on the dev set."""

    bm25: float = 0.6  # share of BM25 in a question-like passage's score; the rest is rapidfuzz
    text: float = 0.7  # factor on measure bodies and FAQ answers (BM25 only)
    secondary_link: float = 0.9  # factor for an FAQ entry's second and later measures
    candidates: int = 64  # BM25 candidates re-scored with rapidfuzz
    # A measure keeps 1 - coverage of its score, plus coverage times the idf share (over the measures) of
    # the question's terms its own text holds: a term only one measure uses is strong evidence for it.
    coverage: float = 0.5
    faq: float = 0.8  # factor on FAQ passages: a document's own text outweighs another document's FAQ


@dataclass(frozen=True, slots=True)
class Passage:
    """One retrievable text, already analysed."""

    content: str  # content words joined, for rapidfuzz
    tokens: tuple[str, ...]
    measure_ids: tuple[str, ...]
    faq_id: str | None


@dataclass(frozen=True, slots=True)
class MeasureHit:
    """A measure's fused score in [0, 1], and the FAQ entry that gave it (None: the measure's own text)."""

    measure_id: str
    score: float
    faq_id: str | None


@dataclass(frozen=True, slots=True)
class Parts:
    """Where each measure's score came from (measure id → score; absent: that kind of passage did not match)."""

    title: dict[str, float] = field(default_factory=dict)  # fused score of the measure's own title
    text: dict[str, float] = field(default_factory=dict)  # BM25 of its own text (document title, title, body)
    question: dict[str, float] = field(default_factory=dict)  # best fused score of an FAQ question linking it
    answer: dict[str, float] = field(default_factory=dict)  # best BM25 of an FAQ answer linking it
    coverage: dict[str, float] = field(default_factory=dict)  # idf share of the question's terms its own text holds


@dataclass(frozen=True, slots=True)
class Retrieval:
    """Measures best first, and the FAQ entry whose question came closest."""

    hits: tuple[MeasureHit, ...]
    best_entry: FaqEntry | None
    best_entry_score: float
    evidence: float = 0.0  # idf sum (over the measure texts alone) of the question's terms found in them
    rare_idf: float = 1.0  # the idf of a term only one measure text holds, the unit of `evidence`
    parts: Parts = field(default_factory=Parts, compare=False)
    tokens: tuple[str, ...] = ()  # the question's search tokens (unknown Latin words left out)


class Index:
    """Retrieval over one set of measures and FAQ entries."""

    def __init__(
        self,
        measures: Sequence[Measure],
        entries: Sequence[FaqEntry],
        *,
        analyzer: Analyzer,
        normalise: _Normalise,
        weights: Weights | None = None,
        document_titles: Mapping[str, str] | None = None,  # document id → its title and issuer
    ) -> None:
        self.weights = weights or Weights()
        titles = document_titles or {}
        self._analyzer = analyzer
        known = {m.id for m in measures}
        self.entries = {e.id: e for e in entries}
        short: list[Passage] = []  # titles and questions: typed by people, so repaired
        long: list[Passage] = []  # bodies and answers: authored texts, not repaired

        analysed: dict[tuple[str, bool], tuple[str, tuple[str, ...]]] = {}  # FAQs repeat texts: cut each once

        def add(into: list[Passage], text: str, measure_ids: tuple[str, ...], faq_id: str | None) -> None:
            key = (text, into is short)
            if key not in analysed:
                words = analyzer.words(normalise(text, repair=into is short))
                analysed[key] = ("".join(words), analyzer.tokens(words))
            content, tokens = analysed[key]
            into.append(Passage(content, tokens, measure_ids, faq_id))

        self.texts: dict[str, str] = {}  # measure id → its normalised title and body
        for measure in measures:
            self.texts[measure.id] = normalise(f"{measure.title} {measure.body}", repair=False)
            add(short, measure.title, (measure.id,), None)
            # The document's title and issuer name its topic and place (绵阳, 上市, 双流区): words each of its
            # measures is about.
            add(long, f"{titles.get(measure.document_id, '')} {measure.title} {measure.body}", (measure.id,), None)
        for entry in entries:
            links = tuple(m for m in entry.measure_ids if m in known)
            if not links:
                continue
            for question in entry.questions:
                add(short, question, links, entry.id)
            add(long, entry.answer, links, entry.id)
        self._short, self._long = tuple(short), tuple(long)
        self._short_bm25 = Bm25([p.tokens for p in short])
        self._long_bm25 = Bm25([p.tokens for p in long])
        # Domain evidence is weighed on the measures alone, so it does not drift with the FAQ's size.
        own = [p for p in long if p.faq_id is None]
        self._measure_bm25 = Bm25([p.tokens for p in own])
        self._own_ids = tuple(p.measure_ids[0] for p in own)
        # Token sets, for the features that ask which of the question's terms a measure (or its FAQ) holds.
        self.measure_tokens = {p.measure_ids[0]: frozenset(p.tokens) for p in own}
        # A measure's title's content words joined, for rapidfuzz.
        self.title_content = {p.measure_ids[0]: p.content for p in short if p.faq_id is None}
        entry_tokens: dict[str, set[str]] = {}
        linked_tokens: dict[str, set[str]] = {}
        for passage in (*short, *long):
            if passage.faq_id is not None:
                entry_tokens.setdefault(passage.faq_id, set()).update(passage.tokens)
                for measure_id in passage.measure_ids:
                    linked_tokens.setdefault(measure_id, set()).update(passage.tokens)
        self.entry_tokens = {e: frozenset(t) for e, t in entry_tokens.items()}
        self.linked_tokens = {m: frozenset(t) for m, t in linked_tokens.items()}  # of the FAQ entries linking it
        self.document_tokens = {
            doc_id: frozenset(analyzer.tokens(analyzer.words(normalise(title, repair=False))))
            for doc_id, title in titles.items()
        }

    def in_measures(self, term: str) -> bool:
        """Whether some measure's own text holds the term."""
        return self._measure_bm25.knows(term)

    def idf(self, term: str) -> float:
        """The term's idf over the measure texts (that of a one-off term when no measure holds it)."""
        return self._measure_bm25.idf(term)

    def _known(self, term: str) -> bool:
        return self._short_bm25.knows(term) or self._long_bm25.knows(term)

    def search(self, words: Sequence[str]) -> Retrieval:
        """Measures for a question's content words, best first."""
        # A latin word no passage contains (English left untranslated) says nothing about any measure:
        # left in, it would only dilute the scores of the words that do match.
        words = [w for w in words if not (w.isascii() and w.isalpha()) or self._known(w)]
        tokens = self._analyzer.tokens(words)
        content = "".join(words)
        w = self.weights
        best: dict[str, MeasureHit] = {}
        parts = Parts()

        def offer(passage: Passage, score: float, kind: dict[str, float]) -> None:
            factor = 1.0 if passage.faq_id is None else w.faq
            for rank, measure_id in enumerate(passage.measure_ids):
                link = w.secondary_link if rank else 1.0
                if kind.get(measure_id, 0.0) < score * link:
                    kind[measure_id] = score * link
                value = score * factor * link
                current = best.get(measure_id)
                if current is None or value > current.score:
                    best[measure_id] = MeasureHit(measure_id, round(value, 4), passage.faq_id)

        best_entry, best_entry_score = None, 0.0
        for index, bm25 in self._short_bm25.scores(tokens, limit=w.candidates).items():
            passage = self._short[index]
            similarity = fuzz.ratio(content, passage.content) / 100.0
            score = w.bm25 * bm25 + (1.0 - w.bm25) * similarity
            offer(passage, score, parts.title if passage.faq_id is None else parts.question)
            if passage.faq_id is not None and score > best_entry_score:
                best_entry, best_entry_score = self.entries[passage.faq_id], score
        for index, bm25 in self._long_bm25.scores(tokens, limit=w.candidates).items():
            passage = self._long[index]
            offer(passage, w.text * bm25, parts.text if passage.faq_id is None else parts.answer)
        shares = {self._own_ids[i]: s for i, s in self._measure_bm25.coverage(tokens).items()}
        parts.coverage.update(shares)
        if w.coverage:
            for measure_id, hit in best.items():
                value = hit.score * (1.0 - w.coverage + w.coverage * shares.get(measure_id, 0.0))
                best[measure_id] = MeasureHit(measure_id, round(value, 4), hit.faq_id)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.measure_id))
        evidence = self._measure_bm25.evidence(tokens)
        rare = self._measure_bm25.idf("")
        return Retrieval(
            tuple(hits), best_entry, round(best_entry_score, 4), round(evidence, 3), round(rare, 3), parts, tokens
        )
