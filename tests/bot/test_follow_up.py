"""/my, staff replies from the event stream, answering in chat, rating, staff alerts."""

from __future__ import annotations

import asyncio

from bot_harness import RealApi, draft_request
from fake_telegram import FakeUser


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    return "ZD-000001"


async def test_my_lists_requests_with_status(bot: asyncio.Task[None], user: FakeUser) -> None:
    number = await submit(user)
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    assert number in listing.text
    assert "已提交" in listing.text


async def test_staff_reply_reaches_user_and_reply_joins_thread(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    number = await submit(user)
    await real_api.staff_reply(number, "请补充孩子的户籍证明", ask_more=True)
    notice = await user.expect("请补充孩子的户籍证明", kind="sendMessage")
    assert number in notice.text
    await user.say("户籍证明已准备好，明天上传", reply_to=notice)
    await user.expect("已添加到", kind="sendMessage")
    last = (await real_api.ticket(number))["messages"][-1]
    assert (last["author_role"], last["body"]) == ("enterprise", "户籍证明已准备好，明天上传")


async def test_resolution_asks_for_rating(bot: asyncio.Task[None], user: FakeUser, real_api: RealApi) -> None:
    number = await submit(user)
    await real_api.resolve(number)
    ask = await user.expect("已办结", kind="sendMessage")
    await user.click(ask, "⭐⭐⭐⭐⭐")
    await user.expect("⭐⭐⭐⭐⭐", kind="editMessageText")
    rated = await real_api.ticket(number)
    assert (rated["status"], rated["rating"]["score"]) == ("closed", 5)
