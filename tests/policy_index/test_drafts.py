"""Draft clauses from a measure's wording: beneficiary, benefit, cap, window, and what no fact covers yet."""

from __future__ import annotations

from pathlib import Path

from policy_index.clauses import ClauseIndex
from policy_index.drafts import propose_clauses
from policy_index.library import PolicyLibrary
from policy_index.parser import parse_document

TEXT = (Path(__file__).parents[1] / "api" / "eligibility" / "little-giant-measures.txt").read_text(encoding="utf-8")
DOCUMENT = parse_document(TEXT, "little-giant-measures")


def test_a_granting_sentence_becomes_a_draft_with_cap_window_and_source(clause_index: ClauseIndex) -> None:
    [draft] = propose_clauses(DOCUMENT.measures[0], clause_index.facts)
    assert draft.data["amount"] == "最高不超过100万元"
    assert draft.data["application_window"] == "每年3月申报"
    assert draft.data["benefit"] == "一次性奖励"
    assert draft.data["lead_unit"] == "经济运行局"
    assert DOCUMENT.measures[0].body[draft.start : draft.end] == draft.source
    assert draft.unresolved == ("首次获评国家级专精特新“小巨人”",)  # a new fact for the admin to add
    assert draft.data["condition"] == {"fact": "org_type", "op": "==", "value": "enterprise"}


def test_a_threshold_is_left_for_the_admin_and_a_bare_amount_is_not_a_cap(clause_index: ClauseIndex) -> None:
    [draft] = propose_clauses(DOCUMENT.measures[1], clause_index.facts)
    assert draft.data["amount"] == "最高200万元"
    assert draft.unresolved == ("年度研发投入超过500万元",)


def test_a_closing_provision_gets_no_draft(clause_index: ClauseIndex) -> None:
    assert propose_clauses(DOCUMENT.measures[2], clause_index.facts) == []


def test_a_draft_reads_a_fact_its_sentence_names(clause_index: ClauseIndex, library: PolicyLibrary) -> None:
    [draft] = propose_clauses(library.measure("sichuan-hitech-zones-draft#11"), clause_index.facts)
    condition = draft.data["condition"]
    assert isinstance(condition, dict)
    assert {"fact": "high_tech_enterprise", "op": "==", "value": True} in condition["all"]
