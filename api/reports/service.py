"""Ticket reports per queue and per category over a range of (Beijing) days.

For the tickets of the queues the caller may report on (every queue for an admin, the supervised
ones for a supervisor), by the ticket's current queue and category:
- opened: tickets created in the range; their first-response time is the working time from creation
  to the first public staff message;
- resolved: tickets resolved in the range; their resolution time is the working time from creation to
  resolution, and the SLA was met when the job never flagged them 超时 and they were resolved by their
  due time;
- ratings (好差评, 1–5) given in the range;
- rectifications (整改) opened in the range, how many of them are still open, and how many of those are
  past their due time now.
Working time is counted on the desk's calendar (api/calendar) in minutes.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from api.auth.models import User
from api.calendar.clock import WorkingClock
from api.calendar.service import load_calendar
from api.calendar.worktime import BEIJING
from api.db import utcnow
from api.domain_errors import Forbidden, InvalidInput
from api.queues.models import Queue, RoutingRule
from api.queues.service import supervised_queue_ids
from api.ratings.models import Rectification
from api.reports import messages
from api.supervision.models import SlaAlert
from api.tickets.models import Ticket, TicketMessage, TicketRating
from common.roles import Role
from common.service_window import RectificationStatus
from common.tickets import SlaAlertKind

MAX_DAYS = 366
YEARS = range(2000, 2100)  # the desk's era: far dates would overflow the day arithmetic
SCORES = (1, 2, 3, 4, 5)


class NotReporter(Forbidden):
    """The caller is neither an admin nor a queue supervisor."""


@dataclass(frozen=True, slots=True)
class Durations:
    """Working minutes of a set of intervals: how many, their mean and median (None when there are none)."""

    count: int
    avg: float | None
    median: float | None

    @classmethod
    def of(cls, minutes: list[int]) -> Durations:
        """Summarise a list of working minutes."""
        if not minutes:
            return cls(0, None, None)
        return cls(len(minutes), round(statistics.fmean(minutes), 1), float(statistics.median(minutes)))


@dataclass(slots=True)
class _Tally:
    opened: int = 0
    first_response: list[int] = field(default_factory=list)
    resolved: int = 0
    resolution: list[int] = field(default_factory=list)
    sla_met: int = 0
    ratings: Counter[int] = field(default_factory=Counter)
    rectifications: int = 0
    rectifications_open: int = 0
    rectifications_overdue: int = 0


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One queue's, one category's or the total's figures."""

    key: str
    name: str
    opened: int
    resolved: int
    first_response: Durations
    resolution: Durations
    sla_met: int
    ratings: dict[int, int]
    rectifications: int
    rectifications_open: int
    rectifications_overdue: int

    @property
    def sla_met_ratio(self) -> float | None:
        """The share of resolved tickets resolved in time (None when none was resolved)."""
        return round(self.sla_met / self.resolved, 4) if self.resolved else None

    @classmethod
    def of(cls, key: str, name: str, tally: _Tally) -> ReportRow:
        """Freeze a tally."""
        return cls(
            key=key,
            name=name,
            opened=tally.opened,
            resolved=tally.resolved,
            first_response=Durations.of(tally.first_response),
            resolution=Durations.of(tally.resolution),
            sla_met=tally.sla_met,
            ratings={score: tally.ratings.get(score, 0) for score in SCORES},
            rectifications=tally.rectifications,
            rectifications_open=tally.rectifications_open,
            rectifications_overdue=tally.rectifications_overdue,
        )


@dataclass(frozen=True, slots=True)
class Report:
    """The figures of a date range by queue, by category and in total."""

    first: dt.date
    last: dt.date
    queues: list[ReportRow]
    categories: list[ReportRow]
    total: ReportRow


def check_range(first: dt.date, last: dt.date) -> None:
    """Refuse a reversed range or one longer than MAX_DAYS."""
    if last < first or (last - first).days >= MAX_DAYS or first.year not in YEARS or last.year not in YEARS:
        raise InvalidInput(messages.BAD_RANGE.format(days=MAX_DAYS))


def reportable_queue_ids(*, session: Session, user: User) -> list[int]:
    """The queues `user` may report on: all for an admin, the supervised ones for staff; else 403."""
    if user.role not in (Role.ADMIN, Role.STAFF):
        raise NotReporter(messages.NOT_ALLOWED)
    queue_ids = supervised_queue_ids(session=session, user=user)
    if not queue_ids:
        raise NotReporter(messages.NOT_ALLOWED)
    return queue_ids


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time(0), BEIJING).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), BEIJING).astimezone(dt.UTC)
    return start, end


def _clock(session: Session, moments: Iterable[dt.datetime | None]) -> WorkingClock | None:
    days = [m.astimezone(BEIJING).date() for m in moments if m is not None]
    if not days:
        return None
    return WorkingClock(load_calendar(session=session), min(days), max(days))


