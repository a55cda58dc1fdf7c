"""The ticket workflow. Functions add to the caller's session and never commit: the caller commits the
ticket change and its outbox event together."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.auth.models import User
from api.auth.service import find_queue, queue_ids_of
from api.calendar.service import load_calendar
from api.calendar.worktime import add_working_minutes, estimate_note, working_minutes_between
from api.db import utcnow
from api.domain_errors import InvalidInput
from api.enterprises.models import Enterprise
from api.events.service import emit
from api.guides.deadline import promised_minutes
from api.queues.models import Queue, RoutingRule
from api.queues.service import OTHER_CATEGORY, UnknownCategory, current_routing, find_route, route_category
from api.supervision.warning import warning_time
from api.tickets import messages
from api.tickets.errors import (
    AlreadyRated,
    ClaimLost,
    IdempotencyMismatch,
    InvalidTransition,
    NotAssignee,
    NotQueueMember,
    StaleVersion,
    TicketNotFound,
)
from api.tickets.models import OPEN_STATUSES, AuditEntry, Ticket, TicketMessage, TicketRating
from api.tickets.workflow import ALLOWED, Action, allowed, may_act
from common.roles import Role
from common.tickets import EventType, TicketStatus

CategorySuggester = Callable[[str], str | None]
# Audit actions that change a ticket's status, and the status each leads to ("message" only when it resumed).
STATUS_CHANGE_ACTIONS: dict[str, TicketStatus] = {
    "claimed": TicketStatus.CLAIMED,
    "waiting": TicketStatus.WAITING_ENTERPRISE,
    "message": TicketStatus.CLAIMED,
    "transferred": TicketStatus.NEW,
    "resolved": TicketStatus.RESOLVED,
    "cancelled": TicketStatus.CANCELLED,
    "rated": TicketStatus.CLOSED,
    "closed": TicketStatus.CLOSED,
}
EXCERPT_CHARS = 80


def suggest_nothing(_text: str) -> str | None:
    """The default suggester: no guess, so the request goes to 'other'."""
    return None


def format_number(ticket_id: int) -> str:
    """The number users see, e.g. ZD-000123."""
    return f"ZD-{ticket_id:06d}"


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """What an enterprise submits."""

    subject: str
    body: str
    contact: str
    category: str | None = None

    def fingerprint(self) -> str:
        """A hash telling a retry of this request from a different one."""
        canonical = json.dumps([self.category, self.subject, self.body, self.contact], ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket with the names it is shown with."""

    ticket: Ticket
    queue: Queue
    category_name: str
    requester: User
    enterprise: Enterprise | None
    assignee: User | None
    rating: TicketRating | None
    messages: tuple[tuple[TicketMessage, User | None], ...] = ()
    status_changes: tuple[tuple[AuditEntry, User | None], ...] = ()  # shown in the thread beside the messages

    def overdue(self, now: dt.datetime) -> bool:
        """Past its due time while staff hold the ball."""
        due = self.ticket.sla_due_at
        return due is not None and due < now and self.ticket.status in (TicketStatus.NEW, TicketStatus.CLAIMED)


# --- reading --------------------------------------------------------------------------------------


def _requester_scope(user: User) -> ColumnElement[bool]:
    if user.id is None:  # a Telegram user the desk has not seen yet owns nothing
        return false()
    own = col(Ticket.requester_id) == user.id
    if user.enterprise_id is None:
        return own
    return or_(own, col(Ticket.enterprise_id) == user.enterprise_id)


def get_request(*, session: Session, user: User, number: str) -> Ticket:
    """A ticket the enterprise user may see (their own, or their enterprise's once bound)."""
    ticket = session.exec(select(Ticket).where(Ticket.number == number, _requester_scope(user))).first()
    if ticket is None:
        raise TicketNotFound(messages.NOT_FOUND)
    return ticket


def list_requests(*, session: Session, user: User, limit: int, offset: int) -> tuple[list[Ticket], int]:
    """The enterprise user's tickets, newest first."""
    scope = _requester_scope(user)
    total = session.exec(select(func.count()).select_from(Ticket).where(scope)).one()
    statement = select(Ticket).where(scope).order_by(col(Ticket.id).desc()).offset(offset).limit(limit)
    return list(session.exec(statement).all()), int(total)


