"""HTTP shapes of 好差评 and 整改."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.ratings.messages import LEVELS
from api.ratings.models import Rectification
from api.ratings.service import RatedTicket, is_overdue
from api.text import EdgeModel
from common.service_window import RectificationStatus


class RectificationOut(BaseModel):
    """整改 of a 差评: open until the call-back (回访) is recorded; `overdue` when open past `due_at`."""

    status: RectificationStatus
    due_at: dt.datetime
    note: str
    overdue: bool
    closed_at: dt.datetime | None

    @classmethod
    def of(cls, rectification: Rectification, now: dt.datetime) -> RectificationOut:
        """Build from the row."""
        return cls(
            status=rectification.status,
            due_at=rectification.due_at,
            note=rectification.note,
            overdue=is_overdue(rectification, now),
            closed_at=rectification.closed_at,
        )


class RectificationIn(EdgeModel):
    """The call-back (回访) that closes a 整改."""

    version: int = Field(ge=1)
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class RatedTicketOut(BaseModel):
    """A rating as staff and admins see it."""

    number: str
    subject: str
    category: str
    queue: str
    queue_name: str
    assignee: str | None
    score: int
    level: str
    comment: str
    created_at: dt.datetime
    rectification: RectificationOut | None

    @classmethod
    def of(cls, rated: RatedTicket, now: dt.datetime) -> RatedTicketOut:
        """Build from a rated ticket."""
        assert rated.ticket.number is not None
        return cls(
            number=rated.ticket.number,
            subject=rated.ticket.subject,
            category=rated.ticket.category,
            queue=rated.queue.key,
            queue_name=rated.queue.name,
            assignee=rated.assignee.label if rated.assignee else None,
            score=rated.rating.score,
            level=LEVELS.get(rated.rating.score, str(rated.rating.score)),
            comment=rated.rating.comment,
            created_at=rated.rating.created_at,
            rectification=RectificationOut.of(rated.rectification, now) if rated.rectification else None,
        )


class RatingList(BaseModel):
    """A page of ratings, and the score distribution of all that match (`"5"` … `"1"`)."""

    items: list[RatedTicketOut]
    total: int
    distribution: dict[str, int]
