"""FAQ entries and unanswered questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, utcnow


class FaqEntry(SQLModel, table=True):
    """A curated question with its variants, answer and the measures it cites."""

    __tablename__ = "faq_entries"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=500)
    variants: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    measure_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1)
    published_version: int | None = Field(default=None)  # the version the matcher serves; None = draft
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class UnansweredQuestion(SQLModel, table=True):
    """A question the matcher could not answer confidently, counted by its normalised text."""

    __tablename__ = "unanswered_questions"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=1000)
    normalized_text: str = Field(max_length=1000, unique=True)
    count: int = Field(default=1)
    first_seen: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    last_seen: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AnswerFeedback(SQLModel, table=True):
    """An enterprise's 👍/👎 on one answer, for admins reviewing the matcher."""

    __tablename__ = "answer_feedback"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    measure_id: str | None = Field(default=None, max_length=200, index=True)
    helpful: bool
    user_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
