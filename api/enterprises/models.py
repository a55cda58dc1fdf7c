"""Enterprises."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, utcnow


class Enterprise(SQLModel, table=True):
    """An enterprise of the zone, identified by its 统一社会信用代码 (USCC)."""

    __tablename__ = "enterprises"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    uscc: str = Field(max_length=18, unique=True)
    binding_code: str = Field(max_length=32)  # handed to the enterprise out of band; proves membership
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
