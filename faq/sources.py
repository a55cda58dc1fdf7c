"""Where an answer comes from: the document behind a measure, which of several documents answers, and caveats.

A zone serves documents of several levels at once. When measures of different documents answer a
question about equally well, the most specific document (the zone's own before the city's before the
province's…) answers, a document in force before a draft of the same level, and the others are offered
beside it ("省级另有：…"). A document that is no longer
current (expired, repealed) never answers as current policy: its measures rank below current ones and,
when one still comes first, the answer says so and points to the best current measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from common.documents import DocumentLevel, DocumentStatus
from faq import messages
from faq.normalise import fold
from faq.retrieve import MeasureHit
from policy_index.document import Document, Measure
from policy_index.messages import LEVEL_LABELS, STATUS_LABELS

NOT_CURRENT_FACTOR = 0.8  # a measure of an expired or repealed document ranks below a current peer
LEVEL_MARGIN = 0.05  # rank by evidence: only hits this close to the best answer about as well (then specific wins)
OTHERS_MARGIN = 0.25  # measures of other documents this close to the answer are offered beside it
MAX_OTHERS = 3
LEVEL_BONUS = 0.1  # a measure of a document at the level the question names ("区里", "省里")
NUMBER_BONUS = 0.2  # a measure of a document whose number the question names ("川府发2026 8号")


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The short form of a document that an answer cites."""

    id: str
    title: str
    doc_number: str | None
    level: DocumentLevel
    status: DocumentStatus

    @classmethod
    def of(cls, document: Document) -> DocumentRef:
        """The reference to `document`."""
        meta = document.meta
        return cls(document.id, document.title, meta.doc_number, meta.level, meta.status)

    def to_json(self) -> dict[str, object]:
        """`{"id", "title", "doc_number", "level", "status"}` plus the Chinese labels of level and status."""
        return {
            "id": self.id,
            "title": self.title,
            "doc_number": self.doc_number,
            "level": self.level.value,
            "status": self.status.value,
            "level_label": LEVEL_LABELS[self.level.value],
            "status_label": STATUS_LABELS[self.status.value],
        }


@dataclass(frozen=True, slots=True)
class OtherSource:
    """A measure of another document that answers the same question."""

    measure_id: str
    label: str
    title: str
    document: DocumentRef

    def to_json(self) -> dict[str, object]:
        """The JSON of one entry of `answer.others`."""
        return {
            "measure_id": self.measure_id,
            "label": self.label,
            "title": self.title,
            "document": self.document.to_json(),
        }


