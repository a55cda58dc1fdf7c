"""`zonedesk users …`: accounts from the shell."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlmodel import Session

import api.models  # noqa: F401 - every table, so foreign keys resolve
from api.auth.service import create_user, find_user, new_password_hash, set_active, set_password
from api.db import is_sqlite, make_engine
from api.schema import prepare_database
from api.settings import get_settings
from api.unit_of_work import UnitOfWork
from common.roles import Role
from zonedesk.cli.db import DatabaseOption

app = typer.Typer(help="账号管理 (accounts)", no_args_is_help=True)
UsernameArg = Annotated[str, typer.Argument(help="login name")]


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    """A unit of work on the configured database: committed when the block succeeds, else rolled back."""
    url = database_url or get_settings().effective_database_url
    engine = make_engine(url)
    try:
        if is_sqlite(url):
            prepare_database(engine)  # the embedded database migrates itself, as `zonedesk serve` does
        with Session(engine, expire_on_commit=False) as session, UnitOfWork(session):
            yield session
    finally:
        engine.dispose()


@app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="enterprise | staff | admin")],
    username: Annotated[str, typer.Option(help="login name")],
    password: Annotated[str, typer.Option(help="at least 10 characters, not a common password")],
    queue: Annotated[list[str] | None, typer.Option("--queue", help="queue key (staff; repeatable)")] = None,
    supervisor: Annotated[
        list[str] | None,
        typer.Option("--supervisor", help="queue key the staff member supervises (joins it too; repeatable)"),
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="name shown to others")] = None,
    telegram_id: Annotated[
        int | None, typer.Option("--telegram-id", min=1, help="Telegram user id (staff alerts in the bot)")
    ] = None,
    telegram_linked: Annotated[
        bool,
        typer.Option(
            "--telegram-linked",
            help="staff: the bot may act as this account for --telegram-id without the console's one-time code",
        ),
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Create an account (staff may join queues with --queue KEY ...)."""
    with _session(database_url) as session:
        user = create_user(
            session=session,
            role=role,
            username=username,
            password=password,
            queues=queue or [],
            supervises=supervisor or [],
            display_name=display_name,
            telegram_user_id=telegram_id,
            telegram_linked=telegram_linked,
        )
    queues = " ".join([*(queue or []), *(f"{key}(supervisor)" for key in supervisor or [])])
    typer.echo(f"已创建账号 (created): {user.username} ({user.role}) {queues}".rstrip())


@app.command("disable")
def disable(username: UsernameArg, database_url: DatabaseOption = None) -> None:
    """Disable an account: login refused, its tokens stop working at once."""
    with _session(database_url) as session:
        set_active(session=session, user=find_user(session=session, username=username), active=False)
    typer.echo(f"已停用账号 (disabled): {username}")


@app.command("enable")
def enable(username: UsernameArg, database_url: DatabaseOption = None) -> None:
    """Enable a disabled account again (it logs in anew)."""
    with _session(database_url) as session:
        set_active(session=session, user=find_user(session=session, username=username), active=True)
    typer.echo(f"已启用账号 (enabled): {username}")


@app.command("reset-password")
def reset_password(
    username: UsernameArg,
    password: Annotated[
        str,
        typer.Option(prompt="新密码 (new password)", hide_input=True, confirmation_prompt=True, help="new password"),
    ],
    database_url: DatabaseOption = None,
) -> None:
    """Set a new password for an account (the password policy applies); its sessions end."""
    hashed = new_password_hash(password, username=username)  # the policy first: a refused password opens nothing
    with _session(database_url) as session:
        set_password(session=session, user=find_user(session=session, username=username), password_hash=hashed)
    typer.echo(f"已重置密码 (password reset): {username}")
