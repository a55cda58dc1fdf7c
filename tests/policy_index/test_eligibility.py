"""Verdict JSON: every verdict cites its measure and lead unit and says the lead unit's rules decide."""

from __future__ import annotations

from policy_index.check import check_eligibility, result_to_json
from policy_index.clauses import ClauseIndex
from policy_index.library import PolicyLibrary

VERDICT_KEYS = {"clause_id", "measure_id", "title", "status", "reasons", "missing", "benefit", "lead_unit"}


def test_every_verdict_cites_measure_lead_unit_and_the_draft_caveat(
    clause_index: ClauseIndex, library: PolicyLibrary
) -> None:
    payload = result_to_json(check_eligibility({"zone_level": "national"}, clause_index), clause_index, library)
    assert set(payload) == {"verdicts", "next_question"}
    for verdict in payload["verdicts"]:
        assert set(verdict) >= VERDICT_KEYS
        assert verdict["measure_id"] not in verdict["note"]  # a raw id is never shown
        assert verdict["document_title"]
        assert f"《{verdict['document_title']}》" in verdict["note"]
        assert verdict["measure_label"].startswith("（")
        assert verdict["measure_label"] in verdict["note"]
        assert verdict["lead_unit"] in verdict["note"]
        assert "征求意见稿" in verdict["note"]
        assert "按规定" in verdict["note"]


def test_summaries_state_each_outcome_in_chinese(clause_index: ClauseIndex) -> None:
    profile = {"zone_level": "national", "org_type": "enterprise", "high_tech_enterprise": True}
    verdicts = {
        v["clause_id"]: v for v in result_to_json(check_eligibility(profile, clause_index), clause_index)["verdicts"]
    }
    assert verdicts["m11-hte-priority-support"]["summary"].startswith("根据您提供的情况，符合")
    assert "项目、资金重点支持" in verdicts["m11-hte-priority-support"]["summary"]
    assert verdicts["m7-job-invention-cash-reward"]["summary"].startswith("根据您提供的情况，不符合")
    assert verdicts["m13-rd-post-subsidy"]["summary"].startswith("还需要了解：是否有研发投入")


def test_the_result_keeps_the_validated_profile_without_unknowns(clause_index: ClauseIndex) -> None:
    result = check_eligibility({"zone_level": "national", "high_tech_enterprise": None}, clause_index)
    assert result.profile == {"zone_level": "national"}


def test_met_failed_and_unknown_conditions_are_told_apart(clause_index: ClauseIndex) -> None:
    profile = {"zone_level": "national", "org_type": "enterprise", "ownership": "domestic"}
    verdicts = {
        v["clause_id"]: v for v in result_to_json(check_eligibility(profile, clause_index), clause_index)["verdicts"]
    }
    states = [(c["state"], c["facts"]) for c in verdicts["m8-foreign-rd-subsidy"]["conditions"]]
    assert states == [("met", []), ("met", []), ("failed", []), ("unknown", ["certified_foreign_rd_center"])]


def test_focus_checks_only_the_measure_and_asks_only_its_facts(clause_index: ClauseIndex) -> None:
    result = check_eligibility({"zone_level": "national"}, clause_index, measure_id="sichuan-hitech-zones-draft#8")
    assert [v.clause_id for v in result.verdicts] == ["m8-foreign-rd-subsidy"]
    assert result.next_question is not None
    assert result.next_question.name in {"org_type", "ownership", "certified_foreign_rd_center"}


def test_a_skipped_fact_is_never_asked(clause_index: ClauseIndex) -> None:
    asked = []
    skipped: list[str] = []
    profile: dict[str, object] = {"zone_level": "national"}
    while (question := check_eligibility(profile, clause_index, skipped=skipped).next_question) is not None:
        asked.append(question.name)
        skipped.append(question.name)
    assert asked
    assert len(asked) == len(set(asked))
    assert not set(asked) & {"zone_level"}
