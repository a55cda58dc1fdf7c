"""HTTP shapes of requests (enterprise view) and tickets (staff view)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.attachments.schemas import ThreadAttachmentOut
from api.auth.models import User
from api.guides.schemas import TicketGuideOut
from api.pagination import Page
from api.ratings.messages import LEVELS
from api.ratings.schemas import RectificationOut
from api.text import EdgeModel
from api.tickets.messages import ANONYMOUS_ENTERPRISE_USER, STATUS_NAMES, SYSTEM_AUTHOR, status_change
from api.tickets.service import STATUS_CHANGE_ACTIONS, RequestDraft, TicketView
from common.roles import Role
from common.tickets import TicketStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
CategoryKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class RequestIn(EdgeModel):
    """A service request as the enterprise submits it; without a category one is suggested."""

    category: CategoryKey | None = None
    subject: Line
    body: Text
    contact: Line

    def draft(self) -> RequestDraft:
        """The domain value."""
        return RequestDraft(subject=self.subject, body=self.body, contact=self.contact, category=self.category)


class MessageIn(EdgeModel):
    """A message written on a ticket."""

    body: Text


class CancelIn(EdgeModel):
    """Why the enterprise withdraws its request (optional)."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class RatingIn(EdgeModel):
    """好差评: 1 (差) … 5 (好) and a comment."""

    score: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class VersionedIn(EdgeModel):
    """A staff write: carries the ticket version it was based on."""

    version: int = Field(ge=1)


class StaffMessageIn(VersionedIn):
    """A reply, an internal note or a request for more (wait)."""

    body: Text


class WaitIn(StaffMessageIn):
    """请企业补充材料: the message, and which of the guide's materials are missing (listed under it)."""

    missing: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]] | None = (
        Field(default=None, max_length=50)
    )


class TransferIn(VersionedIn):
    """Move to a queue, or correct the category (routed by the category's rule), or both."""

    queue: str | None = None
    category: CategoryKey | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class ResolveIn(VersionedIn):
    """Resolve with an optional closing reply."""

    body: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None = None


class MessageOut(BaseModel):
    """One message of the thread."""

    author_role: Role
    author_name: str
    internal: bool
    body: str
    created_at: dt.datetime


class StatusChangeOut(BaseModel):
    """A change of the ticket's status, shown in the thread among the messages (by `created_at`)."""

    action: str
    status: TicketStatus
    status_name: str
    author_role: Role
    author_name: str
    body: str
    created_at: dt.datetime


class RatingOut(BaseModel):
    """The enterprise's rating (好差评: 5 非常满意 … 1 非常不满意)."""

    score: int
    comment: str
    created_at: dt.datetime
    level: str = ""


class RequestOut(BaseModel):
    """A ticket as its enterprise sees it."""

    number: str
    status: TicketStatus
    status_name: str
    category: str
    category_name: str
    queue: str
    queue_name: str
    department: str
    subject: str
    body: str
    contact: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    sla_due_at: dt.datetime | None
    sla_paused: bool
    sla_estimated: bool
    sla_note: str | None
    rating: RatingOut | None

    @classmethod
    def of(cls, view: TicketView) -> RequestOut:
        """Build from a ticket view."""
        t = view.ticket
        assert t.number is not None
        return cls(
            number=t.number,
            status=t.status,
            status_name=STATUS_NAMES.get(t.status, t.status),
            category=t.category,
            category_name=view.category_name,
            queue=view.queue.key,
            queue_name=view.queue.name,
            department=view.queue.department,
            subject=t.subject,
            body=t.body,
            contact=t.contact,
            version=t.version,
            created_at=t.created_at,
            updated_at=t.updated_at,
            resolved_at=t.resolved_at,
            sla_due_at=t.sla_due_at,
            sla_paused=t.status == TicketStatus.WAITING_ENTERPRISE,
            sla_estimated=t.sla_estimated,
            sla_note=t.sla_note,
            rating=RatingOut(
                score=view.rating.score,
                comment=view.rating.comment,
                created_at=view.rating.created_at,
                level=LEVELS.get(view.rating.score, ""),
            )
            if view.rating
            else None,
        )