def ticket_report(
    *, session: Session, user: User, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> Report:
    """Opened, resolved, response and resolution working time, SLA met, ratings and 整改 for `first`..`last`."""
    check_range(first, last)
    now = now or utcnow()
    queue_ids = reportable_queue_ids(session=session, user=user)
    start, end = _bounds(first, last)
    in_scope = col(Ticket.queue_id).in_(queue_ids)
    first_reply = (
        select(func.min(TicketMessage.created_at))
        .where(
            col(TicketMessage.ticket_id) == col(Ticket.id),
            col(TicketMessage.internal).is_(False),
            col(TicketMessage.author_role).in_([Role.STAFF, Role.ADMIN]),
        )
        .scalar_subquery()
    )
    # Core selects on the connection: sqlmodel's typed `select` takes no scalar subquery as a column, and
    # plain rows skip the ORM's per-row loading (100,000 rows in a year's report).
    connection = session.connection()
    opened = connection.execute(
        sql_select(col(Ticket.queue_id), col(Ticket.category), col(Ticket.created_at), first_reply).where(
            in_scope, col(Ticket.created_at) >= start, col(Ticket.created_at) < end
        )
    ).all()
    breached = exists().where(
        and_(col(SlaAlert.ticket_id) == col(Ticket.id), col(SlaAlert.kind) == SlaAlertKind.BREACH)
    )
    resolved = connection.execute(
        sql_select(
            col(Ticket.queue_id),
            col(Ticket.category),
            col(Ticket.created_at),
            col(Ticket.resolved_at),
            col(Ticket.sla_due_at),
            breached,
        ).where(in_scope, col(Ticket.resolved_at) >= start, col(Ticket.resolved_at) < end)
    ).all()
    ratings = session.exec(
        select(Ticket.queue_id, Ticket.category, TicketRating.score, func.count())
        .join(Ticket, col(Ticket.id) == col(TicketRating.ticket_id))
        .where(in_scope, col(TicketRating.created_at) >= start, col(TicketRating.created_at) < end)
        .group_by(col(Ticket.queue_id), col(Ticket.category), col(TicketRating.score))
    ).all()
    still_open = col(Rectification.status) == RectificationStatus.OPEN
    rectifications = connection.execute(
        sql_select(
            col(Ticket.queue_id),
            col(Ticket.category),
            func.count(),
            func.count().filter(still_open),
            func.count().filter(and_(still_open, col(Rectification.due_at) < now)),
        )
        .join(Ticket, col(Ticket.id) == col(Rectification.ticket_id))
        .where(in_scope, col(Rectification.created_at) >= start, col(Rectification.created_at) < end)
        .group_by(col(Ticket.queue_id), col(Ticket.category))
    ).all()
    clock = _clock(session, [m for row in opened for m in row[2:4]] + [m for row in resolved for m in row[2:4]])
    by_queue: dict[int, _Tally] = {queue_id: _Tally() for queue_id in queue_ids}
    by_category: dict[str, _Tally] = {}
    total = _Tally()

    def tallies(queue_id: int, category: str) -> tuple[_Tally, ...]:
        return by_queue[queue_id], by_category.setdefault(category, _Tally()), total

    for queue_id, category, created_at, replied_at in opened:
        minutes = clock.between(created_at, replied_at) if clock and replied_at is not None else None
        for tally in tallies(queue_id, category):
            tally.opened += 1
            if minutes is not None:
                tally.first_response.append(minutes)
    for queue_id, category, created_at, resolved_at, due_at, was_breached in resolved:
        assert clock is not None
        assert resolved_at is not None  # the WHERE bounds it
        minutes = clock.between(created_at, resolved_at)
        met = not was_breached and (due_at is None or resolved_at <= due_at)
        for tally in tallies(queue_id, category):
            tally.resolved += 1
            tally.resolution.append(minutes)
            tally.sla_met += int(met)
    for queue_id, category, score, count in ratings:
        for tally in tallies(queue_id, category):
            tally.ratings[int(score)] += int(count)
    for queue_id, category, opened_count, open_count, overdue_count in rectifications:
        for tally in tallies(queue_id, category):
            tally.rectifications += int(opened_count)
            tally.rectifications_open += int(open_count)
            tally.rectifications_overdue += int(overdue_count)
    queues = {q.id: q for q in session.exec(select(Queue).where(col(Queue.id).in_(queue_ids))).all()}
    names = dict(session.exec(select(RoutingRule.category, RoutingRule.name)).all())
    return Report(
        first=first,
        last=last,
        queues=sorted(
            (ReportRow.of(queues[qid].key, queues[qid].name, tally) for qid, tally in by_queue.items()),
            key=lambda row: row.key,
        ),
        categories=[ReportRow.of(key, names.get(key, key), by_category[key]) for key in sorted(by_category)],
        total=ReportRow.of("total", messages.GROUPS["total"], total),
    )
