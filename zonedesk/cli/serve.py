"""`zonedesk serve`: the API, pages and (when configured) the bot in one process."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import get_settings


def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
) -> None:
    """Run zonedesk: embedded SQLite and the bundled policy unless configured otherwise."""
    import uvicorn

    from api.main import create_app

    settings = get_settings()
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)
