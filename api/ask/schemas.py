"""HTTP shapes of question matching (DESIGN.md "Matching")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from api.text import EdgeModel, fits_normalised
from common.ask import AnswerAction, Intent, PickChoice
from common.documents import DocumentLevel, DocumentStatus
from faq.clarify import ask_json
from faq.matcher import MAX_QUESTION_LENGTH, MatchResult
from faq.sources import Sources


class AskIn(EdgeModel):
    """A question; empty, blank or longer than 500 characters gets 422."""

    text: Annotated[str, AfterValidator(fits_normalised(MAX_QUESTION_LENGTH))] = Field(
        description="the question, 1–500 characters"
    )
    log: bool = Field(
        default=True,
        description=(
            "false for text that is no question, such as a request draft typed into the bot: it only suggests "
            "a category and never enters the unanswered log"
        ),
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


class ClarifyOut(BaseModel):
    """A measure offered under 「您想问的是：」: its title and the document it comes from."""

    measure_id: str
    label: str = Field(description="the measure's ordinal as written: （八）, 第三条")
    title: str
    document: DocumentRefOut | None


class AskOut(BaseModel):
    """The matcher's verdict: intent, confidence, category, ranked measures, the answer, and what to ask back."""

    text: str
    intent: Intent
    confident: bool
    category: str | None
    matches: list[MatchOut]
    answer: AnswerOut
    clarify: list[ClarifyOut] = Field(
        default_factory=list,
        description=(
            "when not confident but the answer is probably among them: up to three measures to offer as "
            "「您想问的是：」 (pick one with POST /api/v1/ask/pick); empty otherwise"
        ),
    )

    @classmethod
    def of(cls, result: MatchResult, sources: Sources | None = None) -> AskOut:
        """Build from a domain result; with the matcher's `sources`, also the measures to offer when unsure."""
        payload = ask_json(result, sources) if sources is not None else result.to_json()
        return cls.model_validate(payload)


class PickIn(EdgeModel):
    """The asker's answer to 「您想问的是：」: a measure, 都不是 (`none`) or 转人工 (`staff`)."""

    text: Annotated[str, AfterValidator(fits_normalised(MAX_QUESTION_LENGTH))] = Field(
        description="the question that was asked, 1–500 characters"
    )
    choice: PickChoice
    measure_id: str | None = Field(default=None, max_length=200, description="the picked measure (choice `measure`)")
    offered: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=3, description="the measures that were offered"
    )


class PickOut(BaseModel):
    """A recorded pick and, for a measure, its answer card."""

    id: int
    choice: PickChoice
    measure_id: str | None
    created_at: datetime
    result: AskOut | None = Field(description="the picked measure's answer, as for a confident answer; null otherwise")
