"""Queues, memberships and routing rules."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


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


class RoutingRule(SQLModel, table=True):
    """A request category and the queue it goes to."""

    __tablename__ = "routing_rules"

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100)  # the category's Chinese name
    queue_id: int = Field(sa_column=Column(Integer, ForeignKey("queues.id"), nullable=False))
