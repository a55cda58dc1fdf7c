"""Authoring eligibility: a submitted clause file (clauses plus their test cases) checked before publishing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policy_index.cases import ClauseCase, read_cases, run_cases
from policy_index.clauses import Clause, ClauseIndex, ClauseIssue, read_clause_text
from policy_index.library import PolicyLibrary
from policy_index.yaml_lines import YamlRefused, YamlSyntaxError, key_line, load_yaml_with_lines

SUBMISSION_KEYS = frozenset({"document", "clauses", "cases"})


@dataclass(frozen=True, slots=True)
class Submission:
    """What an admin submitted: its clauses and cases, and every issue found (publishable when none)."""

    clauses: tuple[Clause, ...]
    cases: tuple[ClauseCase, ...]
    issues: tuple[ClauseIssue, ...]


def with_clauses(index: ClauseIndex, clauses: Sequence[Clause]) -> ClauseIndex:
    """The index with `clauses` added, each replacing the clause of its id."""
    replaced = {clause.id: clause for clause in clauses}
    kept = [replaced.pop(c.id, c) for c in index.clauses]
    return dataclasses.replace(index, clauses=(*kept, *replaced.values()))


def _top_level_issues(data: object, path: str) -> list[ClauseIssue]:
    if not isinstance(data, Mapping):
        return []
    return [
        ClauseIssue(path, key_line(data, str(key), 1), f"未知的键“{key}”(unknown key)")
        for key in data
        if key not in SUBMISSION_KEYS
    ]


def read_submission(
    text: str,
    index: ClauseIndex,
    library: PolicyLibrary,
    *,
    path: str,
    owners: Mapping[str, str],
    stored_cases: Mapping[str, Sequence[ClauseCase]],
) -> Submission:
    """Check a clause file against the facts, the documents and the cases of every clause it touches.

    `owners` maps each published clause id to its measure (an id of another measure is a duplicate);
    `stored_cases` maps clause ids to the cases attached earlier, which must still pass."""
    try:
        data = load_yaml_with_lines(text)
    except YamlSyntaxError as exc:
        return Submission((), (), (ClauseIssue(path, exc.line, str(exc)),))
    except YamlRefused as exc:
        return Submission((), (), (ClauseIssue(path, 1, str(exc)),))
    clauses, issues = read_clause_text(text, index.facts, path=path, library=library)
    issues.extend(_top_level_issues(data, path))
    raw_cases = data.get("cases") if isinstance(data, Mapping) else None
    cases, case_issues = read_cases(raw_cases, path=path, line=key_line(data, "cases", 1))
    issues.extend(case_issues)
    for clause in clauses:
        owner = owners.get(clause.id)
        if owner is not None and owner != clause.measure_id:
            issues.append(ClauseIssue(path, 1, f"条款编号“{clause.id}”已用于措施 {owner} (duplicate id)"))
    if issues or not clauses:
        if not clauses and not issues:
            issues.append(ClauseIssue(path, 1, "没有条款 (no clauses)"))
        return Submission(tuple(clauses), tuple(cases), tuple(issues))
    candidate = with_clauses(index, clauses)
    earlier = [case for clause in clauses for case in stored_cases.get(clause.id, ())]
    issues.extend(run_cases([*earlier, *cases], candidate, path=path))
    return Submission(tuple(clauses), tuple(cases), tuple(issues))
