"""`zonedesk ask` from the shell: JSON, JSON lines with a bad line, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `zonedesk` entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", *args], capture_output=True, text=True, input=stdin, timeout=120, check=False
    )


def test_ask_json_prints_the_matching_json() -> None:
    result = run_cli("ask", "IPO有补贴么", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"text", "intent", "confident", "category", "matches", "answer", "clarify"}
    assert payload["matches"][0]["measure_id"] == "sichuan-hitech-zones-draft#23"
    assert payload["confident"] is True


def test_ask_text_output_names_the_measure() -> None:
    result = run_cli("ask", "科小能享受啥")
    assert result.returncode == 0, result.stderr
    assert "实施科技型中小企业壮大计划" in result.stdout


def test_jsonl_gives_one_line_per_input_line_and_survives_bad_lines() -> None:
    lines = ["高企有啥支持", "", "x" * 501, "帮我办人才公寓", "你好"]
    result = run_cli("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["matches"][0]["number"] == 11
    assert set(out[1]) == {"error"}
    assert set(out[2]) == {"error"}
    assert (out[3]["intent"], out[3]["category"]) == ("service", "housing")
    assert out[4]["intent"] == "chitchat"


def test_empty_question_exits_2_with_one_line() -> None:
    result = run_cli("ask", "   ")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_of_unreadable_file_exits_2(tmp_path: object) -> None:
    result = run_cli("eval", "/nonexistent/questions.jsonl")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_needs_the_sets_to_score() -> None:
    """The labelled sets live in the repository, not in the wheel: `eval` names no default outside it."""
    result = run_cli("eval")
    assert result.returncode == 2
    assert "FILES" in result.stderr or "Missing argument" in result.stderr


LIBRARY = Path(__file__).parents[1] / "policy_index" / "fixtures" / "library"


def test_eval_scores_questions_on_added_documents(tmp_path: Path) -> None:
    questions = tmp_path / "imported.jsonl"
    rows = [
        {
            "q": "研发费用加计扣除比例是多少",
            "measures": ["caishui-2023-7-rd-deduction#1"],
            "kind": "policy",
            "category": None,
        },
        {"q": "高企认定有奖励吗", "measures": [11], "kind": "policy", "category": None},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = run_cli("eval", str(questions), "--documents", str(LIBRARY / "caishui-2023-7-rd-deduction.txt"))
    assert result.returncode == 0, result.stderr
    assert "2 questions, 2 in scope" in result.stdout  # the added document's measure is a known label
    assert [line.split()[0] for line in result.stdout.splitlines()[2:6]] == [
        "zonedesk",
        "rapidfuzz",
        "bm25-jieba",
        "bm25-bigram",
    ]


def test_eval_refuses_measures_of_documents_not_given(tmp_path: Path) -> None:
    questions = tmp_path / "imported.jsonl"
    row = {"q": "加计扣除", "measures": ["caishui-2023-7-rd-deduction#1"], "kind": "policy", "category": None}
    questions.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("eval", str(questions))
    assert result.returncode == 2
    assert "caishui-2023-7-rd-deduction#1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
