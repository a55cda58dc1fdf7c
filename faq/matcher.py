"""Question matching: normalise, retrieve, classify, decide confidence, compose the answer.

`Matcher.match(text)` returns a `MatchResult` whose `to_json()` is the JSON of DESIGN.md "Matching".
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import jieba

from common.ask import AnswerAction, Intent
from faq import messages
from faq.bundled import DIVISIONS, Bundled, load_bundled, load_confidence, load_intent_model, load_ranking
from faq.candidates import CandidateFeatures, Question, Row
from faq.confidence import ConfidenceModel
from faq.entries import IN_SCOPE_INTENTS, Category, FaqEntry
from faq.features import FeatureExtractor, Features
from faq.intent import Classification, IntentClassifier, IntentThresholds
from faq.intent_model import IntentModel
from faq.lexicon import Lexicon
from faq.normalise import Normaliser
from faq.ranking import RankingModel, movable_slots
from faq.repair import MIN_REPAIR_LENGTH, Repairer, is_han
from faq.retrieve import Index, MeasureHit, Retrieval, Weights
from faq.sources import DocumentRef, OtherSource, Sources
from faq.tokenize import TERM_FREQUENCY, Analyzer, build_tokenizer, lexicon_terms
from policy_index.document import Document

MAX_QUESTION_LENGTH = 500
CONFIDENCE_THRESHOLD = 0.4  # score floor for "answers about as well" (other documents); confidence is learned
MATCH_LIMIT = 3
RECENT_ANSWERS = 4096  # answers kept per matcher: a desk's questions repeat, and a kept one costs no matching
SUMMARY_LIMIT = 160
COMMON_WORD = 100  # a dictionary frequency from which a library word is general language, not its own term
COVER_LIMIT = 3  # an out-of-scope cue found in one of these best measures' text does not refuse the question


class InvalidQuestion(ValueError):
    """An empty, blank or over-long question."""


def validate_question(text: str) -> str:
    """The question stripped, or `InvalidQuestion`."""
    stripped = text.strip()
    if not stripped:
        raise InvalidQuestion(messages.EMPTY_QUESTION)
    if len(stripped) > MAX_QUESTION_LENGTH:
        raise InvalidQuestion(messages.QUESTION_TOO_LONG.format(limit=MAX_QUESTION_LENGTH))
    return stripped


@dataclass(frozen=True, slots=True)
class Match:
    """A ranked measure."""

    measure_id: str
    number: int
    title: str
    score: float
    faq_id: str | None
    document_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What to show the enterprise, and the document it comes from."""

    title: str
    summary: str
    lead_units: tuple[str, ...] = ()
    participating_units: tuple[str, ...] = ()
    actions: tuple[AnswerAction, ...] = ()
    label: str | None = None  # the measure's ordinal as written: （八）, 第三条
    document: DocumentRef | None = None
    notice: str | None = None  # a draft's caveat, or that the document is no longer current
    others: tuple[OtherSource, ...] = ()  # measures of other documents answering as well


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The matcher's verdict on one question."""

    text: str
    intent: Intent
    confident: bool
    category: Category | None
    matches: tuple[Match, ...]
    answer: Answer
    normalised: str = field(default="", compare=False)
    features: Features | None = field(default=None, compare=False)  # what the confidence model weighed
    probability: float = field(default=0.0, compare=False)  # the model's probability that the top measure is right
    intent_features: Mapping[str, float] = field(default_factory=dict, compare=False)  # what the intent model weighed

    @property
    def log_unanswered(self) -> bool:
        """Whether the question belongs in the unanswered log that admins review."""
        return not self.confident and self.intent is not Intent.CHITCHAT

    def to_json(self) -> dict[str, object]:
        """The JSON of DESIGN.md "Matching"."""
        return {
            "text": self.text,
            "intent": self.intent.value,
            "confident": self.confident,
            "category": self.category.value if self.category else None,
            "matches": [
                {
                    "measure_id": m.measure_id,
                    "number": m.number,
                    "title": m.title,
                    "score": m.score,
                    "faq_id": m.faq_id,
                    "document_id": m.document_id,
                    "label": m.label,
                }
                for m in self.matches
            ],
            "answer": {
                "title": self.answer.title,
                "summary": self.answer.summary,
                "lead_units": list(self.answer.lead_units),
                "participating_units": list(self.answer.participating_units),
                "actions": list(self.answer.actions),
                "label": self.answer.label,
                "document": self.answer.document.to_json() if self.answer.document else None,
                "notice": self.answer.notice,
                "others": [other.to_json() for other in self.answer.others],
            },
        }


