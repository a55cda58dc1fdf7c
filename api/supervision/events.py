"""Announcing supervision (SLA alerts, 督办) to a ticket's queue staff through the outbox."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.events.service import emit
from api.queues.models import Queue
from api.tickets.models import Ticket
from common.tickets import EventType


def emit_to_staff(session: Session, ticket: Ticket, queue: Queue, type: EventType, **data: Any) -> None:
    """An internal event for the staff of `queue` only: never streamed to the enterprise."""
    assert ticket.number is not None
    emit(
        session,
        type=type,
        ticket_number=ticket.number,
        status=ticket.status,
        queue_key=queue.key,
        enterprise_id=None,
        requester_id=None,
        internal=True,
        data=data,
    )
