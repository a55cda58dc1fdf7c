"""The outbox table: one row per ticket change, written in the change's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer
from sqlmodel import Field, SQLModel

from api.db import str_enum
from common.tickets import EventType, TicketStatus


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class OutboxEvent(SQLModel, table=True):
    """An event announcing a ticket change. `id` is the monotonic SSE event id."""

    __tablename__ = "outbox_events"

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    type: EventType = Field(sa_column=Column(str_enum(EventType, length=64), nullable=False, index=True))
    ticket_number: str = Field(max_length=32, index=True)
    status: TicketStatus = Field(sa_column=Column(str_enum(TicketStatus, length=32), nullable=False))
    # Who may see it: staff of `queue_key`, the requester, and (when bound) the enterprise's users.
    queue_key: str | None = Field(default=None, max_length=64)
    enterprise_id: int | None = Field(default=None)
    requester_id: int | None = Field(default=None)
    internal: bool = Field(default=False)  # internal notes never reach the enterprise
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
