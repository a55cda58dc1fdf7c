"""办事指南 of a category, and the materials received on a ticket."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, utcnow


class CategoryGuide(SQLModel, table=True):
    """What an enterprise needs to know before applying: materials, time limits, fee, where and when."""

    __tablename__ = "category_guides"

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=64, unique=True)
    materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    promised_days: int  # 承诺时限, working days: the ticket's due time
    statutory_days: int  # 法定时限, working days
    fee: str = Field(default="不收费", max_length=200)
    location: str = Field(default="", max_length=300)
    hours: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class TicketMaterial(SQLModel, table=True):
    """A material of the guide that staff ticked as received on a ticket."""

    __tablename__ = "ticket_materials"
    __table_args__ = (UniqueConstraint("ticket_id", "name", name="uq_ticket_materials_ticket_name"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=200)
    received_by: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("users.id"), nullable=True))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
