"""The service request flow: category → details → contact → confirm → ticket number; no twins."""

from __future__ import annotations

import asyncio

from bot_harness import RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser


async def test_request_flow_ends_with_ticket_number(bot: asyncio.Task[None], user: FakeUser, real_api: RealApi) -> None:
    draft = await draft_request(user)
    assert "子女入学" in draft.text
    assert "13812345678" in draft.text
    await user.click(draft, "确认提交")
    done = await user.expect("ZD-000001", kind="editMessageText")
    assert "已提交" in done.text
    ticket = await real_api.ticket("ZD-000001")
    assert (ticket["category"], ticket["contact"]) == ("schooling", "13812345678")
    assert [t["number"] for t in await real_api.requests_of(user.user_id)] == ["ZD-000001"]  # filed for this user


async def test_typed_phone_is_validated(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/request")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "其他")
    await user.expect("请描述您的申请", kind="sendMessage")
    await user.say("咨询厂房租赁补贴的申请材料")
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("12345")
    await user.expect("电话号码格式不正确", kind="sendMessage")
    await user.say("028-85551234")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "028-85551234" in draft.text


async def test_free_text_at_category_step_suggests_category(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/request")
    await user.expect("请选择类别", kind="sendMessage")
    await user.say("新引进的博士想申请人才公寓")
    suggestion = await user.expect("看起来属于：人才住房保障", kind="sendMessage")
    await user.click(suggestion, "人才住房保障")
    await user.expect("分享手机号", kind="sendMessage")  # the description is kept: straight to contact


async def test_redelivered_submit_update_makes_no_twin(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi, telegram: FakeTelegram
) -> None:
    draft = await draft_request(user)
    update = await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    await telegram.inject(update)  # Telegram delivers the same update again
    await user.click(draft, "确认提交")  # and the user taps the old button once more
    await user.expect("已失效", kind="answerCallbackQuery")
    assert [t["number"] for t in await real_api.requests_of(user.user_id)] == ["ZD-000001"]


async def test_escalated_question_becomes_request_with_the_question(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    await user.click(card, "转人工")
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("13900001111")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    filed = await real_api.request_of(user.user_id, "ZD-000001")
    assert filed["body"] == "外资研发中心有什么补贴？"


async def test_text_typed_into_a_request_draft_never_reaches_the_unanswered_log(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    admin = {"Authorization": f"Bearer {real_api.admin_token}"}
    await user.say("今天天气怎么样")  # a question: logged for review, as the control
    await user.expect("不在高新区", kind="sendMessage")
    await user.say("/request")
    await user.expect("请选择类别", kind="sendMessage")
    await user.say("身份证号 510104199001011234，今天天气不好想改期办理")
    await user.expect("请选择最符合的类别", kind="sendMessage")
    await user.say("/cancel")
    await user.expect("已取消", kind="sendMessage")
    rows = (await real_api.staff.get("/api/v1/admin/unanswered", headers=admin)).json()["items"]
    assert [row["text"] for row in rows] == ["今天天气怎么样"]
    picks = (await real_api.staff.get("/api/v1/admin/picks", headers=admin)).json()["items"]
    assert not [p for p in picks if "510104199001011234" in p["text"]]