def get_ticket(*, session: Session, user: User, number: str) -> Ticket:
    """A ticket of one of the staff member's queues (any ticket for an admin)."""
    ticket = session.exec(select(Ticket).where(Ticket.number == number)).first()
    if ticket is None:
        raise TicketNotFound(messages.NOT_FOUND)
    if user.role != Role.ADMIN and ticket.queue_id not in queue_ids_of(session=session, user=user):
        raise TicketNotFound(messages.NOT_FOUND)
    return ticket


def list_queue_tickets(
    *,
    session: Session,
    user: User,
    key: str,
    statuses: Iterable[TicketStatus],
    limit: int,
    offset: int,
    now: dt.datetime,
    query: str | None = None,
) -> tuple[list[Ticket], int]:
    """A queue's tickets with the given statuses (and matching `query`): overdue first, then by due time;
    finished tickets only (history): the latest first."""
    queue = find_queue(session=session, key=key)
    if user.role != Role.ADMIN and queue.id not in queue_ids_of(session=session, user=user):
        raise NotQueueMember(messages.NOT_QUEUE_MEMBER)
    statuses = list(statuses)
    where = and_(col(Ticket.queue_id) == queue.id, col(Ticket.status).in_(statuses))
    if query:
        where = and_(where, search_tickets(query))
    total = session.exec(select(func.count()).select_from(Ticket).where(where)).one()
    if not set(statuses) & set(OPEN_STATUSES):  # history: the latest finished first
        order: tuple[Any, ...] = (col(Ticket.updated_at).desc(), col(Ticket.id).desc())
    else:
        overdue = and_(col(Ticket.status).in_([TicketStatus.NEW, TicketStatus.CLAIMED]), col(Ticket.sla_due_at) < now)
        order = (case((overdue, 0), else_=1), col(Ticket.sla_due_at).asc().nulls_last(), col(Ticket.id))
    statement = select(Ticket).where(where).order_by(*order).offset(offset).limit(limit)
    return list(session.exec(statement).all()), int(total)


def search_tickets(query: str) -> ColumnElement[bool]:
    """Tickets whose number, subject, requester (name, username) or enterprise (name, USCC) contain `query`."""
    pattern = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def like(column: Any) -> ColumnElement[bool]:
        return col(column).ilike(pattern, escape="\\")

    requesters = select(User.id).where(or_(like(User.username), like(User.display_name)))
    enterprises = select(Enterprise.id).where(or_(like(Enterprise.name), like(Enterprise.uscc)))
    return or_(
        like(Ticket.number),
        like(Ticket.subject),
        col(Ticket.requester_id).in_(requesters),
        col(Ticket.enterprise_id).in_(enterprises),
    )


def describe(
    *, session: Session, tickets: list[Ticket], with_messages: bool = False, internal: bool = False
) -> list[TicketView]:
    """Attach queue, category name, people, rating (and the thread) to tickets, in few queries."""
    routing = current_routing(session=session)  # cached: no query
    queues, names = routing.queues, routing.names()
    ids = [t.id for t in tickets]
    user_ids = {t.requester_id for t in tickets} | {t.assignee_id for t in tickets if t.assignee_id}
    thread: dict[int, list[TicketMessage]] = {}
    if with_messages:
        statement = select(TicketMessage).where(col(TicketMessage.ticket_id).in_(ids))
        if not internal:
            statement = statement.where(col(TicketMessage.internal).is_(False))
        for message in session.exec(statement.order_by(col(TicketMessage.id))).all():
            thread.setdefault(message.ticket_id, []).append(message)
            if message.author_id:
                user_ids.add(message.author_id)
    changes: dict[int, list[AuditEntry]] = {}
    if with_messages:
        audit = select(AuditEntry).where(
            col(AuditEntry.ticket_id).in_(ids), col(AuditEntry.action).in_(list(STATUS_CHANGE_ACTIONS))
        )
        for entry in session.exec(audit.order_by(col(AuditEntry.id))).all():
            if entry.action != "message" or "status" in entry.detail:
                changes.setdefault(entry.ticket_id or 0, []).append(entry)
                if entry.actor_id:
                    user_ids.add(entry.actor_id)
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids))).all()}
    enterprise_ids = {t.enterprise_id for t in tickets if t.enterprise_id}
    enterprises: dict[int | None, Enterprise] = {}
    if enterprise_ids:
        enterprises = {e.id: e for e in session.exec(select(Enterprise).where(col(Enterprise.id).in_(enterprise_ids)))}
    ratings = {r.ticket_id: r for r in session.exec(select(TicketRating).where(col(TicketRating.ticket_id).in_(ids)))}
    return [
        TicketView(
            ticket=t,
            queue=queues[t.queue_id],
            category_name=names.get(t.category, t.category),
            requester=users[t.requester_id],
            enterprise=enterprises.get(t.enterprise_id) if t.enterprise_id else None,
            assignee=users.get(t.assignee_id),
            rating=ratings.get(t.id or 0),
            messages=tuple((m, users.get(m.author_id)) for m in thread.get(t.id or 0, [])),
            status_changes=tuple((e, users.get(e.actor_id)) for e in changes.get(t.id or 0, [])),
        )
        for t in tickets
    ]


