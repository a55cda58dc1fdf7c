"""`zonedesk train-confidence`: fit the confidence model on labelled sets and write its weights file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from faq.bundled import CONFIDENCE_FILE
from faq.confidence import ConfidenceModel
from faq.evaluate import InvalidQuestionFile, LabelledQuestion, questions_from_lines, unknown_measures
from faq.matcher import Matcher, TextPipeline, build_matcher
from faq.training import (
    REGULARISATION,
    SAFETY,
    SEED,
    TARGET_WRONG,
    Figures,
    Row,
    choose_threshold,
    collect,
    figures,
    fit_logistic,
    out_of_fold,
)
from policy_index.library import BUNDLED_DOCUMENT_ID, PolicyLibrary
from zonedesk.cli.ask import _document_paths, _evaluation_library
from zonedesk.cli.errors import fail

ONE_VOICE = "one-voice"  # the writer of every --bundled-only set


def _questions(path: Path, library: PolicyLibrary) -> tuple[LabelledQuestion, ...]:
    try:
        questions = questions_from_lines(path.read_text(encoding="utf-8").splitlines(), BUNDLED_DOCUMENT_ID)
    except OSError as exc:
        fail(f"无法读取 {path}：{exc.strerror} (cannot read file)")
    except InvalidQuestionFile as exc:
        fail(f"{path}：{exc}")
    unknown = unknown_measures(questions, (m.id for m in library.measures()))
    if unknown:
        fail(f"{path}：标注了文库中没有的措施 {', '.join(unknown[:5])}，请用 --documents 加入其文件 (unknown measures)")
    return questions


def _rows(matcher: Matcher, library: PolicyLibrary, paths: Sequence[Path], writer: str | None) -> list[Row]:
    rows: list[Row] = []
    for path in paths:
        questions = _questions(path, library)
        rows += collect(matcher, questions, set_name=path.stem, writer=writer or path.stem)
    return rows


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)  # noqa: S607
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def _table(rows: Sequence[Row], probabilities: Sequence[float], threshold: float) -> list[Figures]:
    groups = [("writer", w) for w in sorted({r.writer for r in rows})]
    groups += [("set", s) for s in dict.fromkeys(r.set_name for r in rows)]
    out = []
    for kind, name in groups:
        pairs = [
            (r, p)
            for r, p in zip(rows, probabilities, strict=True)
            if (r.writer if kind == "writer" else r.set_name) == name
        ]
        out.append(figures(f"{kind}:{name}", [r for r, _ in pairs], [p for _, p in pairs], threshold))
    return out


def _print_table(title: str, table: Sequence[Figures]) -> None:
    typer.echo(title)
    typer.echo(f"{'fold':<30}{'in scope':>9}{'answered':>10}{'right':>8}{'conf-wrong':>11}{'conf-OOS':>9}")
    for f in table:
        typer.echo(
            f"{f.name:<30}{f.in_scope:>9}{f.answered:>10.3f}{f.right:>8.3f}{f.wrong:>11.3f}{f.confident_out_of_scope:>9}"
        )


def train_confidence(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="labelled sets over the bundled documents plus --documents; each set is one writer"),
    ] = None,
    documents: Annotated[
        list[Path] | None,
        typer.Option("--documents", help="policy document files or directories added for FILES"),
    ] = None,
    bundled_only: Annotated[
        list[Path] | None,
        typer.Option("--bundled-only", help="labelled sets over the bundled documents alone, all by one writer"),
    ] = None,
    output: Annotated[Path, typer.Option("--output", help="weights file to write")] = CONFIDENCE_FILE,
    target: Annotated[float, typer.Option("--target", help="confidently wrong per writer, at most")] = TARGET_WRONG,
) -> None:
    """Fit the confidence model; choose its threshold by leave-one-writer-out cross-validation; write the weights."""
    files, bundled_only = files or [], bundled_only or []
    if len(files) + (1 if bundled_only else 0) < 2:
        fail("至少需要两位作者的问题集 (leave-one-writer-out needs sets by two writers at least)")
    untrained = ConfidenceModel.untrained()
    rows: list[Row] = []
    pipeline: TextPipeline | None = None
    if bundled_only:
        library = _evaluation_library([])
        matcher = build_matcher(library.documents, confidence=untrained)
        pipeline = matcher.pipeline
        rows += _rows(matcher, library, bundled_only, ONE_VOICE)
    if files:
        library = _evaluation_library(documents or [])
        matcher = build_matcher(library.documents, pipeline=pipeline, confidence=untrained)
        rows += _rows(matcher, library, files, None)
    probabilities = out_of_fold(rows)
    threshold = choose_threshold(rows, probabilities, target=target)
    table = _table(rows, probabilities, threshold)
    _print_table(
        f"leave-one-writer-out, threshold {threshold:.2f} (target: every writer <= {target - SAFETY:.3f})", table
    )
    fitted = fit_logistic(rows, threshold=threshold)
    provenance = {
        "command": "zonedesk train-confidence",
        "commit": _commit(),
        "sets": [
            {"path": str(p), "sha256": _digest(p), "writer": ONE_VOICE, "documents": "bundled"} for p in bundled_only
        ]
        + [{"path": str(p), "sha256": _digest(p), "writer": p.stem, "documents": "bundled+library"} for p in files],
        "documents": [{"path": str(p), "sha256": _digest(p)} for p in _document_paths(documents or [])],
        "seed": SEED,
        "regularisation": REGULARISATION,
        "target_wrong": target,
        "rows": len(rows),
        "leave_one_writer_out": [
            {"fold": f.name, "in_scope": f.in_scope, "answered": f.answered, "right": f.right, "wrong": f.wrong}
            for f in table
        ],
    }
    model = dataclasses.replace(fitted, threshold=threshold, provenance=provenance)
    output.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(f"\nweights → {output}")
    for name, weight in zip(model.names, model.weights, strict=True):
        typer.echo(f"  {name:<18}{weight:>9.3f}")
