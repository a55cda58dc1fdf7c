"""`zonedesk users …`: accounts from the shell."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel import Session

import api.models  # noqa: F401 - every table, so foreign keys resolve
from api.auth.service import create_user
from api.db import is_sqlite, make_engine
from api.schema import prepare_database
from api.settings import get_settings
from api.unit_of_work import UnitOfWork
from common.roles import Role
from zonedesk.cli.db import DatabaseOption

app = typer.Typer(help="账号管理 (accounts)", no_args_is_help=True)


@app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="enterprise | staff | admin")],
    username: Annotated[str, typer.Option(help="login name")],
    password: Annotated[str, typer.Option(help="at least 8 characters")],
    queue: Annotated[list[str] | None, typer.Option("--queue", help="queue key (staff; repeatable)")] = None,
    display_name: Annotated[str | None, typer.Option(help="name shown to others")] = None,
    telegram_id: Annotated[
        int | None, typer.Option("--telegram-id", min=1, help="Telegram user id (staff alerts in the bot)")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create an account (staff may join queues with --queue KEY ...)."""
    url = database_url or get_settings().effective_database_url
    engine = make_engine(url)
    try:
        if is_sqlite(url):
            prepare_database(engine)  # the embedded database migrates itself, as `zonedesk serve` does
        with Session(engine) as session:
            with UnitOfWork(session):
                user = create_user(
                    session=session,
                    role=role,
                    username=username,
                    password=password,
                    queues=queue or [],
                    display_name=display_name,
                    telegram_user_id=telegram_id,
                )
            typer.echo(f"已创建账号 (created): {user.username} ({user.role}) {' '.join(queue or [])}".rstrip())
    finally:
        engine.dispose()
