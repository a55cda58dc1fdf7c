"""Eligibility tables: facts and clauses as data, the push jobs (an outbox) and the notifications they write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.eligibility import VerdictStatus


class EligibilityFact(SQLModel, table=True):
    """A fact of the enterprise profile in the shape of facts.yaml; `position` breaks interview ties."""

    __tablename__ = "eligibility_facts"

    name: str = Field(primary_key=True, max_length=60)
    position: int
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    created_by: int | None = Field(default=None, foreign_key="users.id")


class EligibilityClause(SQLModel, table=True):
    """A published clause (an item of a clause file) with its test cases; `version` counts its changes.

    `measure_id` is as written at `written_at` (bundled clauses: against version 1); the catalogue carries
    it to the newest version of its document."""

    __tablename__ = "eligibility_clauses"

    id: int | None = Field(default=None, primary_key=True)
    clause_id: str = Field(max_length=80, unique=True)
    document_id: str = Field(max_length=80, index=True)
    measure_id: str = Field(max_length=120)
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    cases: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1)
    bundled: bool = False
    written_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    published_by: int | None = Field(default=None, foreign_key="users.id")


class PolicyMatchJob(SQLModel, table=True):
    """Outbox row: match one clause version against every stored profile; written with the publish."""

    __tablename__ = "policy_match_jobs"

    id: int | None = Field(default=None, primary_key=True)
    clause_id: str = Field(max_length=80)
    clause_version: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)


class PolicyNotification(SQLModel, table=True):
    """A clause an enterprise (or an unbound user's profile) now meets or nearly meets: once per clause version."""

    __tablename__ = "policy_notifications"
    __table_args__ = (UniqueConstraint("profile_id", "clause_id", "clause_version"),)

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="eligibility_profiles.id", index=True)
    clause_id: str = Field(max_length=80)
    clause_version: int
    measure_id: str = Field(max_length=120)
    status: VerdictStatus = Field(sa_column=Column(str_enum(VerdictStatus, length=20), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # by the bot
