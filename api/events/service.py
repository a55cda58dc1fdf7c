"""Writing outbox events inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.events.models import OutboxEvent
from api.events.watermark import take_writer_lock
from common.tickets import EventType, TicketStatus


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
    take_writer_lock(session)  # before the row takes its id: see api.events.watermark
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
