"""Fixtures of the bot tests: the fake Telegram server, the REAL zonedesk API on loopback, the running bot.

Only Telegram's servers are faked; the API is the real app (`api.main.create_app`) on a fresh SQLite.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from bot_harness import COLLEAGUE_TELEGRAM_ID, STAFF_TELEGRAM_ID, RealApi, make_settings, running_bot, serve_app
from fake_telegram import FakeTelegram, FakeUser
from sqlmodel import Session

from api.main import create_app
from api.settings import Settings
from bot.settings import BotSettings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN, make_enterprise, make_token, make_user


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def real_api(library: PolicyLibrary, tmp_path: Path) -> AsyncIterator[RealApi]:
    """The real API on a fresh SQLite database, with two staff members of the talent queue.

    Each staff member links their Telegram id as in production: a one-time code from the console, spent by the bot.
    """
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", bot_service_token=SERVICE_TOKEN)
    app = create_app(settings, library=library)
    with Session(app.state.engine) as session:
        staff = make_user(session, Role.STAFF, username="staff-e2e-1", queues=["talent"])
        colleague = make_user(session, Role.STAFF, username="staff-e2e-2", queues=["talent"])
        token = make_token(session, staff)
        links = {STAFF_TELEGRAM_ID: token, COLLEAGUE_TELEGRAM_ID: make_token(session, colleague)}
        admin_token = make_token(session, make_user(session, Role.ADMIN, username="admin-e2e"))
        enterprise = make_enterprise(session, name="成都示例科技有限公司")
        registered = (enterprise.name, enterprise.uscc, enterprise.binding_code)
        session.commit()
    async with (
        serve_app(app) as url,
        httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as client,
    ):
        for telegram_user_id, staff_token in links.items():
            await _link_telegram(client, staff_token, telegram_user_id)
        yield RealApi(url, client, registered, admin_token, app)
    app.state.engine.dispose()


async def _link_telegram(client: httpx.AsyncClient, staff_token: str, telegram_user_id: int) -> None:
    issued = await client.post("/api/v1/auth/telegram-code", headers={"Authorization": f"Bearer {staff_token}"})
    bot_headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(telegram_user_id)}
    linked = await client.post("/api/v1/auth/telegram-link", headers=bot_headers, json={"code": issued.json()["code"]})
    assert linked.status_code == 200, linked.text


@pytest.fixture
def api_url(real_api: RealApi) -> str:
    """Where the real API listens."""
    return real_api.url


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
