"""Clerks in Telegram: named alerts with due time, claim truthfully, reply / ask / resolve / transfer with
confirmation, told when the enterprise answers, a menu that fits the role — real bot, real API."""

from __future__ import annotations

import asyncio

from bot_harness import STAFF_TELEGRAM_ID, RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser, Record


async def staff_with_alerts(telegram: FakeTelegram) -> FakeUser:
    staff = FakeUser(telegram, STAFF_TELEGRAM_ID, "王老师")
    await staff.say("/alerts on")
    await staff.expect("新工单将在这里提醒", kind="sendMessage")
    return staff


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    return "ZD-000001"


async def claimed_alert(staff: FakeUser, number: str) -> Record:
    alert = await staff.expect("新工单", number, kind="sendMessage")
    await staff.click(alert, "认领")
    return await staff.expect("已由您认领", kind="editMessageText")


async def confirm(staff: FakeUser, preview_needle: str) -> None:
    preview = await staff.expect(preview_needle, kind="sendMessage")
    await staff.click(preview, "确认")


async def test_alert_names_queue_and_category_and_gives_the_due_time(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser
) -> None:
    staff = await staff_with_alerts(telegram)
    number = await submit(user)
    alert = await staff.expect("新工单", number, kind="sendMessage")
    assert "人才服务窗口" in alert.text
    assert "类别：子女入学" in alert.text
    assert "办理时限：" in alert.text
    assert "talent" not in alert.text
    assert "schooling" not in alert.text


async def test_a_second_tap_on_ones_own_claim_says_it_is_yours(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser
) -> None:
    staff = await staff_with_alerts(telegram)
    number = await submit(user)
    await claimed_alert(staff, number)
    alert = next(r for r in telegram.records if r.chat_id == STAFF_TELEGRAM_ID and "新工单" in r.text)
    update = telegram.user_click(STAFF_TELEGRAM_ID, "王老师", alert.message_id or 0, f"claim:{number}")
    await telegram.inject(update)
    answer = await staff.expect("您已认领该工单", kind="answerCallbackQuery")
    assert "同事" not in answer.text


async def test_clerk_replies_asks_for_more_hears_the_answer_and_resolves_from_telegram(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    staff = await staff_with_alerts(telegram)
    number = await submit(user)
    claimed = await claimed_alert(staff, number)
    assert {"回复", "要求补充", "办结", "转办"} <= set(claimed.button_labels())

    await staff.click(claimed, "回复")
    await staff.expect("请输入对", kind="sendMessage")
    await staff.say("您好，入学材料清单已发您，请查收。")
    await confirm(staff, "确认向企业发送")
    await staff.expect("已回复", kind="sendMessage")
    await user.expect("入学材料清单已发您", kind="sendMessage")

    await staff.click(claimed, "要求补充")
    await staff.expect("需要企业", kind="sendMessage")
    await staff.say("请补充孩子的户籍证明。")
    await confirm(staff, "补充以下内容")
    await staff.expect("已请企业", kind="sendMessage")
    ask = await user.expect("请补充孩子的户籍证明", kind="sendMessage")
    assert (await real_api.ticket(number))["status"] == "waiting_enterprise"

    await user.say("户籍证明已经准备好了，明天送到窗口。", reply_to=ask)
    heard = await staff.expect("企业回复了", number, kind="sendMessage")
    assert "户籍证明已经准备好了，明天送到窗口。" in heard.text

    await staff.click(heard, "办结")
    await staff.expect("办结说明", kind="sendMessage")
    await staff.say("已办结，请于9月1日到校报到。")
    await confirm(staff, "办结")
    await staff.expect("已办结，已请企业评价", kind="sendMessage")
    await user.expect("请于9月1日到校报到", kind="sendMessage")
    await user.expect("是否满意", kind="sendMessage")
    assert (await real_api.ticket(number))["status"] == "resolved"


async def test_cancelled_confirmation_sends_nothing(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    staff = await staff_with_alerts(telegram)
    number = await submit(user)
    claimed = await claimed_alert(staff, number)
    await staff.click(claimed, "回复")
    await staff.expect("请输入对", kind="sendMessage")
    await staff.say("发错了")
    preview = await staff.expect("确认向企业发送", kind="sendMessage")
    await staff.click(preview, "取消")
    await staff.expect("未发送任何内容", kind="answerCallbackQuery")
    assert [m["body"] for m in (await real_api.ticket(number))["messages"] if m["body"] == "发错了"] == []


async def test_clerk_transfers_from_telegram_and_the_enterprise_is_told(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    staff = await staff_with_alerts(telegram)
    number = await submit(user)
    claimed = await claimed_alert(staff, number)
    await staff.click(claimed, "转办")
    targets = await staff.expect("转办到哪个类别", kind="sendMessage")
    await staff.click(targets, "证照办理（一网通办）")
    await confirm(staff, "确认将")
    await staff.expect("已转办至 行政审批窗口", kind="sendMessage")
    admin = {"Authorization": f"Bearer {real_api.admin_token}"}
    ticket = (await real_api.staff.get(f"/api/v1/tickets/{number}", headers=admin)).json()
    assert (ticket["queue"], ticket["category"], ticket["status"]) == ("approvals", "business_license", "new")
    await user.expect("已转交", "行政审批", kind="sendMessage")


async def test_clerk_menu_fits_the_role(bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser) -> None:
    number = await submit(user)
    staff = FakeUser(telegram, STAFF_TELEGRAM_ID, "王老师")
    await staff.say("/start")
    menu = await staff.expect("工作人员", kind="sendMessage")
    assert "我的申请" not in menu.button_labels()
    assert "资格自测" not in menu.button_labels()
    await staff.click(menu, "待认领工单")
    listing = await staff.expect(number, kind="sendMessage")
    await staff.click(listing, number)
    view = await staff.expect("子女入学", kind="sendMessage")
    assert "认领" in view.button_labels()
    await staff.say("/my")
    refused = await staff.next(kind="sendMessage")
    assert "不能使用此功能" in refused.text
    assert "permission" not in refused.text.lower()
