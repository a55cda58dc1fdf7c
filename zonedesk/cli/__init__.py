"""The `zonedesk` command."""

from __future__ import annotations

import typer

from zonedesk.cli import ask, bot, clauses, db, eligibility, policy, serve, train, users
from zonedesk.cli.errors import USAGE_ERRORS, fail, message_of

app = typer.Typer(
    help="zonedesk：高新区企业服务台 (enterprise service desk of a high-tech zone)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(policy.app, name="policy")
app.command("serve")(serve.serve)
app.command("ask")(ask.ask)
app.command("eval")(ask.eval_command)
app.command("train-confidence")(train.train_confidence)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(clauses.app, name="clauses")
app.command("eligibility")(eligibility.eligibility)
app.command("bot")(bot.bot)


def main() -> None:
    """Entry point: run the CLI, turning domain errors into one line and exit 2."""
    try:
        app()
    except USAGE_ERRORS as exc:
        fail(message_of(exc))
