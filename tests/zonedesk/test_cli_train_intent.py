"""`zonedesk train-intent`: a reproducible weights file, out-of-fold figures per writer."""

from __future__ import annotations

import json
from pathlib import Path

from faq.intent_model import intent_model_from_json
from tests.zonedesk.test_cli_train import DATA, run_cli, train_twice


def _mixed_set(source: str, into: Path, *, per_kind: int) -> Path:
    """The first `per_kind` questions of each kind of a set."""
    rows = [json.loads(line) for line in (DATA / source).read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [
        r
        for kind in ("policy", "eligibility", "service", "out_of_scope", "chitchat")
        for r in rows
        if r["kind"] == kind
    ]
    counts: dict[str, int] = {}
    chosen = []
    for row in kept:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
        if counts[row["kind"]] <= per_kind:
            chosen.append(row)
    into.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in chosen) + "\n", encoding="utf-8")
    return into


def test_training_twice_writes_the_same_intent_weights(tmp_path: Path) -> None:
    first = _mixed_set("dev_questions.jsonl", tmp_path / "writer_a.jsonl", per_kind=8)
    second = _mixed_set("holdout3_questions.jsonl", tmp_path / "writer_b.jsonl", per_kind=8)
    _, weights = train_twice("train-intent", first, second, tmp_path)
    model = intent_model_from_json(weights)
    assert set(model.intent.classes) == {"policy", "eligibility", "service", "out_of_scope", "chitchat"}
    assert [s["writer"] for s in model.provenance["sets"]] == ["writer_a", "writer_b"]
    folds = {f["name"] for f in model.provenance["leave_one_writer_out"]}
    assert {"writer:writer_a", "writer:writer_b"} <= folds


def test_intent_training_needs_two_writers(tmp_path: Path) -> None:
    only = _mixed_set("dev_questions.jsonl", tmp_path / "only.jsonl", per_kind=2)
    result = run_cli("train-intent", str(only), "--output", str(tmp_path / "out.json"))
    assert result.returncode == 2
    assert not (tmp_path / "out.json").exists()


def test_sets_of_one_kind_exit_2_with_one_line(tmp_path: Path) -> None:
    first = _mixed_set("dev_questions.jsonl", tmp_path / "writer_a.jsonl", per_kind=0)
    second = _mixed_set("holdout3_questions.jsonl", tmp_path / "writer_b.jsonl", per_kind=0)
    for path, source in ((first, "dev_questions.jsonl"), (second, "holdout3_questions.jsonl")):
        rows = [json.loads(line) for line in (DATA / source).read_text(encoding="utf-8").splitlines()]
        policy = [json.dumps(r, ensure_ascii=False) for r in rows if r["kind"] == "policy"][:10]
        path.write_text("\n".join(policy) + "\n", encoding="utf-8")
    result = run_cli("train-intent", str(first), str(second), "--output", str(tmp_path / "out.json"))
    assert result.returncode == 2
    assert "问题集不足以训练" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()