class Sources:
    """The documents behind a matcher's measures."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.refs: Mapping[str, DocumentRef] = {d.id: DocumentRef.of(d) for d in documents}
        # 川府发〔2026〕8号 as typed: brackets and spaces gone (川府发20268号).
        self._numbers = {d.id: key for d in documents if d.meta.doc_number and (key := _compact(d.meta.doc_number))}

    def ref(self, measure: Measure) -> DocumentRef | None:
        """The reference to the document of `measure` (None for a measure of no known document)."""
        return self.refs.get(measure.document_id)

    def ref_of(self, measure_id: str) -> DocumentRef | None:
        """The reference to the document of the measure `<document id>#<n>`."""
        return self.refs.get(measure_id.rpartition("#")[0])

    def is_current(self, measure_id: str) -> bool:
        """Whether the measure's document may be presented as current policy."""
        ref = self.ref_of(measure_id)
        return ref is None or ref.status.current

    def rank(self, hits: Sequence[MeasureHit]) -> tuple[MeasureHit, ...]:
        """Hits re-scored so that a measure of a document no longer current ranks below current peers."""
        rescored = [
            h
            if self.is_current(h.measure_id)
            else MeasureHit(h.measure_id, round(h.score * NOT_CURRENT_FACTOR, 4), h.faq_id)
            for h in hits
        ]
        return tuple(sorted(rescored, key=lambda h: (-h.score, h.measure_id)))

    def prefer_named_levels(
        self, hits: Sequence[MeasureHit], levels: frozenset[DocumentLevel]
    ) -> tuple[MeasureHit, ...]:
        """Hits re-scored so that measures of documents at the levels the question names come first."""
        if not levels:
            return tuple(hits)
        raised = [
            MeasureHit(h.measure_id, round(min(1.0, h.score + LEVEL_BONUS), 4), h.faq_id)
            if (ref := self.ref_of(h.measure_id)) is not None and ref.level in levels
            else h
            for h in hits
        ]
        return tuple(sorted(raised, key=lambda h: (-h.score, h.measure_id)))

    def prefer_numbered(self, hits: Sequence[MeasureHit], normalised: str) -> tuple[MeasureHit, ...]:
        """Hits re-scored so that measures of a document whose number the question names come first."""
        typed = _compact(normalised)
        named = {doc_id for doc_id, key in self._numbers.items() if key in typed}
        if not named:
            return tuple(hits)
        raised = [
            MeasureHit(h.measure_id, round(min(1.0, h.score + NUMBER_BONUS), 4), h.faq_id)
            if h.measure_id.rpartition("#")[0] in named
            else h
            for h in hits
        ]
        return tuple(sorted(raised, key=lambda h: (-h.score, h.measure_id)))

    def prefer_specific(self, hits: tuple[MeasureHit, ...], floor: float) -> tuple[MeasureHit, ...]:
        """Among hits answering about equally well, move first the most specific document's, in force before a draft."""
        if len(hits) < 2 or hits[0].score < floor or not self.is_current(hits[0].measure_id):
            return hits
        cutoff = max(floor, hits[0].score - LEVEL_MARGIN)
        close = [h for h in hits if h.score >= cutoff and self.is_current(h.measure_id)]
        best = max(close, key=lambda h: (self._specificity(h.measure_id), self._in_force(h.measure_id), h.score))
        if best is hits[0]:
            return hits
        return (best, *(h for h in hits if h is not best))

    def others(
        self, hits: Sequence[MeasureHit], measures: Mapping[str, Measure], floor: float
    ) -> tuple[OtherSource, ...]:
        """Current measures of other documents answering about as well as the first hit, one per document."""
        if not hits:
            return ()
        first = hits[0]
        cutoff = max(floor, first.score - OTHERS_MARGIN)
        seen = {self.ref_of(first.measure_id)}
        found: list[OtherSource] = []
        for hit in hits[1:]:
            ref = self.ref_of(hit.measure_id)
            if hit.score < cutoff or ref in seen or ref is None or not ref.status.current:
                continue
            seen.add(ref)
            measure = measures[hit.measure_id]
            found.append(OtherSource(measure.id, measure.label, measure.title, ref))
            if len(found) == MAX_OTHERS:
                break
        return tuple(found)

    def notice(self, measure: Measure, current_alternative: Measure | None) -> str | None:
        """The caveat an answer from `measure` carries: a draft's, or a document no longer current's."""
        ref = self.ref(measure)
        if ref is None:
            return None
        if ref.status is DocumentStatus.DRAFT:
            return messages.DRAFT_NOTICE
        if ref.status.current:
            return None
        text = messages.NOT_CURRENT_NOTICE.format(title=ref.title, status=STATUS_LABELS[ref.status.value])
        if current_alternative is not None:
            alt_ref = self.ref(current_alternative)
            alt_title = alt_ref.title if alt_ref else ""
            text += messages.CURRENT_POINTER.format(
                document=alt_title, label=current_alternative.label, title=current_alternative.title
            )
        return text

    def _in_force(self, measure_id: str) -> bool:
        ref = self.ref_of(measure_id)
        return ref is not None and ref.status is DocumentStatus.IN_FORCE

    def _specificity(self, measure_id: str) -> int:
        ref = self.ref_of(measure_id)
        return ref.level.specificity if ref else -1


def _compact(text: str) -> str:
    """Folded text without spaces: how a document number compares with a question."""
    return fold(text).replace(" ", "")
