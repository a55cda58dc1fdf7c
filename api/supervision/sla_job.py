"""One tick of the SLA job: 预警, 超时 at the due time, auto-close after 5 working days.

The 预警 comes at 75 % of the ticket's own time: its 承诺时限, or what its restarted clock had left
(`Ticket.sla_warn_at`, set with the due time).

Each tick reads the tickets that crossed a line since the last one, so a job that was down catches up
on its first tick after a restart. Every alert is a row unique per (ticket, kind, due time): a ticket
whose clock restarted (paused and resumed, transferred) may be warned again for its new due time, but
never twice for the same one, whichever replica or restart runs the tick. Events go through the outbox
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from api.auth.models import User
from api.calendar.service import load_calendar
from api.calendar.worktime import DAY_END, DAY_START, WorkCalendar, add_working_minutes, working_minutes_between
from api.events.service import emit
from api.queues.models import Queue
from api.queues.service import supervisors_of
from api.supervision.events import emit_to_staff
from api.supervision.models import SlaAlert
from api.supervision.warning import WARN_AT
from api.tickets.messages import AUTO_CLOSED
from api.tickets.models import AuditEntry, Ticket
from common.tickets import EventType, SlaAlertKind, TicketStatus

AUTO_CLOSE_WORKING_DAYS = 5
_WORKDAY_MINUTES = (DAY_END.hour - DAY_START.hour) * 60
AUTO_CLOSE_MINUTES = AUTO_CLOSE_WORKING_DAYS * _WORKDAY_MINUTES
_RUNNING = (TicketStatus.NEW, TicketStatus.CLAIMED)  # the clock runs; paused while waiting for the enterprise


@dataclass(slots=True)
class TickResult:
    """The ticket numbers one tick warned, flagged 超时 and closed."""

    warned: list[str] = field(default_factory=list)
    breached: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


def run_sla_tick(*, session: Session, now: dt.datetime) -> TickResult:
    """Raise the warnings and breaches due by `now` and auto-close unrated resolved tickets, in the caller's unit."""
    calendar = load_calendar(session=session)
    queues = {queue.id: queue for queue in session.exec(select(Queue)).all()}
    result = TickResult()
    for queue in queues.values():
        for ticket in _unalerted(session, SlaAlertKind.WARNING, queue, due=_warning_due(calendar, queue, now)):
            if _record(session, ticket, SlaAlertKind.WARNING, now):
                _announce_warning(session, ticket, queue, calendar, now)
                result.warned.append(ticket.number or "")
        for ticket in _unalerted(session, SlaAlertKind.BREACH, queue, due=col(Ticket.sla_due_at) <= now):
            if _record(session, ticket, SlaAlertKind.BREACH, now):
                _announce_breach(session, ticket, queue)
                result.breached.append(ticket.number or "")
    for ticket in _resolved_unrated(session, calendar, now):
        if _auto_close(session, ticket, queues[ticket.queue_id], now):
            result.closed.append(ticket.number or "")
    return result


def _warning_due(calendar: WorkCalendar, queue: Queue, now: dt.datetime) -> ColumnElement[bool]:
    """Not yet due but past its 预警 time; a ticket stored before sla_warn_at existed uses its queue's SLA."""
    legacy = add_working_minutes(calendar, now, math.ceil(queue.sla_hours * 60 * (1 - WARN_AT))).due_at
    return and_(
        col(Ticket.sla_due_at) > now,  # already past due: the breach says it all
        or_(
            col(Ticket.sla_warn_at) <= now,
            and_(col(Ticket.sla_warn_at).is_(None), col(Ticket.sla_due_at) <= legacy),
        ),
    )


