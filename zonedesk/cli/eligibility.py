"""`zonedesk eligibility --profile FILE|-`: verdicts for an enterprise profile, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from policy_index.check import check_eligibility, result_to_json
from policy_index.clauses import load_bundled_clause_index
from policy_index.library import load_bundled_library
from zonedesk.cli.errors import fail


def _read_profile(source: str) -> object:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"无法读取企业情况文件 {source}：{exc.strerror} (cannot read profile)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"企业情况不是有效的 JSON：第 {exc.lineno} 行 {exc.msg} (invalid JSON)")


def eligibility(
    profile: Annotated[str, typer.Option("--profile", help="JSON object of facts; `-` reads stdin")],
) -> None:
    """Check which clauses an enterprise profile qualifies for (same JSON as the API)."""
    raw = _read_profile(profile)
    library = load_bundled_library()
    index = load_bundled_clause_index(library)
    result = check_eligibility(raw, index)
    typer.echo(json.dumps(result_to_json(result, index, library), ensure_ascii=False, indent=2))
