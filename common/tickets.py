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
    SLA_WARNING = "ticket.sla_warning"  # 75 % of the SLA time used: the assignee is warned (预警)
    SLA_BREACHED = "ticket.sla_breached"  # past due: flagged 超时, the queue's supervisors alerted
    SUPERVISED = "ticket.supervised"  # a supervisor's 督办 the assignee must acknowledge
    SUPERVISION_ACKNOWLEDGED = "ticket.supervision_acknowledged"


class SlaAlertKind(StrEnum):
    """What the SLA job announced about a ticket's due time."""

    WARNING = "warning"  # 预警: three quarters of the time used
    BREACH = "breach"  # 超时
