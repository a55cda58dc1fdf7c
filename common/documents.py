"""A policy document's issuing level and whether it is current policy."""

from __future__ import annotations

from enum import StrEnum


class DocumentLevel(StrEnum):
    """Who issued a document, from the widest to the most specific."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"
    ZONE = "zone"

    @property
    def specificity(self) -> int:
        """0 for national … 4 for the zone's own documents."""
        return list(DocumentLevel).index(self)


class DocumentStatus(StrEnum):
    """Whether a document is current policy."""

    DRAFT = "draft"  # 征求意见稿: the final text may differ
    IN_FORCE = "in_force"
    EXPIRED = "expired"  # past its effective_to
    REPEALED = "repealed"  # retired by an admin (废止), kept for the record

    @property
    def current(self) -> bool:
        """Whether an answer may present the document as policy (in force, or a draft saying so)."""
        return self in (DocumentStatus.DRAFT, DocumentStatus.IN_FORCE)
