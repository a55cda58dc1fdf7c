"""HTTP shapes of the policy library: documents, measures, versions, diffs and admin imports."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from api.pagination import Page
from api.policy.service import Proposal
from api.text import EdgeModel
from common.documents import DocumentLevel, DocumentStatus
from policy_index.diff import DocumentDiff
from policy_index.document import Document, Measure, Numbering
from policy_index.messages import LEVEL_LABELS, STATUS_LABELS

DOCUMENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
DocumentId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=DOCUMENT_ID_RE.pattern), Field(description="a slug")
]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


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
    provision: bool = Field(description="a closing article (施行, 有效期, 解释), never offered as support")
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
            provision=measure.provision,
            body=measure.body,
        )


class DocumentOut(BaseModel):
    """A document's header: identity, metadata (status as of today) and how many measures it has."""

    id: str
    title: str
    doc_number: str | None = Field(description="文号, e.g. 川府发〔2021〕12号")
    issuer: str | None = Field(description="发文机关")
    level: DocumentLevel
    status: DocumentStatus
    level_label: str
    status_label: str
    issued_on: date | None
    effective_from: date | None
    effective_to: date | None
    version: int
    numbering: Numbering
    sections: list[str]
    measure_count: int

    @classmethod
    def of(cls, document: Document) -> DocumentOut:
        """Build from a domain document."""
        meta = document.meta
        return cls(
            id=document.id,
            title=document.title,
            doc_number=meta.doc_number,
            issuer=meta.issuer,
            level=meta.level,
            status=meta.status,
            level_label=LEVEL_LABELS[meta.level.value],
            status_label=STATUS_LABELS[meta.status.value],
            issued_on=meta.issued_on,
            effective_from=meta.effective_from,
            effective_to=meta.effective_to,
            version=meta.version,
            numbering=document.numbering,
            sections=list(document.sections),
            measure_count=len(document.measures),
        )


DocumentList = Page[DocumentOut]


MeasureList = Page[MeasureOut]


class VersionOut(BaseModel):
    """One stored version of a document."""

    version: int
    status: DocumentStatus
    title: str
    doc_number: str | None
    imported_at: datetime
    measure_count: int


VersionList = Page[VersionOut]


class MeasureRefOut(BaseModel):
    """A measure named in a diff."""

    number: int
    label: str
    title: str


class MeasureTextOut(BaseModel):
    """A measure's content on one side of a change."""

    label: str
    title: str
    body: str
    lead_units: list[str]
    participating_units: list[str]


class ChangeOut(BaseModel):
    """A measure in both versions whose content changed (renumbering alone is no change)."""

    from_number: int
    to_number: int
    title: str
    fields: list[str] = Field(description="title | body | lead_units | participating_units")
    before: MeasureTextOut
    after: MeasureTextOut


class DiffOut(BaseModel):
    """What changed between two versions; measures paired by title."""

    added: list[MeasureRefOut]
    removed: list[MeasureRefOut]
    changed: list[ChangeOut]

    @classmethod
    def of(cls, diff: DocumentDiff) -> DiffOut:
        """Build from a domain diff."""
        return cls.model_validate(diff.to_json())


class DocumentMetaIn(EdgeModel):
    """Metadata an admin confirms or corrects; a field left out keeps what the parser read (or what is stored)."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = None
    doc_number: Line | None = None
    issuer: Line | None = None
    level: DocumentLevel | None = None
    status: DocumentStatus | None = None
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None

    def corrections(self) -> dict[str, Any]:
        """The fields the admin set (an explicit null clears a field), as JSON values."""
        fields = self.model_dump(mode="json", exclude_unset=True, include=set(DocumentMetaIn.model_fields))
        for name in ("level", "status", "title"):
            if name in fields and fields[name] is None:
                del fields[name]  # these are never empty: null means "as read"
        for name in ("doc_number", "issuer"):
            if fields.get(name) == "":
                fields[name] = None
        return fields


class DocumentIn(DocumentMetaIn):
    """A document to import: its id, its text, and the metadata the admin confirms or corrects."""

    document_id: DocumentId
    text: str = Field(min_length=1, max_length=500_000)


class ImportedOut(DocumentOut):
    """A stored (or previewed) version: the document, its measures and the diff from the previous version."""

    measures: list[MeasureOut]
    diff: DiffOut | None = Field(description="against the newest stored version; null for a new document")
    inherited: list[str] = Field(
        description="metadata kept from the newest stored version (level; issuer and 文号 the text does not name)"
    )

    @classmethod
    def of_import(cls, proposal: Proposal) -> ImportedOut:
        """Build from an import's proposal."""
        return cls(
            **DocumentOut.of(proposal.document).model_dump(),
            measures=[MeasureOut.of(m) for m in proposal.document.measures],
            diff=DiffOut.of(proposal.diff) if proposal.diff else None,
            inherited=list(proposal.inherited),
        )
