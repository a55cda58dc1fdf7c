"""HTTP shapes of question matching (DESIGN.md "Matching")."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from api.text import EdgeModel, fits_normalised
from common.ask import AnswerAction, Intent
from common.documents import DocumentLevel, DocumentStatus
from faq.matcher import MAX_QUESTION_LENGTH, MatchResult


class AskIn(EdgeModel):
    """A question; empty, blank or longer than 500 characters gets 422."""

    text: Annotated[str, AfterValidator(fits_normalised(MAX_QUESTION_LENGTH))] = Field(
        description="the question, 1–500 characters"
    )


class MatchOut(BaseModel):
    """A ranked measure and the document it belongs to."""

    measure_id: str
    number: int
    title: str
    score: float
    faq_id: str | None
    document_id: str
    label: str = Field(description="the measure's ordinal as written: （八）, 第三条, 3.")


class DocumentRefOut(BaseModel):
    """The document an answer comes from."""

    id: str
    title: str
    doc_number: str | None = Field(description="文号, e.g. 川府发〔2021〕12号")
    level: DocumentLevel
    status: DocumentStatus
    level_label: str = Field(description="省级, 市级, …")
    status_label: str = Field(description="征求意见稿, 现行有效, 已失效, 已废止")


class OtherSourceOut(BaseModel):
    """A measure of another document (often of another level) that answers the same question."""

    measure_id: str
    label: str
    title: str
    document: DocumentRefOut


class AnswerOut(BaseModel):
    """What to show the enterprise, naming its source."""

    title: str
    summary: str
    lead_units: list[str]
    participating_units: list[str]
    actions: list[AnswerAction]
    label: str | None = Field(description="the answering measure's ordinal as written")
    document: DocumentRefOut | None
    notice: str | None = Field(description="a draft's caveat, or that the document is no longer current")
    others: list[OtherSourceOut]


class AskOut(BaseModel):
    """The matcher's verdict: intent, confidence, category, ranked measures and the answer."""

    text: str
    intent: Intent
    confident: bool
    category: str | None
    matches: list[MatchOut]
    answer: AnswerOut

    @classmethod
    def of(cls, result: MatchResult) -> AskOut:
        """Build from a domain result."""
        return cls.model_validate(result.to_json())
