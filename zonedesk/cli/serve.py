"""`zonedesk serve`: the API, pages and (when configured) the bot in one process."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import SecretStr

from api.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.settings import BotSettings


def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
) -> None:
    """Run zonedesk: embedded SQLite and the bundled policy unless configured otherwise."""
    import uvicorn

    from api.main import create_app
    from bot.settings import get_settings as get_bot_settings

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    bot_settings = get_bot_settings()
    if bot_settings.bot_token is None:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    settings, bot_settings = embedded_bot_settings(settings, bot_settings, host=host, port=port)
    asyncio.run(serve_with_bot(create_app(settings), bot_settings, host=host, port=port))


def embedded_bot_settings(
    settings: Settings, bot_settings: BotSettings, *, host: str, port: int
) -> tuple[Settings, BotSettings]:
    """The bot calls this process's API; without a configured service token both share a random one."""
    updates: dict[str, object] = {}
    if "api_url" not in bot_settings.model_fields_set:
        local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - comparing, not binding
        updates["api_url"] = f"http://{local}:{port}"
    if settings.bot_service_token is None and bot_settings.bot_service_token is None:
        token = SecretStr(secrets.token_urlsafe(32))
        settings = settings.model_copy(update={"bot_service_token": token})
        updates["bot_service_token"] = token
    return settings, bot_settings.model_copy(update=updates)


async def serve_with_bot(app: FastAPI, bot_settings: BotSettings, *, host: str, port: int) -> None:
    """Uvicorn and the bot (polling, or webhook when ZONEDESK_WEBHOOK_URL is set) in one event loop."""
    import uvicorn

    from bot.runner import run

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port))
    bot_task = asyncio.create_task(run(bot_settings))
    try:
        await server.serve()
    finally:
        bot_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot_task
