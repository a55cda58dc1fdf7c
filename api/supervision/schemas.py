"""HTTP shapes of 督办 and a ticket's SLA flags."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from api.supervision.service import SlaFlags, SupervisionView
from api.text import EdgeModel
from api.tickets.schemas import Text


class SupervisionIn(EdgeModel):
    """A 督办 note."""

    body: Text


class SupervisionOut(BaseModel):
    """A 督办 and whether its assignee acknowledged it."""

    id: int
    number: str
    body: str
    author: str | None
    assignee: str | None
    created_at: datetime
    acknowledged: bool
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @classmethod
    def of(cls, view: SupervisionView) -> SupervisionOut:
        """Build from a view."""
        s = view.supervision
        assert s.id is not None
        return cls(
            id=s.id,
            number=view.ticket_number,
            body=s.body,
            author=view.author.label if view.author else None,
            assignee=view.assignee.username if view.assignee else None,
            created_at=s.created_at,
            acknowledged=s.acknowledged_at is not None,
            acknowledged_at=s.acknowledged_at,
            acknowledged_by=view.acknowledged_by.label if view.acknowledged_by else None,
        )


class SupervisionList(BaseModel):
    """A ticket's 督办, with when the SLA job warned (预警) and flagged it 超时."""

    items: list[SupervisionOut]
    total: int
    sla_warned_at: datetime | None = None
    sla_breached_at: datetime | None = None
    breached: bool = False

    @classmethod
    def of(cls, views: list[SupervisionView], flags: SlaFlags | None = None) -> SupervisionList:
        """Build from views and the ticket's flags."""
        flags = flags or SlaFlags(None, None)
        return cls(
            items=[SupervisionOut.of(v) for v in views],
            total=len(views),
            sla_warned_at=flags.warned_at,
            sla_breached_at=flags.breached_at,
            breached=flags.breached_at is not None,
        )
