"""Operation: restart resumes the event stream, Redis storage, flood control, webhook secret."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from bot_harness import RealApi, draft_request, make_settings, running_bot
from fake_telegram import FakeTelegram, FakeUser
from pydantic import SecretStr

from bot.runner import build_webhook_app, open_bot, run_webhook
from bot.settings import BotNotConfigured


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_restart_resumes_event_stream_without_loss_or_repeat(
    backend: str, telegram: FakeTelegram, real_api: RealApi, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    redis_url = request.getfixturevalue("redis_url") if backend == "redis" else None
    settings = make_settings(telegram, real_api.url, tmp_path, redis_url=redis_url)
    user = FakeUser(telegram, 1001)
    async with running_bot(settings):
        draft = await draft_request(user)
        await user.click(draft, "确认提交")
        await user.expect("ZD-000001", kind="editMessageText")
        await real_api.staff_reply("ZD-000001", "第一条回复")
        await user.expect("第一条回复", kind="sendMessage")
    await real_api.staff_reply("ZD-000001", "停机期间的回复")  # while the bot is down
    async with running_bot(settings):
        await user.expect("停机期间的回复", kind="sendMessage")
        await real_api.staff_reply("ZD-000001", "重启之后的回复")
        await user.expect("重启之后的回复", kind="sendMessage")
    notices = [r.text for r in telegram.records if r.chat_id == user.user_id and "工作人员回复" in r.text]
    assert len(notices) == 3  # each reply exactly once


async def test_fsm_state_lives_in_redis_when_configured(
    telegram: FakeTelegram, api_url: str, tmp_path: Path, redis_url: str
) -> None:
    settings = make_settings(telegram, api_url, tmp_path, redis_url=redis_url)
    user = FakeUser(telegram, 1001)
    async with running_bot(settings):
        await user.say("/request")
        categories = await user.expect("请选择类别", kind="sendMessage")
        await user.click(categories, "其他")
        await user.expect("请描述您的申请", kind="sendMessage")
    async with running_bot(settings):  # a new process picks the flow up where it was
        await user.say("需要咨询厂房建设的贴息政策")
        await user.expect("分享手机号", kind="sendMessage")


async def test_flooding_user_gets_one_polite_notice(telegram: FakeTelegram, api_url: str, tmp_path: Path) -> None:
    settings = make_settings(telegram, api_url, tmp_path, bot_throttle_burst=3, bot_throttle_rate=3 / 3600)
    user = FakeUser(telegram, 1001)
    async with running_bot(settings):
        for _ in range(6):
            await user.say("/menu")
        await user.expect("太频繁", kind="sendMessage")
        await user.say("/start")
        # A user who is not throttled, after it: by the time they are greeted, a wrongly
        # unthrottled greeting of the flooding user would have been sent too.
        sentinel = FakeUser(telegram, 1002)
        await sentinel.say("/start")
        await sentinel.expect("您好", kind="sendMessage")
    texts = [r.text for r in telegram.records if r.chat_id == user.user_id]
    assert sum("太频繁" in t for t in texts) == 1
    assert sum("请问您需要办理什么" in t for t in texts) == 3
    assert not any("您好" in t for t in texts)  # the /start after the notice went unanswered


def _update(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": 1001, "type": "private"},
            "from": {"id": 1001, "is_bot": False, "first_name": "张三"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_webhook_refuses_wrong_secret_and_handles_right_one(
    telegram: FakeTelegram, api_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        telegram, api_url, tmp_path, webhook_url="https://bot.example.com/tg/hook", webhook_secret=SecretStr("s3cret")
    )
    user = FakeUser(telegram, 1001)
    async with open_bot(settings) as app, TestClient(TestServer(build_webhook_app(app))) as client:
        wrong = await client.post(
            "/tg/hook", json=_update(1, "/start"), headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
        )
        assert wrong.status == 401
        missing = await client.post("/tg/hook", json=_update(2, "/start"))
        assert missing.status == 401
        right = await client.post(
            "/tg/hook", json=_update(3, "/start"), headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        )
        assert right.status == 200
        await user.expect("您好", kind="sendMessage")
    assert [r.text for r in telegram.records if "您好" in r.text] == [telegram.records[-1].text]


async def test_run_webhook_registers_url_and_secret(telegram: FakeTelegram, api_url: str, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = make_settings(
        telegram,
        api_url,
        tmp_path,
        webhook_url="https://bot.example.com/tg/hook",
        webhook_secret=SecretStr("s3cret"),
        webhook_port=port,
    )
    task = asyncio.create_task(run_webhook(settings))
    try:
        for _ in range(200):
            if telegram.webhook is not None:
                break
            await asyncio.sleep(0.02)
        assert telegram.webhook is not None
        assert (telegram.webhook["url"], telegram.webhook["secret_token"]) == (
            "https://bot.example.com/tg/hook",
            "s3cret",
        )
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_webhook_mode_refuses_to_start_without_secret(
    telegram: FakeTelegram, api_url: str, tmp_path: Path
) -> None:
    settings = make_settings(telegram, api_url, tmp_path, webhook_url="https://bot.example.com/tg/hook")
    with pytest.raises(BotNotConfigured, match="ZONEDESK_WEBHOOK_SECRET"):
        await run_webhook(settings)
    assert telegram.webhook is None
