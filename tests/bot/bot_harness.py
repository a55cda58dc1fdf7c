"""Helpers of the bot tests and the bot benchmark: serve an ASGI app, configure and run a bot."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fake_telegram import BOT_TOKEN, FakeTelegram, FakeUser, Record
from pydantic import SecretStr

from bot.client import ApiClient
from bot.i18n import create_i18n
from bot.lease import stop_task
from bot.notifier import EventFollower
from bot.runner import create_bot, create_store, open_bot, poll, run_polling
from bot.settings import BotSettings
from tests.factories import SERVICE_TOKEN, bot_header

STAFF_TELEGRAM_ID = 7001
COLLEAGUE_TELEGRAM_ID = 7002


@dataclass
class RealApi:
    """The zonedesk API app served on loopback, and a staff member's HTTP client."""

    url: str
    staff: httpx.AsyncClient
    enterprise: tuple[str, str, str]  # name, 统一社会信用代码, binding code
    admin_token: str
    app: Any = None  # the API app itself, for jobs a test runs by hand (the SLA tick)

    async def feedback(self) -> list[dict[str, Any]]:
        """The answer feedback admins see, newest first."""
        response = await self.staff.get(
            "/api/v1/admin/feedback", headers={"Authorization": f"Bearer {self.admin_token}"}
        )
        response.raise_for_status()
        return list(response.json()["items"])

    async def ticket(self, number: str) -> dict[str, Any]:
        response = await self.staff.get(f"/api/v1/tickets/{number}")
        response.raise_for_status()
        return dict(response.json())

    async def act(self, number: str, action: str, **body: Any) -> dict[str, Any]:
        """A staff action carrying the ticket's current version."""
        version = (await self.ticket(number))["version"]
        response = await self.staff.post(f"/api/v1/tickets/{number}/{action}", json={"version": version, **body})
        response.raise_for_status()
        return dict(response.json())

    async def claim_if_new(self, number: str) -> None:
        """Staff take the ticket before acting on it."""
        if (await self.ticket(number))["status"] == "new":
            response = await self.staff.post(f"/api/v1/tickets/{number}/claim")
            response.raise_for_status()

    async def staff_reply(self, number: str, body: str, *, ask_more: bool = False) -> None:
        """A staff reply; `ask_more` waits for the enterprise's answer."""
        await self.claim_if_new(number)
        await self.act(number, "wait" if ask_more else "reply", body=body)

    async def resolve(self, number: str) -> None:
        """Staff resolve the ticket."""
        await self.claim_if_new(number)
        await self.act(number, "resolve", body="已办结")

    async def request_of(self, telegram_user_id: int, number: str) -> dict[str, Any]:
        """One of a Telegram user's tickets, as the bot sees it."""
        response = await self.staff.get(f"/api/v1/requests/{number}", headers=bot_header(telegram_user_id))
        response.raise_for_status()
        return dict(response.json())

    async def requests_of(self, telegram_user_id: int) -> list[dict[str, Any]]:
        """The tickets the API lists for a Telegram user, as the bot sees them."""
        response = await self.staff.get("/api/v1/requests", headers=bot_header(telegram_user_id))
        response.raise_for_status()
        return list(response.json()["items"])


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


def closed_port_url() -> str:
    """A loopback URL nothing listens on: the API being down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


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


STOP_SECONDS = 30.0  # a bound on teardown, generous for a loaded machine; never a measurement


async def stop_within(task: asyncio.Task[None], what: str, *, seconds: float = STOP_SECONDS) -> None:
    """Cancel `task` (again and again) until it ends; fail naming `what` if it outlives `seconds`."""
    if not await stop_task(task, within=seconds):
        raise AssertionError(f"{what} did not stop within {seconds}s")
    if not task.cancelled() and task.exception() is not None:
        raise AssertionError(f"{what} failed") from task.exception()


async def wait_until(
    condition: Callable[[], bool | Awaitable[bool]], what: str, *, timeout: float = 30.0, every: float = 0.05
) -> None:
    """Poll `condition` until it holds; fail saying `what` was awaited once `timeout` seconds pass."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        outcome = condition()
        if outcome if isinstance(outcome, bool) else await outcome:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still waiting after {timeout}s for: {what}")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def running_bot(settings: BotSettings) -> AsyncIterator[asyncio.Task[None]]:
    """The bot polling the fake server until the block ends."""
    task = asyncio.create_task(run_polling(settings))
    try:
        yield task
    finally:
        await stop_within(task, "the bot")


@dataclass
class Replica:
    """One bot process of several sharing Redis; it follows the events while it holds the lease."""

    name: str
    follower: EventFollower
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stop as on SIGTERM: the event at hand is finished, the lease released for the others."""
        await stop_within(self.task, self.name)

    async def kill(self) -> None:
        """Vanish as on SIGKILL: nothing more is sent, and the lease is left to expire."""

        async def leave_lease() -> None:
            return None

        self.follower.lease.release = leave_lease  # type: ignore[method-assign]
        await self.stop()


@contextlib.asynccontextmanager
async def running_replica(settings: BotSettings, name: str = "replica 1") -> AsyncIterator[Replica]:
    """A whole bot replica (polling and following) until the block ends, or it is stopped or killed."""
    async with open_bot(settings) as app:
        replica = Replica(name, app.follower, asyncio.create_task(poll(app)))
        try:
            yield replica
        finally:
            await replica.stop()


@contextlib.asynccontextmanager
async def running_follower(
    settings: BotSettings, name: str = "replica 2", *, follow: bool = True
) -> AsyncIterator[Replica]:
    """Another replica's event follower alone (running when `follow`).

    aiogram's routers are module-level, so one process holds one working dispatcher: the updates
    go to the whole replica, and the others contribute what is under test here, their followers.
    """
    bot = create_bot(settings)
    token = settings.bot_service_token.get_secret_value() if settings.bot_service_token else None
    api = ApiClient.connect(settings.api_url, token, timeout=settings.api_timeout)
    store = create_store(settings)
    follower = EventFollower(
        bot,
        api,
        store,
        create_i18n(),
        lease_seconds=settings.bot_events_lease_seconds,
        standby_seconds=settings.bot_events_standby_seconds,
    )
    idle = asyncio.get_running_loop().create_future()
    replica = Replica(name, follower, asyncio.create_task(follower.run() if follow else _wait(idle)))
    try:
        yield replica
    finally:
        try:
            await replica.stop()
        finally:
            await store.close()
            await api.aclose()
            await bot.session.close()


async def _wait(future: asyncio.Future[None]) -> None:
    await future


async def draft_request(user: FakeUser) -> Record:
    """Walk the flow up to the confirmation message."""
    await user.say("/request")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "子女入学")
    await user.expect("请描述您的申请", kind="sendMessage")
    await user.say("孩子明年九月入学，需要办理区内学校入学手续")
    await user.expect("分享手机号", kind="sendMessage")
    await user.share_contact("+8613812345678")
    return await user.expect("请确认您的申请", kind="sendMessage")


async def switch_to_english(user: FakeUser) -> None:
    """/lang → English, from Chinese."""
    await user.say("/lang")
    chooser = await user.expect("选择语言", kind="sendMessage")
    await user.click(chooser, "English")
    await user.expect("Language switched.", kind="sendMessage")