def _unalerted(session: Session, kind: SlaAlertKind, queue: Queue, *, due: ColumnElement[bool]) -> list[Ticket]:
    """Running tickets of `queue` matching `due` with no `kind` alert for their due time yet."""
    alerted = exists().where(
        and_(
            col(SlaAlert.ticket_id) == col(Ticket.id),
            col(SlaAlert.kind) == kind,
            col(SlaAlert.due_at) == col(Ticket.sla_due_at),
        )
    )
    statement = select(Ticket).where(
        col(Ticket.queue_id) == queue.id,
        col(Ticket.status).in_(_RUNNING),
        col(Ticket.sla_due_at).is_not(None),
        due,
        ~alerted,
    )
    return list(session.exec(statement.order_by(col(Ticket.id))).all())


def _record(session: Session, ticket: Ticket, kind: SlaAlertKind, now: dt.datetime) -> bool:
    """Store the alert; False when another tick stored it first (the unique row decides)."""
    assert ticket.id is not None
    assert ticket.sla_due_at is not None
    try:
        with session.begin_nested():
            session.add(SlaAlert(ticket_id=ticket.id, kind=kind, due_at=ticket.sla_due_at, created_at=now))
    except IntegrityError:
        return False
    return True


def _people(session: Session, ticket: Ticket) -> dict[str, Any]:
    assignee = session.get(User, ticket.assignee_id) if ticket.assignee_id else None
    return {
        "assignee_id": ticket.assignee_id,
        "assignee": assignee.username if assignee else None,
        "due_at": ticket.sla_due_at.isoformat() if ticket.sla_due_at else None,
    }


def _announce_warning(session: Session, ticket: Ticket, queue: Queue, calendar: WorkCalendar, now: dt.datetime) -> None:
    assert ticket.sla_due_at is not None
    remaining = working_minutes_between(calendar, now, ticket.sla_due_at)
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=None, action="sla_warning", detail={"remaining": remaining}))
    emit_to_staff(
        session, ticket, queue, EventType.SLA_WARNING, remaining_minutes=remaining, **_people(session, ticket)
    )


def _announce_breach(session: Session, ticket: Ticket, queue: Queue) -> None:
    assert queue.id is not None
    supervisors = supervisors_of(session=session, queue_id=queue.id)
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=None, action="sla_breached", detail={}))
    emit_to_staff(
        session,
        ticket,
        queue,
        EventType.SLA_BREACHED,
        supervisor_ids=[user.id for user in supervisors],
        supervisors=[user.username for user in supervisors],
        **_people(session, ticket),
    )


def _resolved_unrated(session: Session, calendar: WorkCalendar, now: dt.datetime) -> list[Ticket]:
    """Resolved tickets (a rating would have closed them) resolved 5 working days or more before `now`."""
    # 5 working days never fit in fewer than 4 calendar days: a cheap bound before the exact count.
    bound = now - dt.timedelta(days=AUTO_CLOSE_WORKING_DAYS - 1)
    statement = select(Ticket).where(
        col(Ticket.status) == TicketStatus.RESOLVED,
        col(Ticket.resolved_at).is_not(None),
        col(Ticket.resolved_at) <= bound,
    )
    return [
        ticket
        for ticket in session.exec(statement.order_by(col(Ticket.id))).all()
        if ticket.resolved_at is not None
        and working_minutes_between(calendar, ticket.resolved_at, now) >= AUTO_CLOSE_MINUTES
    ]


def _auto_close(session: Session, ticket: Ticket, queue: Queue, now: dt.datetime) -> bool:
    """Close a resolved ticket that was not rated in time (once: the update checks status and version)."""
    statement = (
        update(Ticket)
        .where(
            col(Ticket.id) == ticket.id,
            col(Ticket.version) == ticket.version,
            col(Ticket.status) == TicketStatus.RESOLVED,
        )
        .values(status=TicketStatus.CLOSED, version=col(Ticket.version) + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if session.exec(statement).rowcount != 1:
        return False
    session.refresh(ticket)
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=None, action="closed", detail={"auto": True}))
    assert ticket.number is not None
    emit(
        session,
        type=EventType.CLOSED,
        ticket_number=ticket.number,
        status=ticket.status,
        queue_key=queue.key,
        enterprise_id=ticket.enterprise_id,
        requester_id=ticket.requester_id,
        data={"auto_closed": True, "body": AUTO_CLOSED},
    )
    return True
