"""HTTP shapes of documents and measures."""

from __future__ import annotations

from pydantic import BaseModel

from policy_index.document import Document, Measure


class MeasureOut(BaseModel):
    """A measure as clients see it."""

    id: str
    document_id: str
    number: int
    label: str
    title: str
    section: str | None
    lead_units: list[str]
    participating_units: list[str]
    body: str

    @classmethod
    def of(cls, measure: Measure) -> MeasureOut:
        """Build from a domain measure."""
        return cls(
            id=measure.id,
            document_id=measure.document_id,
            number=measure.number,
            label=measure.label,
            title=measure.title,
            section=measure.section,
            lead_units=list(measure.lead_units),
            participating_units=list(measure.participating_units),
            body=measure.body,
        )


class DocumentOut(BaseModel):
    """A document's header as clients see it."""

    id: str
    title: str
    numbering: str
    sections: list[str]
    measure_count: int

    @classmethod
    def of(cls, document: Document) -> DocumentOut:
        """Build from a domain document."""
        return cls(
            id=document.id,
            title=document.title,
            numbering=document.numbering.value,
            sections=list(document.sections),
            measure_count=len(document.measures),
        )


class DocumentList(BaseModel):
    """A page of documents."""

    items: list[DocumentOut]
    total: int


class MeasureList(BaseModel):
    """A page of measures."""

    items: list[MeasureOut]
    total: int
