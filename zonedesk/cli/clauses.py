"""`zonedesk clauses check [FILE…]`: validate clause files against the facts and the policy documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policy_index.clauses import bundled_clause_files, check_clause_files, load_bundled_facts
from zonedesk.cli.errors import EXIT_USAGE
from zonedesk.cli.served import served_catalog

app = typer.Typer(help="资格条款：校验 (eligibility clauses)", no_args_is_help=True)


@app.command("check")
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="clause files; all bundled ones when absent"),
    ] = None,
) -> None:
    """Print each problem as FILE:LINE: message; exit 2 when there is any."""
    paths = tuple(files) if files else bundled_clause_files()
    clauses, issues = check_clause_files(paths, load_bundled_facts(), served_catalog().library)
    for issue in issues:
        typer.echo(str(issue))
    if issues:
        typer.echo(f"发现 {len(issues)} 处错误 ({len(issues)} problems)", err=True)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(
        f"条款检查通过：{len(paths)} 个文件，{len(clauses)} 条条款 (OK: {len(paths)} files, {len(clauses)} clauses)"
    )
