"""Fixtures of the bot tests: the fake Telegram server, an API on loopback and the running bot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fake_telegram import BOT_TOKEN, FakeTelegram, FakeUser
from pydantic import SecretStr
from stub_api import SERVICE_TOKEN, StubApi, create_stub_app

from bot.runner import run_polling
from bot.settings import BotSettings


@contextlib.asynccontextmanager
async def serve_app(app: Any) -> AsyncIterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port, in this event loop."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def stub() -> StubApi:
    """State of the stand-in API."""
    return StubApi()


@pytest.fixture
async def api_url(stub: StubApi) -> AsyncIterator[str]:
    """The stand-in API on loopback."""
    async with serve_app(create_stub_app(stub)) as url:
        yield url


def make_settings(telegram: FakeTelegram, api_url: str, tmp_path: Path, **overrides: Any) -> BotSettings:
    """Bot settings pointing at the fake Telegram server and the API."""
    values: dict[str, Any] = {
        "bot_token": SecretStr(BOT_TOKEN),
        "bot_api_server": telegram.url,
        "api_url": api_url,
        "bot_service_token": SecretStr(SERVICE_TOKEN),
        "redis_url": None,
        "bot_state_file": tmp_path / "bot-state.json",
        "bot_throttle_burst": 1000,
        "api_timeout": 5.0,
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def running_bot(settings: BotSettings) -> AsyncIterator[asyncio.Task[None]]:
    """The bot polling the fake server until the block ends."""
    task = asyncio.create_task(run_polling(settings))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.fixture
def settings(telegram: FakeTelegram, api_url: str, tmp_path: Path) -> BotSettings:
    """Default settings of a test bot."""
    return make_settings(telegram, api_url, tmp_path)


@pytest.fixture
async def bot(settings: BotSettings) -> AsyncIterator[asyncio.Task[None]]:
    """A running bot."""
    async with running_bot(settings) as task:
        yield task


@pytest.fixture
def user(telegram: FakeTelegram) -> FakeUser:
    """A Telegram user."""
    return FakeUser(telegram, 1001, "张三")
