"""Queues, memberships and routing rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, Text, false
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, utcnow


class Queue(SQLModel, table=True):
    """A staff queue (a service window) with its SLA in working hours."""

    __tablename__ = "queues"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100)
    department: str = Field(max_length=100)
    sla_hours: int = Field(default=16)


class QueueMembership(SQLModel, table=True):
    """A staff member works a queue."""

    __tablename__ = "queue_memberships"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    queue_id: int = Field(sa_column=Column(Integer, ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True))
    # A supervisor is alerted when a ticket of the queue breaches its SLA, may 督办 and sees its reports.
    supervisor: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))


class RoutingRule(SQLModel, table=True):
    """A request category and the queue it goes to."""

    __tablename__ = "routing_rules"

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100)  # the category's Chinese name
    queue_id: int = Field(sa_column=Column(Integer, ForeignKey("queues.id"), nullable=False))


class CannedReply(SQLModel, table=True):
    """A 常用回复 of a queue: a reply its staff pick instead of typing it."""

    __tablename__ = "canned_replies"

    id: int | None = Field(default=None, primary_key=True)
    queue_id: int = Field(
        sa_column=Column(Integer, ForeignKey("queues.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    title: str = Field(max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
