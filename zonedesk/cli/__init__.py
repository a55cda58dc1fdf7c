"""The `zonedesk` command.

Each command's module is imported only when that command runs (`zonedesk ask` never loads alembic,
the evaluation code or the web app): `main` builds the Typer app with just the command named on the
command line, and the full app only for help, a typo, or `zonedesk.cli.app`.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import typer

from zonedesk.cli.errors import fail, is_usage_error, message_of

HELP = "zonedesk：高新区企业服务台 (enterprise service desk of a high-tech zone)"
# name -> (module, function) of a single command, or (module, None) for a group of subcommands (its `app`).
COMMANDS: dict[str, tuple[str, str | None]] = {
    "policy": ("zonedesk.cli.policy", None),
    "serve": ("zonedesk.cli.serve", "serve"),
    "ask": ("zonedesk.cli.ask", "ask"),
    "eval": ("zonedesk.cli.ask", "eval_command"),
    "train-confidence": ("zonedesk.cli.train", "train_confidence"),
    "train-ranking": ("zonedesk.cli.train", "train_ranking"),
    "train-intent": ("zonedesk.cli.train_intent", "train_intent"),
    "db": ("zonedesk.cli.db", None),
    "users": ("zonedesk.cli.users", None),
    "clauses": ("zonedesk.cli.clauses", None),
    "eligibility": ("zonedesk.cli.eligibility", "eligibility"),
    "bot": ("zonedesk.cli.bot", "bot"),
}


def _group_callback() -> None:
    """zonedesk：高新区企业服务台 (enterprise service desk of a high-tech zone)"""


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with just `only` (importing only that command's module)."""
    app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
    app.callback()(_group_callback)  # a group even with one command: `zonedesk ask …` keeps its name
    for name, (module_name, function) in COMMANDS.items():
        if only is not None and name != only:
            continue
        module = import_module(module_name)
        if function is None:
            app.add_typer(module.app, name=name)
        else:
            app.command(name)(getattr(module, function))
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Entry point: run the CLI, turning domain errors into one line and exit 2."""
    named = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        build_app(named if named in COMMANDS else None)()
    except Exception as exc:
        if not is_usage_error(exc):
            raise
        fail(message_of(exc))