# --- writing --------------------------------------------------------------------------------------


def _audit(session: Session, ticket: Ticket, actor: User | None, action: str, **detail: Any) -> None:
    session.add(AuditEntry(ticket_id=ticket.id, actor_id=actor.id if actor else None, action=action, detail=detail))


def _emit(
    session: Session,
    ticket: Ticket,
    type: EventType,
    *,
    internal: bool = False,
    staff_of: Queue | None = None,
    **data: Any,
) -> None:
    """Announce a change to the ticket's queue and requester; `staff_of` addresses only that queue's staff."""
    queue = staff_of or session.get(Queue, ticket.queue_id)
    assert ticket.number is not None
    assert queue is not None
    emit(
        session,
        type=type,
        ticket_number=ticket.number,
        status=ticket.status,
        queue_key=queue.key,
        enterprise_id=None if staff_of else ticket.enterprise_id,
        requester_id=None if staff_of else ticket.requester_id,
        internal=internal or staff_of is not None,
        data=data,
    )


def _add_message(session: Session, ticket: Ticket, author: User, body: str, *, internal: bool) -> dict[str, Any]:
    assert ticket.id is not None
    session.add(
        TicketMessage(ticket_id=ticket.id, author_id=author.id, author_role=author.role, internal=internal, body=body)
    )
    return {"author_role": author.role, "excerpt": body[:EXCERPT_CHARS]}


