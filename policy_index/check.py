"""One eligibility check: validate a raw profile, evaluate every clause, pick the next question."""

from __future__ import annotations

from dataclasses import dataclass

from policy_index.clauses import ClauseIndex
from policy_index.eligibility import Verdict, evaluate, verdict_to_json
from policy_index.facts import Fact, FactValue, validate_profile
from policy_index.interview import next_question, question_to_json


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """Verdicts for a profile and the question that would settle most of the open ones."""

    profile: dict[str, FactValue]
    verdicts: tuple[Verdict, ...]
    next_question: Fact | None


def check_eligibility(raw_profile: object, index: ClauseIndex) -> EligibilityResult:
    """Check a raw JSON profile (null = unknown); `ProfileError` when it names bad facts or values."""
    profile = validate_profile(raw_profile, index.facts)
    return EligibilityResult(
        profile=profile,
        verdicts=evaluate(profile, index.clauses),
        next_question=next_question(profile, index.clauses, index.facts),
    )


def result_to_json(result: EligibilityResult, index: ClauseIndex) -> dict[str, object]:
    """The JSON printed by `zonedesk eligibility` and returned by `POST /api/v1/eligibility/check`."""
    question = result.next_question
    return {
        "verdicts": [verdict_to_json(v, index.facts) for v in result.verdicts],
        "next_question": question_to_json(question) if question is not None else None,
    }
