"""A service ticket's statuses and the events announcing its changes."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    """new → claimed → waiting_enterprise ⇄ claimed → resolved → closed, or cancelled."""

    NEW = "new"
    CLAIMED = "claimed"
    WAITING_ENTERPRISE = "waiting_enterprise"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class EventType(StrEnum):
    """What happened to a ticket, as the outbox and the event stream name it."""

    CREATED = "ticket.created"
    UPDATED = "ticket.updated"  # a change beside the status: materials ticked, a file, a 整改
    CLAIMED = "ticket.claimed"
    MESSAGE = "ticket.message"
    NOTE = "ticket.note"
    WAITING = "ticket.waiting"
    TRANSFERRED = "ticket.transferred"
    RESOLVED = "ticket.resolved"
    RATED = "ticket.rated"
    CLOSED = "ticket.closed"
    CANCELLED = "ticket.cancelled"
