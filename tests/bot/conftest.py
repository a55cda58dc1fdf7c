"""Fixtures of the bot tests: the fake Telegram server, an API on loopback and the running bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_harness import make_settings, running_bot, serve_app
from fake_telegram import FakeTelegram, FakeUser
from stub_api import StubApi, create_stub_app

from bot.settings import BotSettings


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
