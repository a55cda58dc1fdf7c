"""HTTP shapes of queues, memberships and routing rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.auth.models import User
from api.guides.models import CategoryGuide
from api.guides.schemas import GuideOut
from api.pagination import Page
from api.queues.models import Queue, RoutingRule
from api.queues.service import QueueCounts
from api.text import EdgeModel
from api.tickets.schemas import TicketOut

QueueKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
SlaHours = Annotated[int, Field(ge=1, le=2000)]


class QueueOut(BaseModel):
    """A queue; `counts` (open tickets by status) and `overdue` on the staff list."""

    key: str
    name: str
    department: str
    sla_hours: int
    counts: dict[str, int] = Field(default_factory=dict)
    open: int = 0
    overdue: int = 0
    members: int | None = None  # active staff working the queue: 0 means requests land there unseen

    @classmethod
    def of(cls, queue: Queue, counts: QueueCounts | None = None, members: int | None = None) -> QueueOut:
        """Build from a queue and its counts."""
        counts = counts or QueueCounts()
        return cls(
            key=queue.key,
            name=queue.name,
            department=queue.department,
            sla_hours=queue.sla_hours,
            counts=counts.by_status,
            open=sum(counts.by_status.values()),
            overdue=counts.overdue,
            members=members,
        )


QueueList = Page[QueueOut]


class QueueIn(EdgeModel):
    """A new queue."""

    key: QueueKey
    name: Name
    department: Name
    sla_hours: SlaHours = 16


class QueuePatch(EdgeModel):
    """Changes to a queue."""

    name: Name | None = None
    department: Name | None = None
    sla_hours: SlaHours | None = None


class MemberOut(BaseModel):
    """A staff member of a queue."""

    username: str | None
    display_name: str | None
    supervisor: bool = False

    @classmethod
    def of(cls, user: User, supervisor: bool = False) -> MemberOut:
        """Build from the account."""
        return cls(username=user.username, display_name=user.display_name, supervisor=supervisor)


MemberList = Page[MemberOut]


class MemberIn(EdgeModel):
    """How a staff member works a queue: as its supervisor or not."""

    supervisor: bool = False


class RuleOut(BaseModel):
    """Where a category goes."""

    category: str
    name: str
    queue: str
    guide: GuideOut | None = None  # 办事指南 (on GET /categories)

    @classmethod
    def of(cls, rule: RoutingRule, queue: Queue, guide: CategoryGuide | None = None) -> RuleOut:
        """Build from a rule, its queue and (for the public list) its guide."""
        return cls(category=rule.category, name=rule.name, queue=queue.key, guide=GuideOut.of(guide) if guide else None)


RuleList = Page[RuleOut]


class RuleIn(EdgeModel):
    """Route a category to a queue (`name` is required for a new category)."""

    queue: QueueKey
    name: Name | None = None


class QueueTickets(BaseModel):
    """A page of a queue's tickets, overdue first."""

    items: list[TicketOut]
    total: int


class CannedReplyIn(EdgeModel):
    """A new 常用回复."""

    title: Name
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class CannedReplyPatch(EdgeModel):
    """Changes to a 常用回复."""

    title: Name | None = None
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)] | None = None


class CannedReplyOut(BaseModel):
    """A 常用回复 of a queue."""

    id: int
    title: str
    body: str
    updated_at: datetime


CannedReplyList = Page[CannedReplyOut]
