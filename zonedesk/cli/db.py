"""`zonedesk db …`: create or migrate the schema and seed the default queues and routing."""

from __future__ import annotations

from typing import Annotated

import typer

from api.db import make_engine
from api.schema import prepare_database
from api.settings import get_settings

app = typer.Typer(help="数据库：建表与迁移 (database schema)", no_args_is_help=True)

DatabaseOption = Annotated[str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: settings)")]


@app.command("upgrade")
def upgrade(database_url: DatabaseOption = None) -> None:
    """Create or migrate the schema to the newest revision and seed defaults (idempotent)."""
    url = database_url or get_settings().effective_database_url
    engine = make_engine(url)
    try:
        prepare_database(engine)
    finally:
        engine.dispose()
    typer.echo(f"数据库已是最新版本 (schema up to date): {engine.url.render_as_string(hide_password=True)}")