def _advance(
    session: Session,
    ticket: Ticket,
    *,
    action: Action,
    version: int,
    now: dt.datetime,
    **values: Any,
) -> None:
    """Apply `values` only if the ticket still has `version` (and bump it): a stale write gets 409."""
    if ticket.version != version:
        raise StaleVersion(messages.STALE_VERSION)
    if not allowed(action, ticket.status):
        raise InvalidTransition(messages.invalid_transition(ticket.status, action))
    statement = (
        update(Ticket)
        .where(col(Ticket.id) == ticket.id, col(Ticket.version) == version)
        .values(version=col(Ticket.version) + 1, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if session.exec(statement).rowcount != 1:
        raise StaleVersion(messages.STALE_VERSION)
    session.refresh(ticket)


def _check_assignee(session: Session, ticket: Ticket, staff: User, action: Action, version: int) -> None:
    """Refuse (403) an assignee-only action by anyone but the ticket's assignee or an admin.

    A stale version is answered first (409): the caller must see the ticket as it is now."""
    if ticket.version != version:
        raise StaleVersion(messages.STALE_VERSION)
    if may_act(action, assignee_id=ticket.assignee_id, actor_id=staff.id, actor_is_admin=staff.role == Role.ADMIN):
        return
    holder = session.get(User, ticket.assignee_id)
    name = holder.label if holder else messages.ANOTHER_STAFF_MEMBER
    raise NotAssignee(
        messages.NOT_ASSIGNEE.format(assignee=name, action=messages.ACTION_NAMES.get(action, action), english=action)
    )


def _resume_clock(session: Session, ticket: Ticket, now: dt.datetime) -> dict[str, Any]:
    """The SLA columns that restart a paused clock with the working minutes it had left."""
    calendar = load_calendar(session=session)
    deadline = add_working_minutes(calendar, now, ticket.sla_remaining_minutes or 0)
    return {
        "sla_due_at": deadline.due_at,
        "sla_warn_at": warning_time(calendar, now, ticket.sla_remaining_minutes or 0),
        "sla_remaining_minutes": None,
        "sla_estimated": ticket.sla_estimated or deadline.estimated,
        "sla_note": estimate_note(deadline, calendar) or ticket.sla_note,
    }


def _by_key(session: Session, requester: User, key: str) -> Ticket | None:
    statement = select(Ticket).where(Ticket.requester_id == requester.id, Ticket.idempotency_key == key)
    return session.exec(statement).first()


def _replay(ticket: Ticket, draft: RequestDraft) -> tuple[Ticket, bool]:
    if ticket.request_hash != draft.fingerprint():
        raise IdempotencyMismatch(messages.IDEMPOTENCY_MISMATCH)
    return ticket, False


def suggest_category(draft: RequestDraft, suggest: CategorySuggester) -> str | None:
    """The category to suggest for a draft that names none (a full match: run it before the transaction)."""
    return suggest(f"{draft.subject}\n{draft.body}") if draft.category is None else None


def _route(session: Session, draft: RequestDraft, suggested: str | None) -> tuple[RoutingRule, Queue]:
    routing = current_routing(session=session)
    if draft.category is not None:
        return find_route(routing, draft.category)
    try:
        return find_route(routing, suggested or "")
    except UnknownCategory:
        return find_route(routing, OTHER_CATEGORY)


def plan_ticket(
    *, session: Session, draft: RequestDraft, idempotency_key: str, suggested: str | None, now: dt.datetime
) -> tuple[Ticket, Queue]:
    """A new ticket routed and timed (its requester not set, not added), and its queue as cached (read only).

    A draft without a category goes to `suggested` (see `suggest_category`), else to 'other'."""
    rule, queue = _route(session, draft, suggested)
    calendar = load_calendar(session=session)
    promised = promised_minutes(session=session, category=rule.category, queue=queue)
    deadline = add_working_minutes(calendar, now, promised)
    assert queue.id is not None
    ticket = Ticket(
        category=rule.category,
        queue_id=queue.id,
        subject=draft.subject,
        body=draft.body,
        contact=draft.contact,
        status=TicketStatus.NEW,
        version=1,
        idempotency_key=idempotency_key,
        request_hash=draft.fingerprint(),
        sla_due_at=deadline.due_at,
        sla_warn_at=warning_time(calendar, now, promised),
        sla_estimated=deadline.estimated,
        sla_note=estimate_note(deadline, calendar),
        created_at=now,
        updated_at=now,
    )
    return ticket, queue


def created_event_data(ticket: Ticket, *, suggested: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a new ticket's audit entry and its `ticket.created` event say beside the common fields."""
    return {"category": ticket.category, "suggested": suggested}, {
        "category": ticket.category,
        "subject": ticket.subject[:EXCERPT_CHARS],
    }


def submit_request(
    *,
    session: Session,
    requester: User,
    draft: RequestDraft,
    idempotency_key: str,
    suggested: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Ticket, bool]:
    """Open a ticket, or return the one this requester opened with the same key: (ticket, created).

    A draft without a category goes to `suggested` (see `suggest_category`), else to 'other'."""
    now = now or utcnow()
    existing = _by_key(session, requester, idempotency_key)
    if existing is not None:
        return _replay(existing, draft)
    ticket, queue = plan_ticket(
        session=session, draft=draft, idempotency_key=idempotency_key, suggested=suggested, now=now
    )
    session.merge(queue, load=False)  # the event names it: no query
    assert requester.id is not None
    ticket.requester_id, ticket.enterprise_id = requester.id, requester.enterprise_id
    try:
        with session.begin_nested():
            session.add(ticket)
            session.flush()
    except IntegrityError:  # a concurrent retry with the same key won the insert
        existing = _by_key(session, requester, idempotency_key)
        if existing is None:
            raise
        return _replay(existing, draft)
    assert ticket.id is not None
    if ticket.number is None:  # PostgreSQL numbered it in the insert (a sequence); SQLite from the id
        ticket.number = format_number(ticket.id)
        session.add(ticket)
        session.flush()
    audit, data = created_event_data(ticket, suggested=draft.category is None)
    _audit(session, ticket, requester, "created", **audit)
    _emit(session, ticket, EventType.CREATED, **data)
    return ticket, True


def add_enterprise_message(
    *, session: Session, ticket: Ticket, author: User, body: str, now: dt.datetime | None = None
) -> Ticket:
    """The enterprise writes on its ticket; an answer to a request for more restarts the clock.

    It takes no version: the row is locked and re-read first, so a concurrent write never refuses it.
    """
    session.refresh(ticket, with_for_update=True)  # PostgreSQL: FOR UPDATE; SQLite's unit already holds the lock
    now = now or utcnow()
    values = _resume_clock(session, ticket, now) if ticket.status == TicketStatus.WAITING_ENTERPRISE else {}
    if values:
        values["status"] = TicketStatus.CLAIMED
    _advance(session, ticket, action=Action.MESSAGE, version=ticket.version, now=now, **values)
    data = _add_message(session, ticket, author, body, internal=False)
    _audit(session, ticket, author, "message", **({"status": TicketStatus.CLAIMED} if values else {}))
    _emit(session, ticket, EventType.MESSAGE, **data)
    return ticket


def cancel_request(*, session: Session, ticket: Ticket, actor: User, reason: str | None) -> Ticket:
    """The enterprise withdraws an open request."""
    now = utcnow()
    _advance(
        session, ticket, action=Action.CANCEL, version=ticket.version, now=now,
        status=TicketStatus.CANCELLED, sla_due_at=None, sla_warn_at=None, sla_remaining_minutes=None,
    )  # fmt: skip
    _audit(session, ticket, actor, "cancelled", reason=reason)
    _emit(session, ticket, EventType.CANCELLED)
    return ticket


def rate_ticket(*, session: Session, ticket: Ticket, actor: User, score: int, comment: str) -> Ticket:
    """好差评: the enterprise rates a resolved ticket once, which closes it."""
    if session.exec(select(TicketRating.id).where(TicketRating.ticket_id == ticket.id)).first() is not None:
        raise AlreadyRated(messages.ALREADY_RATED)
    now = utcnow()
    _advance(session, ticket, action=Action.RATE, version=ticket.version, now=now, status=TicketStatus.CLOSED)
    assert ticket.id is not None
    session.add(TicketRating(ticket_id=ticket.id, user_id=actor.id, score=score, comment=comment, created_at=now))
    _audit(session, ticket, actor, "rated", score=score)
    _emit(session, ticket, EventType.RATED, score=score)
    _emit(session, ticket, EventType.CLOSED)
    return ticket


def claim_ticket(*, session: Session, ticket: Ticket, staff: User) -> Ticket:
    """Take a new ticket: one winner; every later claim gets 409 (taking over is a transfer)."""
    statement = (
        update(Ticket)
        .where(
            col(Ticket.id) == ticket.id,
            col(Ticket.status).in_(ALLOWED[Action.CLAIM]),
            col(Ticket.assignee_id).is_(None),
        )
        .values(status=TicketStatus.CLAIMED, assignee_id=staff.id, version=col(Ticket.version) + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if session.exec(statement).rowcount != 1:
        raise ClaimLost(messages.CLAIM_LOST)
    session.refresh(ticket)
    _audit(session, ticket, staff, "claimed")
    _emit(session, ticket, EventType.CLAIMED, assignee=staff.label)
    return ticket


def reply(*, session: Session, ticket: Ticket, staff: User, version: int, body: str) -> Ticket:
    """A public reply the enterprise sees; a reply to a new ticket claims it (a concurrent claim makes it stale)."""
    _check_assignee(session, ticket, staff, Action.REPLY, version)
    claims = ticket.status == TicketStatus.NEW
    values: dict[str, Any] = {"status": TicketStatus.CLAIMED, "assignee_id": staff.id} if claims else {}
    _advance(session, ticket, action=Action.REPLY, version=version, now=utcnow(), **values)
    if claims:
        _audit(session, ticket, staff, "claimed", by_reply=True)
        _emit(session, ticket, EventType.CLAIMED, assignee=staff.label)
    data = _add_message(session, ticket, staff, body, internal=False)
    _audit(session, ticket, staff, "replied")
    _emit(session, ticket, EventType.MESSAGE, **data)
    return ticket


def add_note(*, session: Session, ticket: Ticket, staff: User, version: int, body: str) -> Ticket:
    """An internal note: staff only, never shown or streamed to the enterprise."""
    _advance(session, ticket, action=Action.NOTE, version=version, now=utcnow())
    data = _add_message(session, ticket, staff, body, internal=True)
    _audit(session, ticket, staff, "noted")
    _emit(session, ticket, EventType.NOTE, internal=True, **data)
    return ticket


def ask_enterprise(
    *, session: Session, ticket: Ticket, staff: User, version: int, body: str, now: dt.datetime | None = None
) -> Ticket:
    """Ask the enterprise for more: a public message, and the SLA clock pauses until it answers."""
    _check_assignee(session, ticket, staff, Action.ASK_FOR_MORE, version)
    now = now or utcnow()
    remaining = 0
    if ticket.sla_due_at is not None:
        remaining = working_minutes_between(load_calendar(session=session), now, ticket.sla_due_at)
    _advance(
        session, ticket, action=Action.ASK_FOR_MORE, version=version, now=now,
        status=TicketStatus.WAITING_ENTERPRISE, sla_due_at=None, sla_warn_at=None, sla_remaining_minutes=remaining,
    )  # fmt: skip
    data = _add_message(session, ticket, staff, body, internal=False)
    _audit(session, ticket, staff, "waiting", remaining_minutes=remaining)
    _emit(session, ticket, EventType.WAITING, **data)
    return ticket


def transfer(
    *,
    session: Session,
    ticket: Ticket,
    staff: User,
    version: int,
    queue_key: str | None,
    category: str | None,
    reason: str | None,
) -> Ticket:
    """Move a ticket to another queue (or correct its category): it becomes new there, unassigned."""
    if queue_key is None and category is None:
        raise InvalidInput(messages.TRANSFER_TARGET)
    _check_assignee(session, ticket, staff, Action.TRANSFER, version)
    now = utcnow()
    source = session.get(Queue, ticket.queue_id)
    assert source is not None
    new_category = ticket.category
    if category is not None:
        rule, target = route_category(session=session, category=category)
        new_category = rule.category
    if queue_key is not None:
        target = find_queue(session=session, key=queue_key)
    values = _resume_clock(session, ticket, now) if ticket.status == TicketStatus.WAITING_ENTERPRISE else {}
    _advance(
        session, ticket, action=Action.TRANSFER, version=version, now=now,
        status=TicketStatus.NEW, assignee_id=None, queue_id=target.id, category=new_category, **values,
    )  # fmt: skip
    if reason:
        _add_message(session, ticket, staff, messages.TRANSFER_REASON.format(reason=reason), internal=True)
    _audit(session, ticket, staff, "transferred", from_queue=source.key, to_queue=target.key, category=new_category)
    moved: dict[str, Any] = {"from_queue": source.key, "to_queue": target.key, "category": new_category}
    _emit(session, ticket, EventType.TRANSFERRED, **moved)
    _emit(session, ticket, EventType.TRANSFERRED, staff_of=source, **moved)  # the queue it left sees it go
    return ticket


def resolve(*, session: Session, ticket: Ticket, staff: User, version: int, body: str | None) -> Ticket:
    """Mark the request done, with an optional closing reply."""
    _check_assignee(session, ticket, staff, Action.RESOLVE, version)
    now = utcnow()
    _advance(
        session, ticket, action=Action.RESOLVE, version=version,
        now=now, status=TicketStatus.RESOLVED, resolved_at=now, sla_remaining_minutes=None,
    )  # fmt: skip
    if body:
        _add_message(session, ticket, staff, body, internal=False)
    _audit(session, ticket, staff, "resolved")
    _emit(session, ticket, EventType.RESOLVED, excerpt=(body or "")[:EXCERPT_CHARS])
    return ticket


def record_change(
    *,
    session: Session,
    ticket: Ticket,
    staff: User,
    version: int,
    action: Action,
    audit: str,
    event: EventType = EventType.UPDATED,
    **detail: Any,
) -> Ticket:
    """A staff change kept beside the ticket row (materials ticked, a 整改 closed): the version check, the
    assignee rule and the status table of `action`, then a version bump, its audit entry and its event."""
    _check_assignee(session, ticket, staff, action, version)
    _advance(session, ticket, action=action, version=version, now=utcnow())
    _audit(session, ticket, staff, audit, **detail)
    _emit(session, ticket, event, **detail)
    return ticket
