"""/my, staff replies from the event stream, answering in chat, rating, staff alerts."""

from __future__ import annotations

import asyncio

from fake_telegram import FakeTelegram, FakeUser
from stub_api import StubApi
from test_request import draft_request


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-", kind="editMessageText")
    return "ZD-000001"


async def test_my_lists_requests_with_status(bot: asyncio.Task[None], user: FakeUser) -> None:
    number = await submit(user)
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    assert number in listing.text
    assert "已提交" in listing.text


async def test_staff_reply_reaches_user_and_reply_joins_thread(
    bot: asyncio.Task[None], user: FakeUser, stub: StubApi
) -> None:
    number = await submit(user)
    stub.staff_reply(number, "请补充孩子的户籍证明", ask_more=True)
    notice = await user.expect("请补充孩子的户籍证明", kind="sendMessage")
    assert number in notice.text
    await user.say("户籍证明已准备好，明天上传", reply_to=notice)
    await user.expect("已添加到", kind="sendMessage")
    assert stub.tickets[number]["messages"][-1] == {"author_role": "enterprise", "body": "户籍证明已准备好，明天上传"}


async def test_resolution_asks_for_rating(bot: asyncio.Task[None], user: FakeUser, stub: StubApi) -> None:
    number = await submit(user)
    stub.resolve(number)
    ask = await user.expect("已办结", kind="sendMessage")
    await user.click(ask, "⭐⭐⭐⭐⭐")
    await user.expect("⭐⭐⭐⭐⭐", kind="editMessageText")
    assert stub.ratings == {number: 5}


async def test_staff_alert_has_claim_button_and_second_claim_loses(
    bot: asyncio.Task[None], user: FakeUser, stub: StubApi, telegram: FakeTelegram
) -> None:
    staff = FakeUser(telegram, 2001, "李四")
    colleague = FakeUser(telegram, 2002, "王五")
    stub.staff_alerts = [staff.user_id, colleague.user_id]
    number = await submit(user)
    alert = await staff.expect("新工单", number, kind="sendMessage")
    other = await colleague.expect("新工单", number, kind="sendMessage")
    await staff.click(alert, "认领")
    await staff.expect("已由您认领", kind="editMessageText")
    await colleague.click(other, "认领")
    await colleague.expect("已被其他同事认领", kind="answerCallbackQuery")
    assert stub.claims == {number: staff.user_id}
