"""HTTP shapes of the 办事指南 and of a ticket's materials checklist."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.guides.models import CategoryGuide
from api.guides.service import GuideDraft
from api.text import EdgeModel

Material = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Days = Annotated[int, Field(ge=1, le=365)]


class GuideOut(BaseModel):
    """办事指南: materials checklist, 承诺时限 and 法定时限 (working days), fee, office and hours."""

    materials: list[str]
    promised_days: int
    statutory_days: int
    fee: str
    location: str
    hours: str

    @classmethod
    def of(cls, guide: CategoryGuide) -> GuideOut:
        """Build from the row."""
        return cls(
            materials=list(guide.materials),
            promised_days=guide.promised_days,
            statutory_days=guide.statutory_days,
            fee=guide.fee,
            location=guide.location,
            hours=guide.hours,
        )


class GuideIn(EdgeModel):
    """A guide as an admin writes it (fee empty → 不收费)."""

    materials: list[Material] = Field(max_length=50)
    promised_days: Days
    statutory_days: Days
    fee: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    location: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    hours: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""

    def draft(self) -> GuideDraft:
        """The service value."""
        return GuideDraft(
            materials=tuple(self.materials),
            promised_days=self.promised_days,
            statutory_days=self.statutory_days,
            fee=self.fee,
            location=self.location,
            hours=self.hours,
        )


class MaterialOut(BaseModel):
    """One material of the ticket's checklist and whether staff received it."""

    name: str
    received: bool


class TicketGuideOut(GuideOut):
    """The category's guide on a ticket, with the checklist as staff ticked it."""

    checklist: list[MaterialOut]
    missing: list[str]

    @classmethod
    def of_ticket(cls, guide: CategoryGuide, received: set[str]) -> TicketGuideOut:
        """Build from the guide and the names received."""
        return cls(
            **GuideOut.of(guide).model_dump(),
            checklist=[MaterialOut(name=name, received=name in received) for name in guide.materials],
            missing=[name for name in guide.materials if name not in received],
        )


class MaterialsIn(EdgeModel):
    """The materials received so far (replaces the ticked set), on the ticket version it was based on."""

    version: int = Field(ge=1)
    received: list[Material] = Field(max_length=50)
