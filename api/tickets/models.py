"""Tickets, their messages, ratings and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, FetchedValue, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.roles import Role
from common.tickets import TicketStatus

OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE)


def _fk(target: str, *, nullable: bool, ondelete: str | None = None) -> Any:
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True),
    )


class Ticket(SQLModel, table=True):
    """A service request. `number` (ZD-000123) is shown; `id` never is."""

    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("requester_id", "idempotency_key", name="uq_tickets_requester_idempotency"),)

    id: int | None = Field(default=None, primary_key=True)
    # PostgreSQL fills it in as it inserts (migration 0011); elsewhere the service sets it from the id.
    number: str | None = Field(
        default=None, max_length=32, unique=True, sa_column_kwargs={"server_default": FetchedValue()}
    )
    requester_id: int = _fk("users.id", nullable=False)
    enterprise_id: int | None = _fk("enterprises.id", nullable=True)
    category: str = Field(max_length=64)
    queue_id: int = _fk("queues.id", nullable=False)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    contact: str = Field(max_length=200)
    status: TicketStatus = Field(
        default=TicketStatus.NEW, sa_column=Column(str_enum(TicketStatus, length=32), nullable=False, index=True)
    )
    assignee_id: int | None = _fk("users.id", nullable=True)
    version: int = Field(default=1)
    idempotency_key: str = Field(max_length=128)
    request_hash: str = Field(max_length=64)
    sla_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # None while paused or finished
    sla_warn_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)  # 75 % of its own SLA
    sla_remaining_minutes: int | None = Field(default=None)  # working minutes left, kept while paused
    sla_estimated: bool = Field(default=False)
    sla_note: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class TicketMessage(SQLModel, table=True):
    """A message in a ticket's thread: the enterprise's, a staff public reply, or an internal note."""

    __tablename__ = "ticket_messages"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    author_id: int | None = _fk("users.id", nullable=True)
    author_role: Role = Field(sa_column=Column(str_enum(Role, length=16), nullable=False))
    internal: bool = Field(default=False)  # internal notes never reach the enterprise
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class TicketRating(SQLModel, table=True):
    """The enterprise's rating of a resolved ticket (好差评), once."""

    __tablename__ = "ticket_ratings"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    user_id: int | None = _fk("users.id", nullable=True)
    score: int
    comment: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AuditEntry(SQLModel, table=True):
    """Who did what to which ticket, when."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int | None = _fk("tickets.id", nullable=True, ondelete="CASCADE")
    actor_id: int | None = _fk("users.id", nullable=True)
    action: str = Field(max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
