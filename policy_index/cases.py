"""Test cases attached to clauses (`name`, `profile`, `expect`): read with their lines, run against an index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.eligibility import VerdictStatus
from policy_index.clauses import ClauseIndex, ClauseIssue
from policy_index.eligibility import evaluate
from policy_index.facts import ProfileError, validate_profile
from policy_index.yaml_lines import key_line, line_of

CASE_KEYS = frozenset({"name", "profile", "expect"})


@dataclass(frozen=True, slots=True)
class ClauseCase:
    """A profile and the status it must give some clauses; `line` is where it starts in its text."""

    name: str
    profile: Mapping[str, Any]
    expect: Mapping[str, str]
    line: int = 1

    def to_data(self) -> dict[str, object]:
        """The case as stored (the YAML keys)."""
        return {"name": self.name, "profile": dict(self.profile), "expect": dict(self.expect)}


def _expected_status(value: object) -> str | None:
    status = value.get("status") if isinstance(value, Mapping) else value
    return str(status) if status in set(VerdictStatus) else None


def read_cases(raw: object, *, path: str, line: int = 1) -> tuple[list[ClauseCase], list[ClauseIssue]]:
    """Read a YAML list of cases; every malformed case is an issue at its line."""
    issues: list[ClauseIssue] = []
    if raw is None:
        return [], issues
    if not isinstance(raw, list):
        return [], [ClauseIssue(path, line_of(raw, line), "cases 须是列表 (cases must be a list)")]
    cases: list[ClauseCase] = []
    for item, item_line in zip(raw, getattr(raw, "item_lines", [line] * len(raw)), strict=True):
        at = line_of(item, item_line)
        if not isinstance(item, Mapping) or not {"name", "profile", "expect"} <= set(item) or set(item) - CASE_KEYS:
            issues.append(
                ClauseIssue(path, at, "用例须恰有 name、profile、expect (a case needs name, profile, expect)")
            )
            continue
        expect, profile = item["expect"], item["profile"]
        if not isinstance(profile, Mapping) or not isinstance(expect, Mapping) or not expect:
            issues.append(ClauseIssue(path, at, "profile 与 expect 须是映射 (profile and expect must be mappings)"))
            continue
        statuses = {str(k): _expected_status(v) for k, v in expect.items()}
        bad = [k for k, v in statuses.items() if v is None]
        if bad:
            line_ = key_line(expect, bad[0], at)
            issues.append(ClauseIssue(path, line_, f"{bad[0]} 的期望须是 eligible / ineligible / needs_info (status)"))
            continue
        expected = {k: v for k, v in statuses.items() if v is not None}
        cases.append(ClauseCase(str(item["name"]), {str(k): v for k, v in profile.items()}, expected, at))
    return cases, issues


def run_cases(cases: Sequence[ClauseCase], index: ClauseIndex, *, path: str) -> list[ClauseIssue]:
    """Every case whose verdicts differ from what it expects, as issues at the case's line."""
    issues: list[ClauseIssue] = []
    for case in cases:
        try:
            profile = validate_profile(case.profile, index.facts)
        except ProfileError as exc:
            issues.append(ClauseIssue(path, case.line, f"用例“{case.name}”：{exc}"))
            continue
        got = {v.clause_id: v.status.value for v in evaluate(profile, index.clauses)}
        for clause_id, status in case.expect.items():
            if clause_id not in got:
                issues.append(ClauseIssue(path, case.line, f"用例“{case.name}”：没有条款 {clause_id} (unknown clause)"))
            elif got[clause_id] != status:
                message = f"用例“{case.name}”：{clause_id} 应为 {status}，实际为 {got[clause_id]} (case fails)"
                issues.append(ClauseIssue(path, case.line, message))
    return issues
