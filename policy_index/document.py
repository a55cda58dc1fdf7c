"""Values of the policy index: documents and the measures they are made of."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Numbering(StrEnum):
    """The numbering scheme of a document's measures."""

    PAREN = "paren"  # （一）（二）…
    ARTICLE = "article"  # 第一条 第二条 …
    ARABIC = "arabic"  # 1. 2. … / 1、2、…
    ORDINAL_SHI = "ordinal_shi"  # 一是 … 二是 …
    SECTION = "section"  # only 一、二、… items, each with its own text


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
        "body": measure.body,
    }


def document_to_json(document: Document) -> dict[str, object]:
    """The JSON form of a document's header (without its measures)."""
    return {
        "id": document.id,
        "title": document.title,
        "numbering": document.numbering.value,
        "sections": list(document.sections),
        "measure_count": len(document.measures),
    }
