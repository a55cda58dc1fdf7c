"""HTTP shapes of facts, clauses and eligibility checks."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.pagination import Page
from api.text import EdgeModel
from common.eligibility import FactType, VerdictStatus
from policy_index.clauses import Clause, clause_to_json
from policy_index.facts import Fact


class OptionOut(BaseModel):
    """One answer a fact allows."""

    value: bool | int | str
    label: str
    label_en: str


class FactOut(BaseModel):
    """A fact of the enterprise profile with its question."""

    name: str
    type: FactType
    label: str
    label_en: str
    question: str
    question_en: str
    help: str
    help_en: str
    options: list[OptionOut]
    unit: str | None = None

    @classmethod
    def of(cls, fact: Fact) -> FactOut:
        """Build from a domain fact."""
        return cls(
            name=fact.name,
            type=fact.type,
            label=fact.label.zh,
            label_en=fact.label.en,
            question=fact.question.zh,
            question_en=fact.question.en,
            help=fact.help.zh,
            help_en=fact.help.en,
            options=[OptionOut(value=o.value, label=o.label.zh, label_en=o.label.en) for o in fact.options],
            unit=fact.unit,
        )


FactList = Page[FactOut]


class ClauseOut(BaseModel):
    """A clause with its condition as data."""

    id: str
    measure_id: str
    title: str
    benefit: str
    lead_unit: str
    source: str
    facts: list[str]
    condition: dict[str, Any]
    needs_review: bool = Field(description="its measure's text changed in a newer version; an admin confirms it")
    amount: str | None = Field(default=None, description="the amount or cap as the text states it")
    application_window: str | None = Field(default=None, description="when to apply, as the text states it")

    @classmethod
    def of(cls, clause: Clause) -> ClauseOut:
        """Build from a domain clause."""
        return cls.model_validate(clause_to_json(clause))


ClauseList = Page[ClauseOut]


class EligibilityCheckIn(EdgeModel):
    """A profile: fact name → value; absent or null means unknown."""

    model_config = ConfigDict(extra="forbid")

    profile: dict[str, Any] = Field(examples=[{"zone_level": "national", "org_type": "enterprise"}])
    measure_id: str | None = Field(
        default=None, max_length=120, description="check only this measure's clauses (看看我是否符合 on an answer)"
    )
    skipped: list[str] = Field(default_factory=list, max_length=100, description="facts the user chose not to answer")


class ConditionOut(BaseModel):
    """One part of a clause's condition and whether the profile meets it."""

    text: str
    state: str = Field(description="met | failed | unknown")
    facts: list[str] = Field(description="the facts still unknown in this part")


class VerdictOut(BaseModel):
    """The outcome of one clause."""

    clause_id: str
    measure_id: str
    title: str
    status: VerdictStatus
    reasons: list[str]
    missing: list[str]
    benefit: str
    lead_unit: str
    summary: str
    note: str
    source: str
    measure_label: str = Field(
        description="the measure's ordinal and title as written, e.g. （八）大力集聚高端创新平台"
    )
    document_title: str
    lead_units: list[str]
    amount: str | None
    application_window: str | None
    conditions: list[ConditionOut]


class QuestionOut(BaseModel):
    """The next question of the guided interview."""

    fact: str
    question: str
    question_en: str
    label: str
    help: str
    type: FactType
    options: list[OptionOut]
    unit: str | None = None


class EligibilityOut(BaseModel):
    """Verdicts and the next question (null when every clause is settled)."""

    verdicts: list[VerdictOut]
    next_question: QuestionOut | None