class TextPipeline:
    """Normaliser and analyzer over one lexicon; holds the jieba tokenizer (build once per process)."""

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        dictionary: Path | None = None,
        tokenizer: jieba.Tokenizer | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.normaliser = Normaliser(lexicon)
        terms = lexicon_terms(lexicon)
        self.analyzer = Analyzer(tokenizer or build_tokenizer(terms, dictionary, cache_dir=cache_dir), lexicon)
        self._remembered = (0, 0)

    def remember(self, forms: Mapping[tuple[str, bool], str], cut: Mapping[str, tuple[str, ...]]) -> None:
        """Take normal forms and cuts computed earlier over the same lexicon and dictionary as already computed."""
        self.normaliser.remember(forms)
        self.analyzer.remember(cut)
        self._remembered = self._analysed_sizes()

    def analysed(self) -> tuple[dict[tuple[str, bool], str], dict[str, tuple[str, ...]]]:
        """The normal forms and cuts computed or remembered so far: plain data, for `remember` in a later process."""
        return self.normaliser.normal_forms(), self.analyzer.cut_texts()

    def learned(self) -> bool:
        """Whether texts were analysed since the last `remember` (or at all, without one)."""
        return self._analysed_sizes() != self._remembered

    def _analysed_sizes(self) -> tuple[int, int]:
        forms, cut = self.analysed()
        return len(forms), len(cut)

    @property
    def domain_terms(self) -> frozenset[str]:
        """The lexicon's canonical terms in normal form."""
        return frozenset(self.normaliser.normalise(t, repair=False) for t in self.lexicon.vocabulary)

    def words(self, text: str) -> tuple[str, ...]:
        """Content words of raw text."""
        return self.analyzer.words(self.normaliser.normalise(text))


