"""HTTP shapes of answer feedback."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.faqs.models import AnswerFeedback
from api.pagination import Page
from api.text import EdgeModel


class FeedbackIn(EdgeModel):
    """A 👍/👎 on the answer to `text`."""

    text: str = Field(max_length=500)  # empty when the card's question has expired from the bot's memory
    measure_id: str | None = Field(default=None, max_length=200)
    helpful: bool


class FeedbackOut(BaseModel):
    """Recorded feedback."""

    id: int
    text: str
    measure_id: str | None
    helpful: bool
    created_at: datetime

    @classmethod
    def of(cls, row: AnswerFeedback) -> FeedbackOut:
        """Build from the table row."""
        assert row.id is not None
        return cls(id=row.id, text=row.text, measure_id=row.measure_id, helpful=row.helpful, created_at=row.created_at)


FeedbackList = Page[FeedbackOut]
