"""Clause files: the bundled one is clean and true to the document; bad ones are reported at file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policy_index.clauses import (
    ClauseIndex,
    bundled_clause_files,
    check_clause_files,
    load_bundled_facts,
    read_clause_text,
)
from policy_index.library import DOCUMENTS_DIR, PolicyLibrary

SEED_DOCUMENT = DOCUMENTS_DIR / "sichuan-hitech-zones-draft.txt"
BAD_DIR = Path(__file__).parents[1] / "eligibility" / "bad"
MARK_RE = re.compile(r"#\s*error:\s*(?P<fragment>.+?)\s*$")
DESIGN_CLAUSE_IDS = [
    "m7-job-invention-cash-reward",
    "m8-foreign-rd-subsidy",
    "m10-work-permit-age-relaxed",
    "m10-talent-income-tax-subsidy",
    "m10-residence-permit-5y",
    "m11-hte-priority-support",
    "m12-sme-first-purchase",
    "m13-gazelle-unicorn-support",
    "m13-rd-post-subsidy",
    "m13-rd-super-deduction",
    "m16-service-top500-subsidy",
    "m23-abs-subsidy",
    "m23-ipo-subsidy",
    "m24-standard-factory-loan-interest",
]


def expected_marks(path: Path) -> dict[int, str]:
    """Line number → fragment, from `# error: <fragment>` comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {n: m["fragment"] for n, line in enumerate(lines, start=1) if (m := MARK_RE.search(line))}


def test_bundled_clauses_are_the_fourteen_of_the_design(clause_index: ClauseIndex) -> None:
    assert [clause.id for clause in clause_index.clauses] == DESIGN_CLAUSE_IDS


def test_bundled_clause_files_have_no_issues(library: PolicyLibrary) -> None:
    clauses, issues = check_clause_files(bundled_clause_files(), load_bundled_facts(), library)
    assert issues == []
    assert len(clauses) == 14


def test_every_source_sentence_is_in_the_document_and_its_measure(
    clause_index: ClauseIndex, library: PolicyLibrary
) -> None:
    document_text = "".join(SEED_DOCUMENT.read_text(encoding="utf-8").split())
    for clause in clause_index.clauses:
        source = "".join(clause.source.split())
        assert source in document_text, clause.id
        assert source in "".join(library.measure(clause.measure_id).body.split()), clause.id
        assert len(source) >= 10


def test_every_clause_requires_a_national_or_provincial_zone(clause_index: ClauseIndex) -> None:
    for clause in clause_index.clauses:
        assert clause.condition.evaluate({"zone_level": "none"}) is False, clause.id
        assert "zone_level" in clause.fact_names


def test_every_clause_measure_and_lead_unit_follow_the_design(clause_index: ClauseIndex) -> None:
    by_id = {clause.id: clause for clause in clause_index.clauses}
    assert by_id["m23-ipo-subsidy"].measure_id == "sichuan-hitech-zones-draft#23"
    assert by_id["m23-ipo-subsidy"].lead_unit == "省地方金融监管局"
    assert by_id["m10-residence-permit-5y"].lead_unit == "省委组织部"
    assert by_id["m24-standard-factory-loan-interest"].lead_unit == "自然资源厅"
    for clause in clause_index.clauses:
        number = clause.id.split("-")[0].removeprefix("m")
        assert clause.measure_id == f"sichuan-hitech-zones-draft#{number}"


@pytest.mark.parametrize("path", sorted(BAD_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_bad_clause_file_reports_exactly_the_marked_lines(path: Path, library: PolicyLibrary) -> None:
    marks = expected_marks(path)
    assert marks, "a bad fixture must mark its errors"
    _, issues = check_clause_files([path], load_bundled_facts(), library)
    assert {issue.line for issue in issues} == set(marks)
    for line, fragment in marks.items():
        messages = [issue.message for issue in issues if issue.line == line]
        assert any(fragment in message for message in messages), (line, fragment, messages)
    assert all(str(issue).startswith(f"{path}:{issue.line}: ") for issue in issues)


def test_duplicate_ids_across_files_are_reported(library: PolicyLibrary, tmp_path: Path) -> None:
    bundled = bundled_clause_files()[0]
    copy = tmp_path / "copy.yaml"
    copy.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    _, issues = check_clause_files([bundled, copy], load_bundled_facts(), library)
    assert len(issues) == 14
    assert all(issue.path == str(copy) and "duplicate id" in issue.message for issue in issues)


def test_a_file_without_a_clause_list_is_one_issue_on_line_one() -> None:
    clauses, issues = read_clause_text("document: x\n", load_bundled_facts())
    assert clauses == []
    assert [(issue.line, "clauses" in issue.message) for issue in issues] == [(1, True)]


def test_a_bare_list_of_clauses_is_read(clause_index: ClauseIndex) -> None:
    text = '- {id: m11-x, measure_id: "d#11", title: t, benefit: b, lead_unit: u, source: s,\n'
    text += "   condition: {fact: high_tech_enterprise, op: '==', value: true}}\n"
    clauses, issues = read_clause_text(text, clause_index.facts)
    assert issues == []
    assert [clause.id for clause in clauses] == ["m11-x"]
