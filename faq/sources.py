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
CATEGORY_BONUS = 0.2  # a service question's category points at the measures its FAQ entries link to


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
        self._preferences = {
            r.id: (r.level.specificity, int(r.status is DocumentStatus.IN_FORCE)) for r in self.refs.values()
        }

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

    def named(self, normalised: str) -> frozenset[str]:
        """The documents whose number the question names (川府发2026 8号)."""
        typed = _compact(normalised)
        return frozenset(doc_id for doc_id, key in self._numbers.items() if key in typed)

    def adjust(
        self,
        hits: Sequence[MeasureHit],
        *,
        levels: frozenset[DocumentLevel] = frozenset(),
        named: frozenset[str] = frozenset(),
        raised: frozenset[str] = frozenset(),
    ) -> tuple[MeasureHit, ...]:
        """Hits re-scored in one pass, best first: measures in `raised` (the service category asked for), of a
        document at a level the question names or named by its number come first; a measure of a document no
        longer current ranks below current peers."""
        adjusted = []
        for hit in hits:
            document_id = hit.measure_id.rpartition("#")[0]
            ref = self.refs.get(document_id)
            bonus = CATEGORY_BONUS if hit.measure_id in raised else 0.0
            bonus += LEVEL_BONUS if ref is not None and ref.level in levels else 0.0
            score = min(1.0, hit.score + bonus) + (NUMBER_BONUS if document_id in named else 0.0)
            if ref is not None and not ref.status.current:
                score *= NOT_CURRENT_FACTOR
            adjusted.append(
                hit if score == hit.score else MeasureHit(hit.measure_id, round(min(1.0, score), 4), hit.faq_id)
            )
        return tuple(sorted(adjusted, key=lambda h: (-h.score, h.measure_id)))

    def prefer_specific(
        self, hits: tuple[MeasureHit, ...], floor: float, *, keep: frozenset[str] = frozenset()
    ) -> tuple[MeasureHit, ...]:
        """Among hits answering about equally well, move first the most specific document's, in force before a draft.

        A first hit of a document in `keep` (named by its number) stays first.
        """
        if len(hits) < 2 or hits[0].score < floor or not self.is_current(hits[0].measure_id):
            return hits
        if hits[0].measure_id.rpartition("#")[0] in keep:
            return hits
        cutoff = max(floor, hits[0].score - LEVEL_MARGIN)
        close = [h for h in hits if h.score >= cutoff and self.is_current(h.measure_id)]
        best = max(close, key=lambda h: (*self.preference(h.measure_id), h.score))
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

    def preference(self, measure_id: str) -> tuple[int, int]:
        """How a measure's document ranks among documents answering as well: its specificity, then in force."""
        return self._preferences.get(measure_id.rpartition("#")[0], (-1, 0))


def _compact(text: str) -> str:
    """Folded text without spaces: how a document number compares with a question."""
    return fold(text).replace(" ", "")
