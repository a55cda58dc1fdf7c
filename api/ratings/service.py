"""好差评: a rating of 2 or less opens a 整改 due 15 working days later; the call-back (回访) closes it.
Ratings and their 整改 are listed for staff (their queues) and admins (all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, true
from sqlmodel import Session, col, select

from api.auth.models import User
from api.auth.service import queue_ids_of
from api.calendar.service import load_calendar
from api.calendar.worktime import add_working_minutes
from api.db import utcnow
from api.domain_errors import Conflict, NotFound
from api.guides.deadline import WORKDAY_MINUTES
from api.queues.models import Queue
from api.ratings import messages
from api.ratings.models import Rectification
from api.tickets import service as tickets
from api.tickets.models import AuditEntry, Ticket, TicketRating
from api.tickets.workflow import Action
from common.roles import Role
from common.service_window import RectificationStatus

BAD_SCORE = 2  # 不满意 and 非常不满意 are 差评
RECTIFICATION_DAYS = 15  # working days (好差评 rules: every 差评 rectified within 15 working days)


class NoRectification(NotFound):
    """The ticket has no 整改."""


class RectificationDone(Conflict):
    """The 整改 is closed already."""


class RatingFilter(StrEnum):
    """Which ratings to list."""

    BAD = "bad"
    OPEN = "open"  # 整改 still open
    OVERDUE = "overdue"  # 整改 open past its due date


@dataclass(frozen=True, slots=True)
class RatedTicket:
    """A rating with its ticket, queue, assignee and 整改 (if any)."""

    rating: TicketRating
    ticket: Ticket
    queue: Queue
    assignee: User | None
    rectification: Rectification | None


def rate_and_follow_up(*, session: Session, ticket: Ticket, actor: User, score: int, comment: str) -> Ticket:
    """Rate a resolved ticket (closing it); a 差评 opens its 整改, due 15 working days after the rating."""
    tickets.rate_ticket(session=session, ticket=ticket, actor=actor, score=score, comment=comment)
    if score <= BAD_SCORE:
        rated_at = session.exec(select(TicketRating.created_at).where(TicketRating.ticket_id == ticket.id)).one()
        minutes = RECTIFICATION_DAYS * WORKDAY_MINUTES
        due = add_working_minutes(load_calendar(session=session), rated_at, minutes).due_at
        assert ticket.id is not None
        session.add(Rectification(ticket_id=ticket.id, due_at=due, created_at=rated_at))
        session.add(
            AuditEntry(ticket_id=ticket.id, actor_id=actor.id, action="rectification_opened", detail={"score": score})
        )
    return ticket


def find_rectification(*, session: Session, ticket: Ticket) -> Rectification | None:
    """The ticket's 整改, if a 差评 opened one."""
    return session.exec(select(Rectification).where(Rectification.ticket_id == ticket.id)).first()


def close_rectification(*, session: Session, ticket: Ticket, staff: User, version: int, note: str) -> Rectification:
    """Record the call-back (回访) and close the 整改 (a staff write on the closed ticket: versioned)."""
    tickets.record_change(
        session=session, ticket=ticket, staff=staff, version=version, action=Action.RECTIFY, audit="rectified"
    )
    rectification = find_rectification(session=session, ticket=ticket)
    if rectification is None:
        raise NoRectification(messages.NO_RECTIFICATION)
    if rectification.status == RectificationStatus.DONE:
        raise RectificationDone(messages.ALREADY_DONE)
    rectification.status = RectificationStatus.DONE
    rectification.note = note
    rectification.closed_by = staff.id
    rectification.closed_at = utcnow()
    session.add(rectification)
    return rectification


def is_overdue(rectification: Rectification, now: dt.datetime) -> bool:
    """Open past its due date."""
    return rectification.status == RectificationStatus.OPEN and rectification.due_at < now


def _filter(which: RatingFilter | None, now: dt.datetime) -> ColumnElement[bool] | None:
    still_open = col(Rectification.status) == RectificationStatus.OPEN
    return {
        None: None,
        RatingFilter.BAD: col(TicketRating.score) <= BAD_SCORE,
        RatingFilter.OPEN: still_open,
        RatingFilter.OVERDUE: and_(still_open, col(Rectification.due_at) < now),
    }[which]


def list_ratings(
    *, session: Session, user: User, which: RatingFilter | None, limit: int, offset: int, now: dt.datetime
) -> tuple[list[RatedTicket], int, dict[int, int]]:
    """Ratings of the caller's queues (all for an admin), newest first: (page, total, score distribution)."""
    statement = (
        select(TicketRating, Ticket, Queue, Rectification)
        .join(Ticket, col(Ticket.id) == col(TicketRating.ticket_id))
        .join(Queue, col(Queue.id) == col(Ticket.queue_id))
        .outerjoin(Rectification, col(Rectification.ticket_id) == col(Ticket.id))
    )
    scope: list[ColumnElement[bool]] = []
    if user.role != Role.ADMIN:
        scope.append(col(Ticket.queue_id).in_(queue_ids_of(session=session, user=user)))
    chosen = _filter(which, now)
    where = and_(true(), *scope, *([chosen] if chosen is not None else []))
    rows = session.exec(
        statement.where(where)
        .order_by(col(TicketRating.created_at).desc(), col(TicketRating.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    counted = (
        select(TicketRating.score, func.count())
        .join(Ticket, col(Ticket.id) == col(TicketRating.ticket_id))
        .outerjoin(Rectification, col(Rectification.ticket_id) == col(Ticket.id))
        .where(where)
        .group_by(col(TicketRating.score))
    )
    distribution = {int(score): int(count) for score, count in session.exec(counted).all()}
    assignee_ids = {t.assignee_id for _, t, _, _ in rows if t.assignee_id}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(assignee_ids))).all()}
    page = [RatedTicket(r, t, q, users.get(t.assignee_id), rect) for r, t, q, rect in rows]
    return page, sum(distribution.values()), distribution
