"""Verdicts: each clause eligible, ineligible (with reasons) or needing facts, for a possibly partial profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.eligibility import FactType, VerdictStatus
from policy_index import messages
from policy_index.clauses import Clause
from policy_index.conditions import AllOf
from policy_index.explain import describe, failed_reasons, met_reasons
from policy_index.facts import Fact, FactCatalogue, Profile


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one clause for one profile, with the sentences that explain it."""

    clause: Clause
    status: VerdictStatus
    reasons: tuple[str, ...] = ()  # ineligible: each failed condition; eligible: each condition met
    missing: tuple[str, ...] = ()  # needs_info: every unknown fact of the clause, sorted

    @property
    def clause_id(self) -> str:
        """The clause's id."""
        return self.clause.id


def evaluate_clause(clause: Clause, profile: Profile) -> Verdict:
    """Evaluate one clause against a possibly partial, validated profile."""
    outcome = clause.condition.evaluate(profile)
    if outcome is None:
        missing = tuple(sorted(name for name in clause.fact_names if name not in profile))
        return Verdict(clause, VerdictStatus.NEEDS_INFO, missing=missing)
    if outcome:
        return Verdict(clause, VerdictStatus.ELIGIBLE, reasons=met_reasons(clause.condition, profile))
    return Verdict(clause, VerdictStatus.INELIGIBLE, reasons=failed_reasons(clause.condition, profile))


def evaluate(profile: Profile, clauses: Sequence[Clause]) -> tuple[Verdict, ...]:
    """One verdict per clause, in clause order."""
    return tuple(evaluate_clause(clause, profile) for clause in clauses)


def _unknown_label(fact: Fact) -> str:
    template = messages.UNKNOWN_BOOL if fact.type is FactType.BOOL else "{label}"
    return template.format(label=fact.label.zh)


def summarise(verdict: Verdict, facts: FactCatalogue) -> str:
    """One Chinese sentence stating the verdict."""
    clause = verdict.clause
    if verdict.status is VerdictStatus.ELIGIBLE:
        return messages.SUMMARY_ELIGIBLE.format(title=clause.title, benefit=clause.benefit)
    if verdict.status is VerdictStatus.INELIGIBLE:
        return messages.SUMMARY_INELIGIBLE.format(title=clause.title)
    labels = messages.JOIN_LIST.join(_unknown_label(facts[name]) for name in verdict.missing)
    return messages.SUMMARY_NEEDS_INFO.format(labels=labels, title=clause.title)


@dataclass(frozen=True, slots=True)
class MeasureSource:
    """How a verdict names its measure: its ordinal and title as written (（八）大力集聚高端创新平台), the document's
    title and whether it is a draft."""

    measure_label: str
    document_title: str
    lead_units: tuple[str, ...] = ()
    draft: bool = False


def note_of(clause: Clause, source: MeasureSource | None = None) -> str:
    """The caveat every verdict carries: the measure it rests on; the lead unit's implementing rules decide."""
    if source is None:
        return messages.NOTE.format(reference=clause.measure_id, lead_unit=clause.lead_unit)
    reference = messages.REFERENCE.format(document_title=source.document_title, label=source.measure_label)
    template = messages.NOTE_DRAFT if source.draft else messages.NOTE
    return template.format(reference=reference, lead_unit=clause.lead_unit)


def condition_states(clause: Clause, profile: Profile) -> list[dict[str, object]]:
    """Each part of the clause's condition with its state: met, failed, or unknown (a question still open)."""
    condition = clause.condition
    parts = condition.items if isinstance(condition, AllOf) else (condition,)
    states = {True: "met", False: "failed", None: "unknown"}
    return [
        {
            "text": describe(part),
            "state": states[part.evaluate(profile)],
            "facts": sorted(name for name in part.fact_names() if name not in profile),
        }
        for part in parts
    ]


def verdict_to_json(
    verdict: Verdict, facts: FactCatalogue, *, profile: Profile | None = None, source: MeasureSource | None = None
) -> dict[str, object]:
    """The JSON form of a verdict used by the CLI and the API."""
    clause = verdict.clause
    return {
        "clause_id": clause.id,
        "measure_id": clause.measure_id,
        "title": clause.title,
        "status": verdict.status.value,
        "reasons": list(verdict.reasons),
        "missing": list(verdict.missing),
        "benefit": clause.benefit,
        "lead_unit": clause.lead_unit,
        "summary": summarise(verdict, facts),
        "note": note_of(clause, source),
        "source": clause.source,
        "measure_label": source.measure_label if source else clause.measure_id,
        "document_title": source.document_title if source else "",
        "lead_units": list(source.lead_units) if source else [clause.lead_unit],
        "amount": clause.amount,
        "application_window": clause.application_window,
        "conditions": condition_states(clause, profile or {}),
    }
