"""督办: a supervisor's note on an open ticket that its assignee must acknowledge; the ticket's SLA flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select, update

from api.auth.models import User
from api.auth.service import queue_ids_of
from api.domain_errors import Conflict, Forbidden, NotFound
from api.queues.models import Queue
from api.queues.service import supervised_queue_ids
from api.supervision import messages
from api.supervision.events import emit_to_staff
from api.supervision.models import SlaAlert, Supervision
from api.tickets.models import OPEN_STATUSES, AuditEntry, Ticket
from common.roles import Role
from common.tickets import EventType, SlaAlertKind

EXCERPT_CHARS = 80


class NotSupervisor(Forbidden):
    """The caller neither supervises the ticket's queue nor is an admin."""


class SupervisionNotFound(NotFound):
    """No such 督办 on that ticket."""


@dataclass(frozen=True, slots=True)
class SupervisionView:
    """A 督办 with the people it names."""

    supervision: Supervision
    author: User | None
    assignee: User | None
    acknowledged_by: User | None
    ticket_number: str


@dataclass(frozen=True, slots=True)
class SlaFlags:
    """When the SLA job last warned about a ticket and flagged it 超时 (None: never)."""

    warned_at: dt.datetime | None
    breached_at: dt.datetime | None


def supervises(*, session: Session, user: User, queue_id: int) -> bool:
    """Whether `user` may 督办 tickets of the queue (its supervisors and admins)."""
    return queue_id in supervised_queue_ids(session=session, user=user)


def _announce(session: Session, ticket: Ticket, type: EventType, supervision: Supervision, **data: object) -> None:
    queue = session.get(Queue, ticket.queue_id)
    assert queue is not None
    ids = {"supervision_id": supervision.id, "assignee_id": supervision.assignee_id}
    emit_to_staff(session, ticket, queue, type, **ids, **data)


def supervise(*, session: Session, ticket: Ticket, author: User, body: str, now: dt.datetime) -> Supervision:
    """督办 an open ticket: a note for its assignee (or, unassigned, its queue) to acknowledge."""
    if not supervises(session=session, user=author, queue_id=ticket.queue_id):
        raise NotSupervisor(messages.NOT_SUPERVISOR)
    if ticket.status not in OPEN_STATUSES:
        raise Conflict(messages.TICKET_FINISHED)
    assert ticket.id is not None
    supervision = Supervision(
        ticket_id=ticket.id, author_id=author.id, assignee_id=ticket.assignee_id, body=body, created_at=now
    )
    session.add(supervision)
    session.flush()
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=author.id, action="supervised", detail={}))
    _announce(session, ticket, EventType.SUPERVISED, supervision, by=author.label, excerpt=body[:EXCERPT_CHARS])
    return supervision


def _may_acknowledge(session: Session, ticket: Ticket, user: User) -> bool:
    """Whoever holds the ticket now (a 督办 follows it through transfers); unassigned, any member of its queue."""
    if ticket.assignee_id is not None:
        return ticket.assignee_id == user.id
    return user.role == Role.STAFF and ticket.queue_id in queue_ids_of(session=session, user=user)


def acknowledge(*, session: Session, ticket: Ticket, supervision_id: int, user: User, now: dt.datetime) -> Supervision:
    """The assignee acknowledges a 督办 (once: a second acknowledgement gets 409)."""
    supervision = session.get(Supervision, supervision_id)
    if supervision is None or supervision.ticket_id != ticket.id:
        raise SupervisionNotFound(messages.SUPERVISION_NOT_FOUND)
    if supervision.acknowledged_at is not None:
        raise Conflict(messages.ALREADY_ACKNOWLEDGED)
    if not _may_acknowledge(session, ticket, user):
        raise Forbidden(messages.NOT_ASSIGNEE)
    statement = (
        update(Supervision)
        .where(col(Supervision.id) == supervision_id, col(Supervision.acknowledged_at).is_(None))
        .values(acknowledged_at=now, acknowledged_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if session.exec(statement).rowcount != 1:  # a concurrent acknowledgement won
        raise Conflict(messages.ALREADY_ACKNOWLEDGED)
    session.refresh(supervision)
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=user.id, action="supervision_acknowledged", detail={}))
    _announce(session, ticket, EventType.SUPERVISION_ACKNOWLEDGED, supervision, by=user.label)
    return supervision


def _views(session: Session, rows: list[tuple[Supervision, str]]) -> list[SupervisionView]:
    ids = {i for s, _ in rows for i in (s.author_id, s.assignee_id, s.acknowledged_by_id) if i is not None}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids))).all()} if ids else {}
    return [
        SupervisionView(
            supervision=s,
            author=users.get(s.author_id),
            assignee=users.get(s.assignee_id),
            acknowledged_by=users.get(s.acknowledged_by_id),
            ticket_number=number,
        )
        for s, number in rows
    ]


def list_supervisions(*, session: Session, ticket: Ticket) -> list[SupervisionView]:
    """A ticket's 督办, oldest first."""
    statement = select(Supervision).where(Supervision.ticket_id == ticket.id).order_by(col(Supervision.id))
    return _views(session, [(s, ticket.number or "") for s in session.exec(statement).all()])


def pending_for(*, session: Session, user: User, limit: int, offset: int) -> tuple[list[SupervisionView], int]:
    """The 督办 `user` must acknowledge, oldest first: on the tickets they hold now, or unassigned in their queues."""
    held = col(Ticket.assignee_id) == user.id
    if user.role == Role.STAFF:
        held = or_(
            held,
            and_(col(Ticket.assignee_id).is_(None), col(Ticket.queue_id).in_(queue_ids_of(session=session, user=user))),
        )
    where = (held, col(Supervision.acknowledged_at).is_(None))
    joined = col(Ticket.id) == col(Supervision.ticket_id)
    total = session.exec(select(func.count()).select_from(Supervision).join(Ticket, joined).where(*where)).one()
    statement = (
        select(Supervision, Ticket.number)
        .join(Ticket, joined)
        .where(*where)
        .order_by(col(Supervision.id))
        .offset(offset)
        .limit(limit)
    )
    return _views(session, [(s, number or "") for s, number in session.exec(statement).all()]), int(total)


def sla_flags(*, session: Session, ticket: Ticket) -> SlaFlags:
    """When the ticket was last warned and flagged 超时."""
    statement = (
        select(SlaAlert.kind, func.max(SlaAlert.created_at))
        .where(SlaAlert.ticket_id == ticket.id)
        .group_by(col(SlaAlert.kind))
    )
    latest = dict(session.exec(statement).all())
    return SlaFlags(warned_at=latest.get(SlaAlertKind.WARNING), breached_at=latest.get(SlaAlertKind.BREACH))
