"""办事指南 in the bot: shown before confirming and on /my; a clerk's 要求补充 offers the unticked materials."""

from __future__ import annotations

import asyncio

from bot_harness import STAFF_TELEGRAM_ID, RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser


async def test_the_draft_shows_the_categorys_materials_time_limit_and_fee(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    draft = await draft_request(user)
    assert "办事指南" in draft.text
    assert "子女入学申请表" in draft.text
    assert "与区内企业签订的劳动合同" in draft.text
    assert "承诺时限：10 个工作日" in draft.text
    assert "收费：不收费" in draft.text


async def test_my_ticket_view_shows_the_guide_with_the_materials_received(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    await real_api.claim_if_new("ZD-000001")
    await real_api.act("ZD-000001", "materials", received=["子女入学申请表"])
    await user.say("/my")
    listing = await user.expect("我的申请", kind="sendMessage")
    await user.click(listing, "ZD-000001")
    view = await user.expect("承办部门：", kind="sendMessage")
    assert "✅ 子女入学申请表" in view.text
    assert "▫️ 与区内企业签订的劳动合同" in view.text
    assert "承诺时限：10 个工作日" in view.text


async def test_a_clerks_request_for_more_offers_the_unticked_materials(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    staff = FakeUser(telegram, STAFF_TELEGRAM_ID, "王老师")
    await staff.say("/alerts on")
    await staff.expect("新工单将在这里提醒", kind="sendMessage")
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    alert = await staff.expect("新工单", "ZD-000001", kind="sendMessage")
    await staff.click(alert, "认领")
    claimed = await staff.expect("已由您认领", kind="editMessageText")
    await real_api.act("ZD-000001", "materials", received=["子女入学申请表"])
    await staff.click(claimed, "要求补充")
    prompt = await staff.expect("需要企业", "尚缺的材料", kind="sendMessage")
    assert not [label for label in prompt.button_labels() if "子女入学申请表" in label]
    await staff.click(prompt, "与区内企业签订的劳动合同")
    ticked = await staff.expect(kind="editMessageReplyMarkup")
    assert "✅ 与区内企业签订的劳动合同" in ticked.button_labels()
    await staff.say("请补充以下材料。")
    preview = await staff.expect("补充以下内容", "尚缺材料", kind="sendMessage")
    assert "与区内企业签订的劳动合同" in preview.text
    await staff.click(preview, "确认")
    await staff.expect("已请企业", kind="sendMessage")
    notice = await user.expect("请补充以下材料", kind="sendMessage")
    assert "与区内企业签订的劳动合同" in notice.text
    assert "高层次人才认定证书" not in notice.text
