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
    await user.expect("没有识别到有效的电话号码", kind="sendMessage")
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


async def test_typed_contact_with_a_name_and_an_extension_is_taken(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/request")
    categories = await user.expect("请选择类别", kind="sendMessage")
    await user.click(categories, "子女入学")
    await user.expect("请描述您的申请", kind="sendMessage")
    await user.say("孩子明年九月入学，需要办理区内学校入学手续")
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("王经理 028-85551234 转 8021")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "联系方式：王经理 028-85551234 转 8021" in draft.text


async def test_one_field_of_a_draft_is_edited_without_re_entering_the_rest(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    draft = await draft_request(user)
    await user.click(draft, "修改")
    fields = await user.expect("请确认您的申请", kind="editMessageReplyMarkup")
    await user.click(fields, "联系方式")
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("+852 9123 4567")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "+852 9123 4567" in draft.text
    assert "孩子明年九月入学" in draft.text
    await user.click(draft, "修改")
    fields = await user.expect("请确认您的申请", kind="editMessageReplyMarkup")
    await user.click(fields, "类别")
    menu = await user.expect("请选择新的类别", kind="sendMessage")
    await user.click(menu, "居留许可")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "居留许可" in draft.text
    assert "+852 9123 4567" in draft.text
    await user.click(draft, "确认提交")
    await user.expect("编号", kind="editMessageText")
    (ticket,) = await real_api.requests_of(user.user_id)
    assert (ticket["category"], ticket["contact"]) == ("residence_permit", "+852 9123 4567")
    assert ticket["body"] == "孩子明年九月入学，需要办理区内学校入学手续"
