"""/my, staff replies from the event stream, answering in chat, rating, staff alerts."""

from __future__ import annotations

import asyncio

from bot_harness import COLLEAGUE_TELEGRAM_ID, STAFF_TELEGRAM_ID, RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser


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


async def test_internal_note_reaches_staff_chats_but_never_the_enterprise_chat(
    bot: asyncio.Task[None], user: FakeUser, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = [FakeUser(telegram, STAFF_TELEGRAM_ID), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID)]
    for member in staff:
        await member.say("/alerts on")
        await member.expect("新工单将在这里提醒", kind="sendMessage")
    number = await submit(user)
    await real_api.claim_if_new(number)
    await real_api.act(number, "note", body="内部核验：户籍材料待补")
    for member in staff:
        note = await member.expect("内部备注", "内部核验：户籍材料待补", kind="sendMessage")
        assert number in note.text
        assert "talent" in note.text
    await real_api.act(number, "reply", body="请补充户籍证明")  # after the note in the one stream
    await user.expect("请补充户籍证明", kind="sendMessage")
    assert not [r.text for r in telegram.records if r.chat_id == user.user_id and "内部核验" in r.text]
