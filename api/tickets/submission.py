"""Submitting a service request. On PostgreSQL the common case — an active enterprise user, a new
Idempotency-Key — is one statement: the requester looked up, the ticket, its audit entry and its
`ticket.created` event inserted together (`INSERT … RETURNING` in data-modifying CTEs), so a submission
is one transaction of one statement. Anything else (a first-seen Telegram user, a retried key, a refused
caller, SQLite) takes the general path in the same transaction, which applies every rule itself."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, literal, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from api.auth.models import User
from api.auth.service import TelegramCaller, enterprise_bot_user
from api.db import utcnow
from api.events.hooks import note_emitted
from api.events.models import OutboxEvent
from api.events.watermark import writer_lock
from api.queues.models import Queue
from api.tickets import service
from api.tickets.models import AuditEntry, Ticket
from common.roles import Role
from common.tickets import EventType, TicketStatus

# The planned ticket's columns the statement writes as they are (the requester's come from the lookup).
_PLANNED = (
    "category",
    "queue_id",
    "subject",
    "body",
    "contact",
    "status",
    "version",
    "idempotency_key",
    "request_hash",
    "sla_due_at",
    "sla_warn_at",
    "sla_estimated",
    "sla_note",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class Submitted:
    """The ticket a submission opened or found again; `queue` is set when the answer can be built from
    what the statement wrote (a new ticket: no thread, no files, no rating yet)."""

    ticket: Ticket
    created: bool
    queue: Queue | None = None


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


@functools.cache
def _one_statement(requester_column: str) -> Select[Any]:
    """The whole common-case write, requester found by `requester_column` (`id` or `telegram_user_id`)."""
    users, tickets, audit, outbox = _table(User), _table(Ticket), _table(AuditEntry), _table(OutboxEvent)
    requester = (
        select(users.c.id, users.c.enterprise_id)
        .where(
            users.c[requester_column] == bindparam("requester", type_=users.c[requester_column].type),
            users.c.role == literal(Role.ENTERPRISE, users.c.role.type),
            users.c.is_active.is_(True),
        )
        .cte("requester")
    )
    planned = [bindparam(name, type_=tickets.c[name].type) for name in _PLANNED]
    ticket = (
        pg_insert(tickets)
        .from_select(
            ["requester_id", "enterprise_id", *_PLANNED], select(requester.c.id, requester.c.enterprise_id, *planned)
        )
        .on_conflict_do_nothing(constraint="uq_tickets_requester_idempotency")  # a retry: the general path replays
        .returning(tickets.c.id, tickets.c.number, tickets.c.requester_id, tickets.c.enterprise_id)
        .cte("ticket")
    )
    audited = (
        pg_insert(audit)
        .from_select(
            ["ticket_id", "actor_id", "action", "detail", "created_at"],
            select(
                ticket.c.id,
                ticket.c.requester_id,
                literal("created"),
                bindparam("audit_detail", type_=audit.c.detail.type),
                bindparam("created_at", type_=audit.c.created_at.type),
            ),
        )
        .cte("audited")
    )
    # The event's id is taken as its row is formed, which needs the lock's row first (api.events.watermark).
    lock = select(writer_lock().label("locked")).cte("writer_lock")
    payload = func.json_build_object(
        literal("number"),
        ticket.c.number,
        literal("status"),
        literal(str(TicketStatus.NEW)),
        literal("category"),
        bindparam("event_category", type_=outbox.c.ticket_number.type),
        literal("subject"),
        bindparam("event_subject", type_=outbox.c.ticket_number.type),
    )
    announced = (
        pg_insert(outbox)
        .from_select(
            [
                "created_at",
                "type",
                "ticket_number",
                "status",
                "queue_key",
                "enterprise_id",
                "requester_id",
                "internal",
                "data",
            ],
            select(
                bindparam("event_created_at", type_=outbox.c.created_at.type),
                literal(EventType.CREATED, outbox.c.type.type),
                ticket.c.number,
                literal(TicketStatus.NEW, outbox.c.status.type),
                bindparam("queue_key", type_=outbox.c.queue_key.type),
                ticket.c.enterprise_id,
                ticket.c.requester_id,
                literal(False),
                payload,
            ).select_from(ticket.join(lock, true())),
        )
        .cte("announced")
    )
    return (
        select(ticket.c.id, ticket.c.number, ticket.c.requester_id, ticket.c.enterprise_id)
        .add_cte(audited)
        .add_cte(announced)
    )


def _write_in_one_statement(
    session: Session, *, requester: tuple[str, int], ticket: Ticket, queue: Queue, suggested: bool, now: dt.datetime
) -> bool:
    """Insert the planned ticket, its audit entry and its event for an active enterprise requester; False when
    nothing was written (the key was used, or the requester is not such a user)."""
    column, value = requester
    audit_detail, data = service.created_event_data(ticket, suggested=suggested)
    params: dict[str, Any] = {name: getattr(ticket, name) for name in _PLANNED}
    params |= {
        "requester": value,
        "audit_detail": audit_detail,
        "event_category": data["category"],
        "event_subject": data["subject"],
        "event_created_at": now,
        "queue_key": queue.key,
    }
    row = session.connection().execute(_one_statement(column), params).first()
    if row is None:
        return False
    ticket.id, ticket.number, ticket.requester_id, ticket.enterprise_id = row
    note_emitted(session, EventType.CREATED)
    return True


def submit(
    *,
    session: Session,
    submitter: User | TelegramCaller,
    draft: service.RequestDraft,
    idempotency_key: str,
    suggested: str | None,
) -> Submitted:
    """Open a ticket for `submitter`, or find the one they opened with the same key, in the caller's unit of work."""
    if session.get_bind().dialect.name == "postgresql":
        now = utcnow()
        ticket, queue = service.plan_ticket(
            session=session, draft=draft, idempotency_key=idempotency_key, suggested=suggested, now=now
        )
        requester = (
            ("telegram_user_id", submitter.telegram_user_id)
            if isinstance(submitter, TelegramCaller)
            else ("id", submitter.id or 0)
        )
        suggested_category = draft.category is None
        if _write_in_one_statement(
            session, requester=requester, ticket=ticket, queue=queue, suggested=suggested_category, now=now
        ):
            return Submitted(ticket, created=True, queue=queue)
    user = (
        enterprise_bot_user(session=session, caller=submitter) if isinstance(submitter, TelegramCaller) else submitter
    )
    ticket, created = service.submit_request(
        session=session, requester=user, draft=draft, idempotency_key=idempotency_key, suggested=suggested
    )
    return Submitted(ticket, created)
