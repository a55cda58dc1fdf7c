"""FAQ entries and unanswered questions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.ask import PickChoice


class FaqEntry(SQLModel, table=True):
    """A curated question with its variants, answer and the measures it cites."""

    __tablename__ = "faq_entries"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=500)
    variants: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    measure_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    replaces: str | None = Field(default=None, max_length=200)  # the bundled entry this edit stands for
    version: int = Field(default=1)
    published_version: int | None = Field(default=None)  # the version the matcher serves; None = draft
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class UnansweredStatus(StrEnum):
    """Where an unanswered question stands in the admins' review."""

    NEW = "new"
    ANSWERED = "answered"  # a later FAQ entry, accepted pick or imported document answers it
    DISMISSED = "dismissed"  # an admin decided it needs no answer


class UnansweredQuestion(SQLModel, table=True):
    """A question the matcher could not answer confidently, counted by its normalised text."""

    __tablename__ = "unanswered_questions"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=1000)
    normalized_text: str = Field(max_length=1000, unique=True)
    count: int = Field(default=1)
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    last_seen: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    status: UnansweredStatus = Field(
        default=UnansweredStatus.NEW,
        sa_column=Column(str_enum(UnansweredStatus, length=20), nullable=False, index=True, server_default="new"),
    )
    answered_by: str | None = Field(default=None, max_length=200)  # faq:<id> or document:<id>
    measure_id: str | None = Field(default=None, max_length=200)  # the measure that now answers it
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AnswerFeedback(SQLModel, table=True):
    """An enterprise's 👍/👎 on one answer, for admins reviewing the matcher."""

    __tablename__ = "answer_feedback"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    measure_id: str | None = Field(default=None, max_length=200, index=True)
    helpful: bool
    user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AskPick(SQLModel, table=True):
    """A choice among the measures offered for an unsure question: training data for the matcher."""

    __tablename__ = "ask_picks"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    choice: PickChoice = Field(sa_column=Column(str_enum(PickChoice, length=20), nullable=False))
    measure_id: str | None = Field(default=None, max_length=200, index=True)
    offered: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    faq_entry_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("faq_entries.id", ondelete="SET NULL"), nullable=True)
    )  # the FAQ entry an admin added the question to
    accepted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
