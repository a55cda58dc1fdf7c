"""Writing outbox events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, text
from sqlmodel import Session

from api.events.models import OutboxEvent
from common.tickets import EventType, TicketStatus

# PostgreSQL assigns sequence values at insert time, so two concurrent transactions could commit
# ids 11 then 10 and a reader that has seen 11 would skip 10 forever. A transaction-scoped advisory
# lock serialises event writers until commit, so ids become visible in order. SQLite serialises
# writers by itself.
_OUTBOX_LOCK_KEY = 7_349_201


def ordering_lock() -> ColumnElement[Any]:
    """The SQL expression taking the outbox ordering lock (PostgreSQL) for a statement that writes events itself:
    it must be evaluated before the event rows take their ids."""
    return func.pg_advisory_xact_lock(_OUTBOX_LOCK_KEY)


def emit(
    session: Session,
    *,
    type: EventType,
    ticket_number: str,
    status: TicketStatus,
    queue_key: str | None,
    enterprise_id: int | None,
    requester_id: int | None,
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> OutboxEvent:
    """Add an event to the session's transaction; the caller commits it with the ticket change."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OUTBOX_LOCK_KEY})
    payload = {"number": ticket_number, "status": status, **(data or {})}
    event = OutboxEvent(
        type=type,
        ticket_number=ticket_number,
        status=status,
        queue_key=queue_key,
        enterprise_id=enterprise_id,
        requester_id=requester_id,
        internal=internal,
        data=payload,
    )
    session.add(event)
    return event