class Matcher:
    """Matches questions against the measures of a set of documents and FAQ entries."""

    def __init__(
        self,
        documents: Sequence[Document],
        entries: Sequence[FaqEntry],
        *,
        pipeline: TextPipeline,
        weights: Weights | None = None,
        thresholds: IntentThresholds | None = None,
        confidence_threshold: float = CONFIDENCE_THRESHOLD,
        confidence: ConfidenceModel | None = None,
        ranking: RankingModel | None = None,
        intent_model: IntentModel | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.documents = tuple(documents)
        self.sources = Sources(self.documents)
        # Closing provisions (施行, 有效期, 解释) are never offered as the support a question asks about.
        measures = [m for document in self.documents for m in document.measures if not m.provision]
        self.measures = {m.id: m for m in measures}
        self.entries = tuple(entries)
        self.confidence_threshold = confidence_threshold
        normalise = pipeline.normaliser.normalise
        self.curated = _curated(self.entries, normalise, frozenset(self.measures))
        self.index = Index(
            measures,
            entries,
            analyzer=pipeline.analyzer,
            normalise=normalise,
            weights=weights,
            document_titles={d.id: f"{d.title} {d.meta.issuer or ''}" for d in self.documents},
        )
        # Authored texts: cut without typo repair, like the index's.
        texts = [normalise(f"{d.title} {d.meta.issuer or ''}", repair=False) for d in self.documents]
        words = frozenset(w for text in [*texts, *self.index.texts.values()] for w in pipeline.analyzer.words(text))
        # Slips are repaired towards the library's own words too (中式平台 → 中试平台), so imported terms are.
        self.repairer = _library_repairer(words, pipeline.analyzer.tokenizer.FREQ)
        # Which measures cover a service category: read off the FAQ's service entries.
        self.category_measures: dict[Category, frozenset[str]] = {}
        for entry in entries:
            if entry.intent is Intent.SERVICE and entry.category and entry.measure_ids:
                known = self.category_measures.get(entry.category, frozenset())
                self.category_measures[entry.category] = known | {entry.measure_ids[0]}
        self.classifier = IntentClassifier(
            pipeline.lexicon.cues,
            intent_model or load_intent_model(),
            domain_terms=pipeline.domain_terms,
            thresholds=thresholds,
            foreign_places=pipeline.lexicon.places - self._regions(words),
            category_measures=self.category_measures,
            measure_words=(pipeline.analyzer.words(text) for text in self.index.texts.values()),
        )
        self.confidence = confidence or load_confidence()
        self.ranking = ranking or load_ranking()
        self.candidates = CandidateFeatures(self.index, self.sources)
        self.features = FeatureExtractor(
            self.index,
            self.measures,
            analyzer=pipeline.analyzer,
            domain_terms=pipeline.domain_terms,
            out_of_scope_cues=pipeline.lexicon.cues.out_of_scope,
        )
        self._recent = lru_cache(maxsize=RECENT_ANSWERS)(self._match_text)

    def _regions(self, words: frozenset[str]) -> frozenset[str]:
        """The places among the library's words (its titles, issuers and measures)."""
        named = words & self.pipeline.lexicon.places
        # 深圳市 in a title is the 深圳 of a question, and the other way round.
        stems = {w[:-1] for w in named if len(w) > 2 and w.endswith(DIVISIONS)}
        return frozenset(named | stems | {f"{w}{d}" for w in named | stems for d in DIVISIONS})

    def with_entries(self, entries: Sequence[FaqEntry]) -> Matcher:
        """A matcher over new FAQ entries, reusing this one's tokenizer (e.g. after an admin edit)."""
        return Matcher(
            self.documents,
            entries,
            pipeline=self.pipeline,
            weights=self.index.weights,
            thresholds=self.classifier.thresholds,
            confidence_threshold=self.confidence_threshold,
            confidence=self.confidence,
            ranking=self.ranking,
            intent_model=self.classifier.model,
        )

    def match(self, text: str, *, limit: int | None = MATCH_LIMIT) -> MatchResult:
        """Match one question (`limit` measures, None: all); `InvalidQuestion` when empty or too long.

        A matcher never changes, so the answers to the most recent questions are kept: asked again, a
        question costs a dictionary look-up.
        """
        return self._recent(text, limit)

    def clear_cache(self) -> None:
        """Forget kept answers, normal forms and cut texts (benchmarks measure uncached work)."""
        self._recent.cache_clear()
        self.pipeline.normaliser.clear_cache()
        self.pipeline.analyzer.clear_cache()

    def _read(self, text: str) -> _Reading:
        normalised = self.pipeline.normaliser.normalise(validate_question(text))
        curated = self.curated.get(normalised)
        repaired = self.repairer.repair(normalised)
        if repaired != normalised:
            normalised = self.pipeline.normaliser.normalise(repaired)
        analyzer = self.pipeline.analyzer
        words = analyzer.words(normalised)
        retrieval = self.index.search(words)
        best = [self.index.texts[h.measure_id] for h in retrieval.hits[:COVER_LIMIT]]
        verdict = self.classifier.classify(
            normalised, retrieval, words_of=analyzer.words, covered=lambda phrase: any(phrase in t for t in best)
        )
        if curated is not None:
            verdict = replace(verdict, intent=curated.intent, category=curated.category)
        return _Reading(normalised, curated, words, retrieval, verdict)

    def _match_text(self, text: str, limit: int | None) -> MatchResult:
        reading = self._read(text)
        curated, verdict = reading.curated, reading.verdict
        asked, first = self._first_ranking(reading)
        reranked = self.ranking.rerank(
            first,
            lambda hits: self.candidates.rows(asked, hits),
            current=self.sources.is_current,
            preference=self.sources.preference,
        )
        ranked, own = reranked.hits, reranked.own
        if curated is not None:
            ranked = _first(ranked, MeasureHit(curated.measure_ids[0], 1.0, curated.id))
            own = _first(own, ranked[0])
        hits = ranked[:limit] if verdict.intent is not Intent.CHITCHAT else ()
        matches = tuple(self._match(hit) for hit in hits)
        features = self.features.extract(
            reading.normalised,
            reading.words,
            reading.retrieval,
            own,
            verdict.intent,
            reranked=reranked,
        )
        probability = self.confidence.probability(features)
        confident = (
            verdict.intent in IN_SCOPE_INTENTS
            and bool(matches)
            and (probability >= self.confidence.threshold or curated is not None)
            and self.sources.is_current(matches[0].measure_id)
        )
        answer = self._answer(verdict.intent, confident, ranked)
        return MatchResult(
            text,
            verdict.intent,
            confident,
            verdict.category,
            matches,
            answer,
            reading.normalised,
            features,
            round(probability, 4),
            verdict.features,
        )

    def _first_ranking(self, reading: _Reading) -> tuple[Question, tuple[MeasureHit, ...]]:
        """The first ranking: evidence, raised by what the question names, then the more specific document among
        hits about as good; the re-ranker re-orders its head."""
        raised: frozenset[str] = frozenset()
        if reading.verdict.intent is Intent.SERVICE and reading.verdict.category is not None:
            raised = self.category_measures.get(reading.verdict.category, frozenset())
        asked = Question(
            reading.normalised,
            reading.retrieval,
            self.classifier.levels(reading.normalised),
            self.sources.named(reading.normalised),
            raised,
            "".join(reading.words),
        )
        hits = reading.retrieval.hits
        ranked = self.sources.adjust(hits, levels=asked.levels, named=asked.named_documents, raised=raised)
        return asked, self.sources.prefer_specific(ranked, self.confidence_threshold, keep=asked.named_documents)

    def with_models(self, *, ranking: RankingModel | None = None, intent_model: IntentModel | None = None) -> Matcher:
        """This matcher with another re-ranker or intent model, on the same index (training cross-fits them)."""
        twin = copy.copy(self)
        if ranking is not None:
            twin.ranking = ranking
        if intent_model is not None:
            twin.classifier = copy.copy(self.classifier)
            twin.classifier.model = intent_model
        twin._recent = lru_cache(maxsize=RECENT_ANSWERS)(twin._match_text)
        return twin

    def candidates_of(self, text: str) -> Candidates:
        """The first ranking of `text` and the feature rows of the hits the re-ranker may re-order (training data)."""
        reading = self._read(text)
        asked, ranked = self._first_ranking(reading)
        ids = tuple(h.measure_id for h in ranked)
        slots = tuple(movable_slots(ids[: self.ranking.depth], self.sources.is_current))
        rows = tuple(self.candidates.rows(asked, [ranked[i] for i in slots]))
        preferences = tuple(self.sources.preference(ids[i]) for i in slots)
        return Candidates(ids, slots, rows, preferences, reading.curated.measure_ids[0] if reading.curated else None)

    def _match(self, hit: MeasureHit) -> Match:
        measure = self.measures[hit.measure_id]
        return Match(
            hit.measure_id, measure.number, measure.title, hit.score, hit.faq_id, measure.document_id, measure.label
        )

    def _answer(self, intent: Intent, confident: bool, hits: Sequence[MeasureHit]) -> Answer:
        if intent is Intent.CHITCHAT:
            return Answer(messages.CHITCHAT_TITLE, messages.CHITCHAT_SUMMARY)
        if intent is Intent.OUT_OF_SCOPE:
            return Answer(
                messages.OUT_OF_SCOPE_TITLE, messages.OUT_OF_SCOPE_SUMMARY, actions=(AnswerAction.CONTACT_STAFF,)
            )
        extra: tuple[AnswerAction, ...] = {
            Intent.ELIGIBILITY: (AnswerAction.CHECK_ELIGIBILITY,),
            Intent.SERVICE: (AnswerAction.CREATE_REQUEST,),
        }.get(intent, ())
        if not confident or not hits:
            return self._unsure(extra, hits)
        measure = self.measures[hits[0].measure_id]
        entry = self.index.entries.get(hits[0].faq_id) if hits[0].faq_id else None
        summary = entry.answer if entry else _first_sentences(measure.body)
        if entry is None or entry.intent is not intent:
            suffix = {Intent.SERVICE: messages.SERVICE_SUFFIX, Intent.ELIGIBILITY: messages.ELIGIBILITY_SUFFIX}
            summary = f"{summary}{suffix.get(intent, '')}"
        return Answer(
            f"{measure.label}{measure.title}",
            summary,
            measure.lead_units,
            measure.participating_units,
            (*extra, AnswerAction.CONTACT_STAFF),
            label=measure.label,
            document=self.sources.ref(measure),
            notice=self.sources.notice(measure, None),
            others=self.sources.others(hits, self.measures, self.confidence_threshold),
        )

    def answer_measure(self, text: str, measure_id: str) -> MatchResult:
        """The confident answer card of `measure_id` to `text`: what the asker picked among the offered measures.

        `KeyError` for a measure this matcher does not serve.
        """
        if measure_id not in self.measures:
            raise KeyError(measure_id)
        entry = next((e for e in self.entries if e.measure_ids and e.measure_ids[0] == measure_id), None)
        hit = MeasureHit(measure_id, 1.0, entry.id if entry else None)
        intent = entry.intent if entry and entry.intent in IN_SCOPE_INTENTS else Intent.POLICY
        answer = self._answer(intent, True, (hit,))
        return MatchResult(text, intent, True, None, (self._match(hit),), answer)

    def _unsure(self, extra: tuple[AnswerAction, ...], hits: Sequence[MeasureHit]) -> Answer:
        """Not sure: name the closest measure and its document, and say when that document is not current."""
        actions = (*extra, AnswerAction.CONTACT_STAFF)
        if not hits:
            return Answer(messages.UNSURE_TITLE, messages.UNSURE_SUMMARY.format(hint=""), actions=actions)
        top = self.measures[hits[0].measure_id]
        current = next((self.measures[h.measure_id] for h in hits if self.sources.is_current(h.measure_id)), None)
        hint = messages.UNSURE_HINT.format(label=top.label, title=top.title)
        return Answer(
            messages.UNSURE_TITLE,
            messages.UNSURE_SUMMARY.format(hint=hint),
            actions=actions,
            label=top.label,
            document=self.sources.ref(top),
            notice=self.sources.notice(top, current if current is not top else None),
        )


@dataclass(frozen=True, slots=True)
class _Reading:
    """A question as read: normal form, the FAQ entry it is the wording of, content words, retrieval, intent."""

    normalised: str
    curated: FaqEntry | None
    words: tuple[str, ...]
    retrieval: Retrieval
    verdict: Classification


@dataclass(frozen=True, slots=True)
class Candidates:
    """A question's first ranking (measure ids), the positions the re-ranker may re-order and their rows."""

    measure_ids: tuple[str, ...]
    slots: tuple[int, ...]
    rows: tuple[Row, ...]
    preferences: tuple[tuple[int, int], ...]  # per slot: its document's specificity, whether in force
    curated: str | None  # the measure an FAQ entry's own wording puts first, whatever the ranking


def _curated(
    entries: Sequence[FaqEntry], normalise: Callable[[str], str], measures: frozenset[str]
) -> dict[str, FaqEntry]:
    """An FAQ entry's own wording (its question or a variant, as normalised) → that entry: an admin wrote it
    for exactly this question, whatever the model makes of its retrieval. The first entry keeps a wording
    two entries share; one that entries of different measures share answers none of them."""
    curated: dict[str, FaqEntry] = {}
    ambiguous: set[str] = set()
    for entry in entries:
        if entry.intent not in IN_SCOPE_INTENTS or not entry.measure_ids or entry.measure_ids[0] not in measures:
            continue
        for question in entry.questions:
            key = normalise(question)
            known = curated.setdefault(key, entry)
            if known.measure_ids[0] != entry.measure_ids[0]:
                ambiguous.add(key)
    return {key: entry for key, entry in curated.items() if key not in ambiguous}


def _first(hits: tuple[MeasureHit, ...], hit: MeasureHit) -> tuple[MeasureHit, ...]:
    """`hit` first, then the others without its measure."""
    return (hit, *(h for h in hits if h.measure_id != hit.measure_id))


def _library_repairer(words: frozenset[str], frequencies: dict[str, int]) -> Repairer:
    """A repairer towards the library's rarer words (`frequencies`: the tokenizer's dictionary).

    Common words (财政部) are left out: a slip towards one is more often a real word (财政补助).
    """
    return Repairer(
        (
            w
            for w in words
            if len(w) >= MIN_REPAIR_LENGTH
            and all(map(is_han, w))
            and not COMMON_WORD <= frequencies.get(w, 0) < TERM_FREQUENCY
        ),
        is_word=lambda w: bool(frequencies.get(w)),
    )


def _first_sentences(body: str) -> str:
    """The body's opening sentences, up to about SUMMARY_LIMIT characters."""
    out = ""
    for sentence in body.replace("\n", "").split("。"):
        if not sentence:
            continue
        if out and len(out) + len(sentence) > SUMMARY_LIMIT:
            break
        out += f"{sentence}。"
    return out[: SUMMARY_LIMIT * 2]


def build_matcher(
    documents: Sequence[Document],
    *,
    bundled: Bundled | None = None,
    pipeline: TextPipeline | None = None,
    confidence: ConfidenceModel | None = None,
    ranking: RankingModel | None = None,
    intent_model: IntentModel | None = None,
) -> Matcher:
    """A matcher over `documents` and the bundled FAQ (or `bundled`); builds the tokenizer unless given."""
    bundled = bundled or load_bundled()
    pipeline = pipeline or TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)
    return Matcher(
        documents,
        bundled.entries,
        pipeline=pipeline,
        confidence=confidence,
        ranking=ranking,
        intent_model=intent_model,
    )
