"""The SLA job's alerts, supervisors' 督办 and the job leases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.tickets import SlaAlertKind


class JobLease(SQLModel, table=True):
    """Which replica runs a scheduled job until `expires_at` (one row per job)."""

    __tablename__ = "job_leases"

    name: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=64)
    expires_at: datetime = Field(sa_type=UtcDateTime)


class SlaAlert(SQLModel, table=True):
    """An alert the SLA job raised, once per ticket, kind and due time (a new due time may alert again)."""

    __tablename__ = "sla_alerts"
    __table_args__ = (UniqueConstraint("ticket_id", "kind", "due_at", name="uq_sla_alerts_ticket_kind_due"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: SlaAlertKind = Field(sa_column=Column(str_enum(SlaAlertKind, length=16), nullable=False))
    due_at: datetime = Field(sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Supervision(SQLModel, table=True):
    """A supervisor's 督办 on a ticket: a note its assignee must acknowledge."""

    __tablename__ = "ticket_supervisions"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    assignee_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    acknowledged_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
