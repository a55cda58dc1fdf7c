"""整改: the rectification a 差评 (score ≤ 2) opens, closed by the call-back (回访)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.service_window import RectificationStatus


class Rectification(SQLModel, table=True):
    """One per badly rated ticket, due 15 working days after the rating."""

    __tablename__ = "ticket_rectifications"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    status: RectificationStatus = Field(
        default=RectificationStatus.OPEN,
        sa_column=Column(str_enum(RectificationStatus, length=16), nullable=False, index=True),
    )
    due_at: datetime = Field(sa_type=UtcDateTime)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    closed_by: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("users.id"), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
