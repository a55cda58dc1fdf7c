"""Values of the policy index: documents and the measures they are made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from common.documents import DocumentLevel, DocumentStatus


class Numbering(StrEnum):
    """The numbering scheme of a document's measures."""

    PAREN = "paren"  # （一）（二）…
    ARTICLE = "article"  # 第一条 第二条 …
    ARABIC = "arabic"  # 1. 2. … / 1、2、…
    ORDINAL_SHI = "ordinal_shi"  # 一是 … 二是 …
    SECTION = "section"  # only 一、二、… items, each with its own text


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What identifies a document beyond its text: 文号, issuer, level, status, dates, version."""

    doc_number: str | None = None
    issuer: str | None = None
    level: DocumentLevel = DocumentLevel.ZONE
    status: DocumentStatus = DocumentStatus.IN_FORCE
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    version: int = 1

    def status_on(self, today: date) -> DocumentStatus:
        """The status on `today`: an in-force document past its `effective_to` has expired."""
        if self.status is DocumentStatus.IN_FORCE and self.effective_to is not None and today > self.effective_to:
            return DocumentStatus.EXPIRED
        return self.status


@dataclass(frozen=True, slots=True)
class Measure:
    """One numbered measure of a policy document."""

    document_id: str
    number: int  # ordinal within the document, 1-based
    label: str  # the ordinal as written, e.g. （十三）
    title: str
    body: str
    section: str | None
    lead_units: tuple[str, ...] = ()
    participating_units: tuple[str, ...] = ()
    provision: bool = False  # a closing article (施行, 有效期, 解释): never offered as support

    @property
    def id(self) -> str:
        """The stable measure id `<document id>#<n>`."""
        return f"{self.document_id}#{self.number}"


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed policy document."""

    id: str
    title: str
    numbering: Numbering
    sections: tuple[str, ...]
    measures: tuple[Measure, ...]
    meta: DocumentMeta = field(default_factory=DocumentMeta)

    def measure(self, number: int) -> Measure | None:
        """Return measure `number` (1-based), or None."""
        if 1 <= number <= len(self.measures):
            return self.measures[number - 1]
        return None


def measure_to_json(measure: Measure) -> dict[str, object]:
    """The JSON form of a measure used by the CLI and the API."""
    return {
        "id": measure.id,
        "document_id": measure.document_id,
        "number": measure.number,
        "label": measure.label,
        "title": measure.title,
        "section": measure.section,
        "lead_units": list(measure.lead_units),
        "participating_units": list(measure.participating_units),
        "provision": measure.provision,
        "body": measure.body,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def document_to_json(document: Document) -> dict[str, object]:
    """The JSON form of a document's header (without its measures)."""
    meta = document.meta
    return {
        "id": document.id,
        "title": document.title,
        "doc_number": meta.doc_number,
        "issuer": meta.issuer,
        "level": meta.level.value,
        "status": meta.status.value,
        "issued_on": _iso(meta.issued_on),
        "effective_from": _iso(meta.effective_from),
        "effective_to": _iso(meta.effective_to),
        "version": meta.version,
        "numbering": document.numbering.value,
        "sections": list(document.sections),
        "measure_count": len(document.measures),
    }
