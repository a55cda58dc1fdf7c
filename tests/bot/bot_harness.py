"""Helpers of the bot tests and the bot benchmark: serve an ASGI app, configure and run a bot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn
from fake_telegram import BOT_TOKEN, FakeTelegram, FakeUser, Record
from pydantic import SecretStr
from stub_api import SERVICE_TOKEN

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
