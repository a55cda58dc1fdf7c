"""HTTP shapes of question matching (DESIGN.md "Matching")."""

from __future__ import annotations

from pydantic import BaseModel, Field

from faq.matcher import MatchResult


class AskIn(BaseModel):
    """A question; empty, blank or longer than 500 characters gets 422."""

    text: str = Field(description="the question, 1–500 characters")


class MatchOut(BaseModel):
    """A ranked measure."""

    measure_id: str
    number: int
    title: str
    score: float
    faq_id: str | None


class AnswerOut(BaseModel):
    """What to show the enterprise."""

    title: str
    summary: str
    lead_units: list[str]
    participating_units: list[str]
    actions: list[str]


class AskOut(BaseModel):
    """The matcher's verdict: intent, confidence, category, ranked measures and the answer."""

    text: str
    intent: str
    confident: bool
    category: str | None
    matches: list[MatchOut]
    answer: AnswerOut

    @classmethod
    def of(cls, result: MatchResult) -> AskOut:
        """Build from a domain result."""
        return cls.model_validate(result.to_json())
