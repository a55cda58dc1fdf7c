"""`zonedesk train-ranking` and `train-confidence`: fit the re-ranker and the confidence model on labelled sets
and write their weights files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from faq.bundled import CONFIDENCE_FILE, RANKING_FILE, load_intent_model, load_ranking
from faq.confidence import ConfidenceModel
from faq.evaluate import InvalidQuestionFile, LabelledQuestion, TooFewQuestions, questions_from_lines, unknown_measures
from faq.intent_training import collect as collect_intent_rows
from faq.intent_training import fit_models as fit_intent_models
from faq.matcher import Matcher, TextPipeline, build_matcher
from faq.ranking import RankingModel
from faq.ranking_training import REGULARISATION as RANKING_REGULARISATION
from faq.ranking_training import Case, RankFigures, collect_cases, final_order, fit_ranking, rank_figures
from faq.ranking_training import out_of_fold as ranking_out_of_fold
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
LabelledFiles = Annotated[
    list[Path] | None,
    typer.Argument(help="labelled sets over the bundled documents plus --documents; each set is one writer"),
]
DocumentFiles = Annotated[
    list[Path] | None, typer.Option("--documents", help="policy document files or directories added for FILES")
]
BundledOnlyFiles = Annotated[
    list[Path] | None,
    typer.Option("--bundled-only", help="labelled sets over the bundled documents alone, all by one writer"),
]


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


def _labelled(
    files: Sequence[Path], documents: Sequence[Path], bundled_only: Sequence[Path], **models: Any
) -> Iterator[tuple[Matcher, tuple[LabelledQuestion, ...], str, str]]:
    """(matcher, questions, set name, writer) per set: `bundled_only` sets over the bundled documents by one writer,
    `files` over the library with `documents`, each by a writer of its own (one tokenizer for all)."""
    pipeline: TextPipeline | None = None
    if bundled_only:
        library = _evaluation_library([])
        matcher = build_matcher(library.documents, **models)
        pipeline = matcher.pipeline
        for path in bundled_only:
            yield matcher, _questions(path, library), path.stem, ONE_VOICE
    if files:
        library = _evaluation_library(documents)
        matcher = build_matcher(library.documents, pipeline=pipeline, **models)
        for path in files:
            yield matcher, _questions(path, library), path.stem, path.stem


def _sets_provenance(files: Sequence[Path], documents: Sequence[Path], bundled_only: Sequence[Path]) -> dict[str, Any]:
    return {
        "commit": _commit(),
        "sets": [
            {"path": str(p), "sha256": _digest(p), "writer": ONE_VOICE, "documents": "bundled"} for p in bundled_only
        ]
        + [{"path": str(p), "sha256": _digest(p), "writer": p.stem, "documents": "bundled+library"} for p in files],
        "documents": [{"path": str(p), "sha256": _digest(p)} for p in _document_paths(documents)],
        "seed": SEED,
    }


def _check_writers(files: Sequence[Path], bundled_only: Sequence[Path]) -> None:
    if len(files) + (1 if bundled_only else 0) < 2:
        fail("至少需要两位作者的问题集 (leave-one-writer-out needs sets by two writers at least)")


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
    files: LabelledFiles = None,
    documents: DocumentFiles = None,
    bundled_only: BundledOnlyFiles = None,
    output: Annotated[Path, typer.Option("--output", help="weights file to write")] = CONFIDENCE_FILE,
    target: Annotated[float, typer.Option("--target", help="confidently wrong per writer, at most")] = TARGET_WRONG,
) -> None:
    """Fit the confidence model; choose its threshold by leave-one-writer-out cross-validation; write the weights."""
    files, bundled_only, documents = files or [], bundled_only or [], documents or []
    _check_writers(files, bundled_only)
    sets = list(
        _labelled(
            files, documents, bundled_only, confidence=ConfidenceModel.untrained(), ranking=RankingModel.untrained()
        )
    )
    cases = [
        c
        for matcher, questions, name, writer in sets
        for c in collect_cases(matcher, questions, set_name=name, writer=writer)
    ]
    intent_rows = [
        r
        for matcher, questions, name, writer in sets
        for r in collect_intent_rows(
            matcher.with_models(ranking=load_ranking()), questions, set_name=name, writer=writer
        )
    ]
    out_of_scope_threshold = load_intent_model().out_of_scope_threshold
    rows: list[Row] = []
    # Cross-fitted: a writer's rows come from a re-ranker and an intent model fitted on the other writers, so the
    # re-ranker's margin and the intent are as sure of themselves on them as on questions nobody trained on.
    for held_out in sorted({writer for *_, writer in sets}):
        ranking = fit_ranking([c for c in cases if c.writer != held_out])
        try:
            intent_model = fit_intent_models(
                [r for r in intent_rows if r.writer != held_out], out_of_scope_threshold=out_of_scope_threshold
            )
        except TooFewQuestions as exc:  # too few kinds of question without this writer: the bundled model stands in
            typer.echo(f"without {held_out}: the bundled intent model ({exc})")
            intent_model = load_intent_model()
        for matcher, questions, name, writer in sets:
            if writer == held_out:
                fold = matcher.with_models(ranking=ranking, intent_model=intent_model)
                rows += collect(fold, questions, set_name=name, writer=writer)
    probabilities = out_of_fold(rows)
    threshold = choose_threshold(rows, probabilities, target=target)
    table = _table(rows, probabilities, threshold)
    _print_table(
        f"leave-one-writer-out, threshold {threshold:.2f} (target: every writer <= {target - SAFETY:.3f})", table
    )
    fitted = fit_logistic(rows, threshold=threshold)
    provenance = {
        "command": "zonedesk train-confidence",
        **_sets_provenance(files, documents, bundled_only),
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


def _ranking_table(cases: Sequence[Case], orders: Sequence[Sequence[str]]) -> list[tuple[RankFigures, RankFigures]]:
    """(first ranking, out of fold) figures per writer and per set."""
    groups = [("writer", w) for w in sorted({c.writer for c in cases})]
    groups += [("set", s) for s in dict.fromkeys(c.set_name for c in cases)]
    out = []
    for kind, name in groups:
        chosen = [i for i, c in enumerate(cases) if (c.writer if kind == "writer" else c.set_name) == name]
        group = [cases[i] for i in chosen]
        out.append(
            (
                rank_figures(f"{kind}:{name}", group, [final_order(c, None) for c in group]),
                rank_figures(f"{kind}:{name}", group, [orders[i] for i in chosen]),
            )
        )
    return out


def train_ranking(
    files: LabelledFiles = None,
    documents: DocumentFiles = None,
    bundled_only: BundledOnlyFiles = None,
    output: Annotated[Path, typer.Option("--output", help="weights file to write")] = RANKING_FILE,
) -> None:
    """Fit the re-ranker; print first-ranking and leave-one-writer-out figures; write the weights."""
    files, bundled_only, documents = files or [], bundled_only or [], documents or []
    _check_writers(files, bundled_only)
    cases: list[Case] = []
    for matcher, questions, set_name, writer in _labelled(
        files, documents, bundled_only, ranking=RankingModel.untrained()
    ):
        cases += collect_cases(matcher, questions, set_name=set_name, writer=writer)
    orders = ranking_out_of_fold(cases)
    table = _ranking_table(cases, orders)
    typer.echo("top-1 / top-3 / MRR of the answering measure: first ranking, and re-ranked leaving the writer out")
    typer.echo(f"{'fold':<30}{'in scope':>9}{'first ranking':>24}{'out of fold':>24}")
    for first, fold in table:
        typer.echo(
            f"{first.name:<30}{first.questions:>9}{first.top1:>8.3f}{first.top3:>8.3f}{first.mrr:>8.3f}"
            f"{fold.top1:>8.3f}{fold.top3:>8.3f}{fold.mrr:>8.3f}"
        )
    fitted = fit_ranking(cases)
    provenance = {
        "command": "zonedesk train-ranking",
        **_sets_provenance(files, documents, bundled_only),
        "regularisation": RANKING_REGULARISATION,
        "cases": len(cases),
        "leave_one_writer_out": [
            {"fold": f.name, "in_scope": f.questions, "first": [first.top1, first.top3], "top1": f.top1, "top3": f.top3}
            for first, f in table
        ],
    }
    model = dataclasses.replace(fitted, provenance=provenance)
    output.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(f"\nweights → {output}")
    for name, weight in zip(model.names, model.weights, strict=True):
        typer.echo(f"  {name:<18}{weight:>9.3f}")
