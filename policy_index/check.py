"""One eligibility check: validate a raw profile, evaluate the clauses in focus, pick the next question."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from common.documents import DocumentStatus
from policy_index import messages
from policy_index.clauses import ClauseIndex
from policy_index.eligibility import MeasureSource, Verdict, evaluate, verdict_to_json
from policy_index.facts import Fact, FactValue, ProfileError, validate_profile
from policy_index.interview import next_question, question_to_json
from policy_index.library import PolicyLibrary, UnknownDocument, UnknownMeasure


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """Verdicts for a profile and the question that would settle most of the open ones."""

    profile: dict[str, FactValue]
    verdicts: tuple[Verdict, ...]
    next_question: Fact | None


def check_eligibility(
    raw_profile: object, index: ClauseIndex, *, measure_id: str | None = None, skipped: Collection[str] = ()
) -> EligibilityResult:
    """Check a raw JSON profile (null = unknown) against every clause, or only `measure_id`'s; the next
    question is never one of `skipped`. `ProfileError` when it names bad facts or values."""
    profile = validate_profile(raw_profile, index.facts)
    unknown = sorted(name for name in skipped if name not in index.facts)
    if unknown:
        known = messages.JOIN_LIST.join(index.facts.names)
        raise ProfileError([messages.PROFILE_UNKNOWN_FACT.format(fact=unknown[0], known=known)])
    clauses = [c for c in index.clauses if measure_id is None or c.measure_id == measure_id]
    return EligibilityResult(
        profile=profile,
        verdicts=evaluate(profile, clauses),
        next_question=next_question(profile, clauses, index.facts, skipped=skipped),
    )


def measure_source(library: PolicyLibrary | None, measure_id: str) -> MeasureSource | None:
    """How verdicts name `measure_id` in `library`; None when the library does not hold it."""
    if library is None:
        return None
    try:
        measure = library.measure(measure_id)
        document = library.document(measure.document_id)
    except (UnknownMeasure, UnknownDocument):
        return None
    return MeasureSource(
        measure_label=f"{measure.label}{measure.title}",
        document_title=document.title,
        lead_units=measure.lead_units,
        draft=document.meta.status is DocumentStatus.DRAFT,
    )


def result_to_json(
    result: EligibilityResult, index: ClauseIndex, library: PolicyLibrary | None = None
) -> dict[str, object]:
    """The JSON printed by `zonedesk eligibility` and returned by `POST /api/v1/eligibility/check`."""
    question = result.next_question
    return {
        "verdicts": [
            verdict_to_json(v, index.facts, profile=result.profile, source=measure_source(library, v.clause.measure_id))
            for v in result.verdicts
        ],
        "next_question": question_to_json(question) if question is not None else None,
    }
