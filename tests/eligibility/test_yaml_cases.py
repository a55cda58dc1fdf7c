"""Verdicts checked by the YAML cases beside this file: a new case needs no Python.

A case has `name`, `profile` and `expect` (clause id → status, or → {status, missing, reasons_count,
reasons_mention}); an optional `next_question` (a fact name or null) checks the interview too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from policy_index.check import check_eligibility
from policy_index.clauses import ClauseIndex
from policy_index.eligibility import Verdict

CASES_DIR = Path(__file__).parent
NOT_CHECKED = object()


@dataclass(frozen=True)
class Case:
    name: str
    profile: dict[str, Any]
    expect: dict[str, Any]
    next_question: object


def load_cases(directory: Path) -> list[Case]:
    """Every case of every YAML file directly in `directory`."""
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert set(raw) <= {"name", "profile", "expect", "next_question"}, f"{path}: {raw.get('name')}"
            cases.append(
                Case(
                    name=f"{path.stem}: {raw['name']}",
                    profile=raw["profile"],
                    expect=raw["expect"],
                    next_question=raw.get("next_question", NOT_CHECKED),
                )
            )
    return cases


CASES = load_cases(CASES_DIR)


def test_there_are_enough_cases_with_unique_names() -> None:
    assert len(CASES) >= 45
    assert len({case.name for case in CASES}) == len(CASES)
    partial = [case for case in CASES if len(case.profile) < 15]
    assert len(partial) >= 30


def _check_expectation(verdict: Verdict, expected: Any) -> None:
    if isinstance(expected, str):
        expected = {"status": expected}
    assert verdict.status.value == expected["status"], verdict.reasons
    if "missing" in expected:
        assert list(verdict.missing) == expected["missing"]
    if "reasons_count" in expected:
        assert len(verdict.reasons) == expected["reasons_count"], verdict.reasons
    for fragment in expected.get("reasons_mention", []):
        assert any(fragment in reason for reason in verdict.reasons), (fragment, verdict.reasons)
    if verdict.status.value != "needs_info":
        assert verdict.missing == ()
    if verdict.status.value == "ineligible":
        assert verdict.reasons


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_verdicts_match_yaml_case(case: Case, clause_index: ClauseIndex) -> None:
    result = check_eligibility(case.profile, clause_index)
    verdicts = {verdict.clause_id: verdict for verdict in result.verdicts}
    assert set(case.expect) <= set(verdicts), "unknown clause id in case"
    for clause_id, expected in case.expect.items():
        _check_expectation(verdicts[clause_id], expected)
    if case.next_question is not NOT_CHECKED:
        asked = result.next_question.name if result.next_question else None
        assert asked == case.next_question
