"""Commands always work mid-flow: the flow is left cleanly, a request draft is kept for /request; /help."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot_harness import make_settings, running_bot
from fake_telegram import FakeTelegram, FakeUser


async def start_schooling_draft(user: FakeUser) -> None:
    await user.say("/request")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "子女入学")
    await user.expect("请描述您的申请", kind="sendMessage")


async def test_my_inside_a_request_keeps_the_draft_and_request_resumes_it(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await start_schooling_draft(user)
    await user.say("孩子明年九月入学，需要办理区内学校入学手续")
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("/my")
    await user.expect("草稿已保存", kind="sendMessage")
    await user.expect("还没有", kind="sendMessage")
    await user.say("/request")
    await user.expect("已恢复您保存的申请草稿", kind="sendMessage")
    await user.expect("分享手机号", kind="sendMessage")
    await user.share_contact("+8613812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "子女入学" in draft.text
    assert "孩子明年九月入学" in draft.text


async def test_start_and_help_inside_a_request_leave_it_with_a_word(bot: asyncio.Task[None], user: FakeUser) -> None:
    await start_schooling_draft(user)
    await user.say("/start")
    await user.expect("草稿已保存", kind="sendMessage")
    await user.expect("您好", kind="sendMessage")
    await user.say("外资研发中心有什么补贴？")  # no longer swallowed as the request's details
    await user.expect("大力集聚高端创新平台", kind="sendMessage")


async def test_request_inside_a_request_asks_the_current_step_again(bot: asyncio.Task[None], user: FakeUser) -> None:
    await start_schooling_draft(user)
    await user.say("/request")
    await user.expect("请描述您的申请", kind="sendMessage")


async def test_my_inside_the_self_check_leaves_it(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    await user.expect("第 1 题", kind="sendMessage")
    await user.say("/my")
    await user.expect("已退出上一步", kind="sendMessage")
    await user.expect("还没有", kind="sendMessage")


async def test_help_gives_service_hours_and_hotline_from_settings(
    telegram: FakeTelegram, api_url: str, tmp_path: Path, user: FakeUser
) -> None:
    settings = make_settings(
        telegram, api_url, tmp_path, bot_hotline="028-88886666", bot_service_hours="工作日 9–17 点"
    )
    async with running_bot(settings):
        await user.say("/help")
        reply = await user.expect("服务热线", kind="sendMessage")
        assert "服务热线：028-88886666" in reply.text
        assert "服务时间：工作日 9–17 点" in reply.text
        assert "政策咨询" in reply.button_labels()
        await start_schooling_draft(user)
        await user.say("/help")
        await user.expect("草稿已保存", kind="sendMessage")
        await user.expect("028-88886666", kind="sendMessage")
