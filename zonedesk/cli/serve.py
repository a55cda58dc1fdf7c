"""`zonedesk serve`: the API, pages and (when configured) the bot in one process."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import SecretStr

from api.settings import Settings, get_settings
from zonedesk.cli.errors import fail
from zonedesk.cli.server_limits import ServerLimits, uvicorn_config

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.settings import BotSettings


DEFAULT_LIMITS = ServerLimits()


def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
    header_timeout: Annotated[
        float, typer.Option(min=1, help="seconds a client may take to send a request's headers")
    ] = DEFAULT_LIMITS.header_timeout,
    keep_alive_timeout: Annotated[
        int, typer.Option(min=1, help="seconds an idle kept-alive connection stays open")
    ] = DEFAULT_LIMITS.keep_alive_timeout,
    max_connections: Annotated[
        int, typer.Option(min=1, help="connections at once (event streams included); past it: 503")
    ] = DEFAULT_LIMITS.max_connections,
    workers: Annotated[
        int, typer.Option(min=1, help="worker processes sharing the port (e.g. one per core; the bot: `zonedesk bot`)")
    ] = 1,
) -> None:
    """Run zonedesk: embedded SQLite and the bundled policy unless configured otherwise."""
    import uvicorn

    from bot.settings import get_settings as get_bot_settings

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    limits = ServerLimits(header_timeout, keep_alive_timeout, max_connections)
    bot_settings = get_bot_settings()
    if workers > 1:
        if bot_settings.bot_token is not None:
            fail(
                "--workers 不能与内置机器人同时使用，请用 zonedesk bot 单独运行机器人 (run the bot with `zonedesk bot`)"
            )
        serve_workers(settings, host=host, port=port, limits=limits, workers=workers)
        return
    from api.main import create_app

    if bot_settings.bot_token is None:
        uvicorn.Server(uvicorn_config(create_app(settings), host=host, port=port, limits=limits)).run()
        return
    settings, bot_settings = embedded_bot_settings(settings, bot_settings, host=host, port=port)
    asyncio.run(serve_with_bot(create_app(settings), bot_settings, host=host, port=port, limits=limits))


APP_FACTORY = "api.main:create_app"


def serve_workers(settings: Settings, *, host: str, port: int, limits: ServerLimits, workers: int) -> None:
    """`workers` processes, each building the app from the environment, behind one listening socket.

    An embedded SQLite is migrated here once, so the workers never race to migrate it.
    """
    from uvicorn.supervisors import Multiprocess

    from api.db import is_sqlite, make_engine
    from api.schema import prepare_database

    url = settings.effective_database_url
    if is_sqlite(url):
        engine = make_engine(url)
        prepare_database(engine)
        engine.dispose()
    config = uvicorn_config(APP_FACTORY, host=host, port=port, limits=limits, workers=workers)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


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


async def serve_with_bot(
    app: FastAPI, bot_settings: BotSettings, *, host: str, port: int, limits: ServerLimits = DEFAULT_LIMITS
) -> None:
    """Uvicorn and the bot (polling, or webhook when ZONEDESK_WEBHOOK_URL is set) in one event loop."""
    import uvicorn

    from bot.runner import run

    server = uvicorn.Server(uvicorn_config(app, host=host, port=port, limits=limits))
    bot_task = asyncio.create_task(run(bot_settings))
    try:
        await server.serve()
    finally:
        bot_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot_task
