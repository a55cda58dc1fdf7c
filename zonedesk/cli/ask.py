"""`zonedesk ask` and `zonedesk eval`: question matching from the shell."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from faq.clarify import ask_json
from faq.matcher import InvalidQuestion
from policy_index.messages import LEVEL_LABELS, STATUS_LABELS
from zonedesk.cli.errors import fail
from zonedesk.cli.served import ask_matcher

if TYPE_CHECKING:
    from faq.matcher import Matcher, MatchResult
    from policy_index.library import PolicyLibrary

CURVE_THRESHOLDS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)


def _print_text(result: MatchResult) -> None:
    category = f"（{result.category.value}）" if result.category else ""
    typer.echo(f"意图：{result.intent.value}{category}  {'确定' if result.confident else '不确定'}")
    typer.echo(result.answer.title)
    document = result.answer.document
    if document is not None:
        source = "，".join(
            filter(None, (document.doc_number, LEVEL_LABELS[document.level], STATUS_LABELS[document.status]))
        )
        typer.echo(f"出处：《{document.title}》{result.answer.label or ''}（{source}）")
    if result.answer.notice:
        typer.echo(result.answer.notice)
    typer.echo(result.answer.summary)
    if result.answer.lead_units:
        typer.echo(f"牵头单位：{'、'.join(result.answer.lead_units)}")
    for match in result.matches:
        typer.echo(f"  {match.score:.2f}  {match.measure_id}  {match.title}")
    if result.answer.actions:
        typer.echo(f"可选操作：{', '.join(result.answer.actions)}")


def _jsonl(matcher: Matcher) -> None:
    for line in sys.stdin:
        question = line.rstrip("\n")
        try:
            payload: dict[str, object] = ask_json(matcher.match(question), matcher.sources)
        except InvalidQuestion as exc:
            payload = {"error": str(exc)}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def ask(
    text: Annotated[str | None, typer.Argument(help="the question")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON of POST /api/v1/ask")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="one question per stdin line, one JSON per line")] = False,
) -> None:
    """Match a question to the policy measure that answers it."""
    if jsonl:
        if text is not None:
            fail("--jsonl 从标准输入读取问题，不能同时给出 TEXT (--jsonl reads stdin; give no TEXT)")
        _jsonl(ask_matcher())
        return
    if text is None:
        fail("请给出问题 TEXT，或使用 --jsonl (give TEXT or --jsonl)")
    matcher = ask_matcher()
    result = matcher.match(text)
    if as_json:
        typer.echo(json.dumps(ask_json(result, matcher.sources), ensure_ascii=False, indent=2))
    else:
        _print_text(result)


def _evaluate_file(title: str, path: Path, library: PolicyLibrary, matcher: Matcher, curve: bool) -> None:
    from faq.evaluate import (
        InvalidQuestionFile,
        confidence_curve,
        evaluate,
        format_reports,
        prediction_of,
        questions_from_lines,
        systems,
        unknown_measures,
    )
    from policy_index.library import BUNDLED_DOCUMENT_ID

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        fail(f"无法读取 {path}：{exc.strerror} (cannot read file)")
    try:
        questions = questions_from_lines(lines, BUNDLED_DOCUMENT_ID)
    except InvalidQuestionFile as exc:
        fail(f"{path}：{exc}")
    unknown = unknown_measures(questions, (m.id for m in library.measures()))
    if unknown:
        fail(f"{path}：标注了文库中没有的措施 {', '.join(unknown[:5])}，请用 --documents 加入其文件 (unknown measures)")
    reports = evaluate(questions, systems(matcher, library.measures()))
    typer.echo(format_reports(f"{title} ({path.name})", reports))
    if curve:
        results = [matcher.match(q.q, limit=None) for q in questions]
        scored = [(prediction_of(r), r.probability) for r in results]
        typer.echo("threshold  answered  confidently-wrong   (in-scope intents, model probability >= threshold)")
        for threshold, answered, wrong in confidence_curve(questions, scored, CURVE_THRESHOLDS):
            typer.echo(f"{threshold:>9.2f}  {answered:>8.3f}  {wrong:>17.3f}")
    typer.echo("")


def _document_paths(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            out.append(path)
        else:
            fail(f"找不到政策文件 {path} (no such document file or directory)")
    return out


def _evaluation_library(documents: Sequence[Path]) -> PolicyLibrary:
    """The bundled documents plus `documents` (files, or directories of .txt), as of today."""
    from policy_index.library import load_bundled_library, load_document_with_sidecar
    from policy_index.parser import ParseError

    library = load_bundled_library()
    for path in _document_paths(documents):
        try:
            library = library.with_document(load_document_with_sidecar(path))
        except (ParseError, ValueError) as exc:
            fail(f"无法读取政策文件 {path}：{exc}")
    return library.as_of(date.today())


def eval_command(
    files: Annotated[
        list[Path], typer.Argument(help="labelled question sets (JSON lines), e.g. tests/data/dev_questions.jsonl")
    ],
    documents: Annotated[
        list[Path] | None,
        typer.Option("--documents", help="policy document files or directories to add to the bundled ones"),
    ] = None,
    curve: Annotated[
        bool, typer.Option("--curve", help="also print answered / confidently-wrong per probability threshold")
    ] = False,
) -> None:
    """Score zonedesk and three baselines on labelled sets: top-1, top-3, MRR, intent, category, OOS P/R."""
    from faq.matcher import build_matcher

    library = _evaluation_library(documents or [])
    matcher = build_matcher(library.documents)
    for path in files:
        _evaluate_file(path.stem, path, library, matcher, curve)
