"""`zonedesk train-intent`: fit the intent and service-category models on labelled sets, write their weights."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from faq.bundled import INTENT_FILE
from faq.intent_training import (
    CATEGORY_REGULARISATION,
    MIN_COUNT,
    REGULARISATION,
    SEED,
    Figures,
    Row,
    by_writer,
    choose_threshold,
    collect,
    fit_models,
    out_of_fold,
    untrained,
)
from faq.matcher import build_matcher
from zonedesk.cli.ask import _document_paths, _evaluation_library
from zonedesk.cli.train import ONE_VOICE, _check_writers, _commit, _digest, _questions


def _print_table(title: str, table: Sequence[Figures]) -> None:
    typer.echo(title)
    typer.echo(f"{'fold':<28}{'questions':>10}{'intent':>8}{'category':>10}{'OOS-P':>8}{'OOS-R':>8}{'refused':>9}")
    for f in table:
        typer.echo(
            f"{f.name:<28}{f.questions:>10}{f.intent:>8.3f}{f.category:>10.3f}"
            f"{f.oos_precision:>8.3f}{f.oos_recall:>8.3f}{f.refused:>9}"
        )


def train_intent(
    files: Annotated[list[Path], typer.Argument(help="labelled sets; each is one writer unless given as --one-voice")],
    documents: Annotated[
        list[Path] | None,
        typer.Option(
            "--documents", help="policy document files or directories the sets are about (added to the bundled)"
        ),
    ] = None,
    one_voice: Annotated[
        list[Path] | None, typer.Option("--one-voice", help="labelled sets all written by one writer")
    ] = None,
    output: Annotated[Path, typer.Option("--output", help="weights file to write")] = INTENT_FILE,
) -> None:
    """Fit the intent and category models; report leave-one-writer-out figures; write the weights."""
    grouped = one_voice or []
    _check_writers(files, grouped)
    library = _evaluation_library(documents or [])
    matcher = build_matcher(library.documents, intent_model=untrained())
    rows: list[Row] = []
    for path, writer in [*((p, ONE_VOICE) for p in grouped), *((p, p.stem) for p in files)]:
        rows += collect(matcher, _questions(path, library), set_name=path.stem, writer=writer)
    predictions = out_of_fold(rows)
    fitted = fit_models(rows)
    threshold = choose_threshold(rows, predictions)
    table = by_writer(rows, predictions, threshold)
    _print_table(f"leave-one-writer-out, out-of-scope threshold {threshold:.2f}", table)
    provenance = {
        "command": "zonedesk train-intent",
        "commit": _commit(),
        "sets": [
            {"path": str(p), "sha256": _digest(p), "writer": ONE_VOICE if p in grouped else p.stem}
            for p in [*grouped, *files]
        ],
        "documents": [{"path": str(p), "sha256": _digest(p)} for p in _document_paths(documents or [])],
        "seed": SEED,
        "regularisation": {"intent": REGULARISATION, "category": CATEGORY_REGULARISATION},
        "min_count": MIN_COUNT,
        "rows": len(rows),
        "leave_one_writer_out": [dataclasses.asdict(f) for f in table],
    }
    model = dataclasses.replace(fitted, out_of_scope_threshold=threshold, provenance=provenance)
    output.write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    typer.echo(
        f"\nweights → {output} ({len(model.intent.weights)} intent, {len(model.category.weights)} category features)"
    )
