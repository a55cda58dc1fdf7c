"""A file on a ticket: the bytes live in the database beside the ticket."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.roles import Role


class TicketAttachment(SQLModel, table=True):
    """A file the enterprise or staff attached to a ticket (announced by a message in the thread)."""

    __tablename__ = "ticket_attachments"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    uploader_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("users.id"), nullable=True))
    author_role: Role = Field(sa_column=Column(str_enum(Role, length=16), nullable=False))
    name: str = Field(max_length=255)
    content_type: str = Field(max_length=100)  # sniffed from the bytes, never the client's word
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
