"""The profile table: one row per enterprise (bound users share it) or per unbound user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, utcnow


class EligibilityProfile(SQLModel, table=True):
    """Facts an enterprise has told us (fact name → value), validated against facts.yaml."""

    __tablename__ = "eligibility_profiles"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprises.id", unique=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True)
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    notify: bool = True  # policy-match notifications; the enterprise can turn them off
