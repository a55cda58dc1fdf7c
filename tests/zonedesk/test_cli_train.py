"""`zonedesk train-confidence` and `train-ranking`: reproducible weights files and leave-one-writer-out tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from faq.candidates import CANDIDATE_FEATURES
from faq.confidence import model_from_json
from faq.features import FEATURE_NAMES
from faq.ranking import ranking_from_json

DATA = Path(__file__).parents[1] / "data"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `zonedesk` entry point in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", *args], capture_output=True, text=True, timeout=300, check=False
    )


def _small_set(source: str, into: Path, *, count: int) -> Path:
    """The first in-scope questions of a set, every third relabelled to another measure (so some answers are wrong)."""
    rows = [json.loads(line) for line in (DATA / source).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["kind"] == "policy"][:count]
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["measures"] = [int(str(row["measures"][0]).rpartition("#")[2]) % 28 + 1]
    into.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return into


def train_twice(command: str, first: Path, second: Path, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """Run a training command twice on the same two writers' sets; assert both weights files are the same bytes.
    Returns the first run's output and its weights file as JSON."""
    outputs = [tmp_path / "one.json", tmp_path / "two.json"]
    printed = []
    for output in outputs:
        result = run_cli(command, str(first), str(second), "--output", str(output))
        assert result.returncode == 0, result.stderr
        assert f"writer:{first.stem}" in result.stdout
        assert f"writer:{second.stem}" in result.stdout
        printed.append(result.stdout)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    weights: dict[str, Any] = json.loads(outputs[0].read_text(encoding="utf-8"))
    return printed[0], weights


def test_training_twice_writes_the_same_weights(tmp_path: Path) -> None:
    first = _small_set("dev_questions.jsonl", tmp_path / "writer_a.jsonl", count=36)
    second = _small_set("holdout2_questions.jsonl", tmp_path / "writer_b.jsonl", count=36)
    printed, weights = train_twice("train-confidence", first, second, tmp_path)
    assert "leave-one-writer-out" in printed
    model = model_from_json(weights)
    assert model.names == FEATURE_NAMES
    assert any(model.weights)
    assert [s["writer"] for s in model.provenance["sets"]] == ["writer_a", "writer_b"]


def test_training_needs_two_writers(tmp_path: Path) -> None:
    only = _small_set("dev_questions.jsonl", tmp_path / "only.jsonl", count=6)
    result = run_cli("train-confidence", str(only), "--output", str(tmp_path / "out.json"))
    assert result.returncode == 2
    assert not (tmp_path / "out.json").exists()


def test_training_the_ranking_twice_writes_the_same_weights(tmp_path: Path) -> None:
    first = _small_set("dev_questions.jsonl", tmp_path / "writer_a.jsonl", count=36)
    second = _small_set("holdout2_questions.jsonl", tmp_path / "writer_b.jsonl", count=36)
    printed, weights = train_twice("train-ranking", first, second, tmp_path)
    assert "out of fold" in printed
    model = ranking_from_json(weights)
    assert model.names == CANDIDATE_FEATURES
    assert any(model.weights)
    assert [f["fold"] for f in model.provenance["leave_one_writer_out"]][:2] == ["writer:writer_a", "writer:writer_b"]