def _author_name(author: User | None, role: Role, *, staff: bool) -> str:
    return author.label if author and (staff or role != Role.ENTERPRISE) else ANONYMOUS_ENTERPRISE_USER


def _history(view: TicketView, *, staff: bool) -> list[StatusChangeOut]:
    out = []
    for entry, actor in view.status_changes:
        status = STATUS_CHANGE_ACTIONS[entry.action]
        system = actor is None and entry.action == "closed"  # the SLA job's auto-close: nobody's click
        role = actor.role if actor else Role.STAFF if system else Role.ENTERPRISE
        out.append(
            StatusChangeOut(
                action=entry.action,
                status=status,
                status_name=STATUS_NAMES.get(status, status),
                author_role=role,
                author_name=SYSTEM_AUTHOR if system else _author_name(actor, role, staff=staff),
                body=status_change(entry.action, status, entry.detail),
                created_at=entry.created_at,
            )
        )
    return out


def _messages(view: TicketView, *, staff: bool) -> list[MessageOut]:
    out = []
    for message, author in view.messages:
        if message.internal and not staff:
            continue  # never reaches the enterprise, whatever the caller asked for
        out.append(
            MessageOut(
                author_role=message.author_role,
                author_name=_author_name(author, message.author_role, staff=staff),
                internal=message.internal,
                body=message.body,
                created_at=message.created_at,
            )
        )
    return out


class RequestDetail(RequestOut):
    """A ticket with its public thread and its status changes."""

    messages: list[MessageOut]
    history: list[StatusChangeOut] = []
    guide: TicketGuideOut | None = None  # the category's 办事指南 with the materials received
    attachments: list[ThreadAttachmentOut] = []  # files both ways, shown in the thread by `created_at`

    @classmethod
    def of_detail(cls, view: TicketView) -> RequestDetail:
        """Build from a ticket view (internal notes are dropped here too)."""
        return cls(
            **RequestOut.of(view).model_dump(),
            messages=_messages(view, staff=False),
            history=_history(view, staff=False),
        )


class TicketOut(RequestOut):
    """A ticket as staff see it."""

    requester: str
    enterprise: str | None
    enterprise_uscc: str | None
    assignee: str | None
    assignee_username: str | None = None  # the console offers assignee-only actions by comparing with the caller
    overdue: bool

    @classmethod
    def of_staff(cls, view: TicketView, now: dt.datetime) -> TicketOut:
        """Build from a ticket view."""
        return cls(
            **RequestOut.of(view).model_dump(),
            requester=view.requester.label,
            enterprise=view.enterprise.name if view.enterprise else None,
            enterprise_uscc=view.enterprise.uscc if view.enterprise else None,
            assignee=view.assignee.label if view.assignee else None,
            assignee_username=view.assignee.username if view.assignee else None,
            overdue=view.overdue(now),
        )


class TicketDetail(TicketOut):
    """A ticket with its whole thread, internal notes included, and its status changes."""

    messages: list[MessageOut]
    history: list[StatusChangeOut] = []
    guide: TicketGuideOut | None = None  # the category's 办事指南 with the materials received
    attachments: list[ThreadAttachmentOut] = []  # files both ways, shown in the thread by `created_at`
    rectification: RectificationOut | None = None  # the 整改 a 差评 opened (staff only)

    @classmethod
    def of_detail(cls, view: TicketView, now: dt.datetime) -> TicketDetail:
        """Build from a ticket view."""
        return cls(
            **TicketOut.of_staff(view, now).model_dump(),
            messages=_messages(view, staff=True),
            history=_history(view, staff=True),
        )


RequestList = Page[RequestOut]


TicketList = Page[TicketOut]
