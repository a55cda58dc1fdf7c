"""End to end: the real aiogram Bot ↔ the fake Telegram server, and the REAL zonedesk API on loopback.

start → ask → card → interview → request → a staff reply through the API → the notification
arrives → reply in chat → resolution → rating; plus a redelivered update making no twin, staff
alerts with 认领, and the API being down.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from pathlib import Path

from bot_harness import (
    COLLEAGUE_TELEGRAM_ID,
    STAFF_TELEGRAM_ID,
    RealApi,
    closed_port_url,
    draft_request,
    make_settings,
    running_bot,
)
from fake_telegram import BOT_TOKEN, FakeTelegram, FakeUser
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from bot.settings import BotSettings
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN
from zonedesk.cli.serve import embedded_bot_settings, serve_with_bot


async def submit_schooling_request(user: FakeUser) -> str:
    """Category → details → shared contact → confirm; returns the ticket number."""
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    done = await user.expect("编号", kind="editMessageText")
    found = re.search(r"ZD-\d+", done.text)
    assert found is not None, done.text
    return found.group(0)


async def test_whole_conversation_against_the_real_api(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    user = FakeUser(telegram, 1001, "张三")
    async with running_bot(settings):
        await user.say("/start")
        menu = await user.expect("您好", kind="sendMessage")
        assert "政策咨询" in menu.button_labels()

        await user.say("外资研发中心有什么补贴？")
        card = await user.next(kind="sendMessage")
        response = await real_api.staff.post("/api/v1/ask", json={"text": "外资研发中心有什么补贴？"})
        top = response.json()["matches"][0]
        assert top["title"] in card.text
        assert "看看我是否符合" in card.button_labels()

        await user.click(card, "看看我是否符合")
        question = await user.expect("第 1 题", kind="sendMessage")
        await user.click(question, question.button_labels()[0])
        question = await user.expect("第 2 题")
        await user.click(question, "结束")
        summary = await user.expect("自测结果")
        assert "牵头单位" in summary.text

        number = await submit_schooling_request(user)
        assert number.startswith("ZD-")
        mine = await real_api.staff.get(f"/api/v1/tickets/{number}")
        assert mine.json()["contact"] == "13812345678"

        await real_api.staff.post(f"/api/v1/tickets/{number}/claim")
        await user.expect(number, "办理中", kind="sendMessage")
        await real_api.act(number, "wait", body="请补充孩子的户籍证明")
        notice = await user.expect("请补充孩子的户籍证明", kind="sendMessage")
        await user.say("户籍证明已上传到邮箱", reply_to=notice)
        await user.expect("已添加到", kind="sendMessage")
        thread = (await real_api.ticket(number))["messages"]
        assert thread[-1]["body"] == "户籍证明已上传到邮箱"

        await real_api.act(number, "reply", body="材料齐全，正在办理")
        await user.expect("材料齐全，正在办理", kind="sendMessage")
        await real_api.act(number, "resolve", body="已办结，请按通知时间到校报到")
        await user.expect("已办结，请按通知时间到校报到", kind="sendMessage")
        ask_rating = await user.expect("是否满意", kind="sendMessage")
        await user.click(ask_rating, "⭐⭐⭐⭐⭐")
        await user.expect("⭐⭐⭐⭐⭐", kind="sendMessage")
        rated = await real_api.ticket(number)
        assert (rated["status"], rated["rating"]["score"]) == ("closed", 5)

        await user.say("/my")
        listing = await user.expect("我的申请", kind="sendMessage")
        assert number in listing.text


async def test_redelivered_update_makes_no_twin_ticket(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    user = FakeUser(telegram, 1002, "李雷")
    async with running_bot(settings):
        await user.say("/request")
        categories = await user.expect("请选择类别", kind="sendMessage")
        await user.click(categories, "其他")
        await user.expect("请描述您的申请", kind="sendMessage")
        await user.say("咨询厂房租赁补贴的申请材料")
        await user.expect("分享手机号", kind="sendMessage")
        await user.say("028-85551234")
        draft = await user.expect("请确认您的申请", kind="sendMessage")
        update = await user.click(draft, "确认提交")
        await telegram.inject(update)  # delivered twice before the bot answered
        await user.expect("编号", kind="editMessageText")
        await user.click(draft, "确认提交")  # and tapped again later
        await user.expect("已失效", kind="answerCallbackQuery")
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(user.user_id)}
    listing = await real_api.staff.get("/api/v1/requests", headers=headers)
    assert listing.json()["total"] == 1


async def test_staff_alerts_are_opt_in_and_second_claim_loses(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = FakeUser(telegram, STAFF_TELEGRAM_ID, "王老师")
    colleague = FakeUser(telegram, COLLEAGUE_TELEGRAM_ID, "赵老师")
    user = FakeUser(telegram, 1003, "韩梅梅")
    async with running_bot(settings):
        await user.say("/alerts on")
        await user.expect("未关联工作人员账号", kind="sendMessage")
        for member in (staff, colleague):
            await member.say("/alerts on")
            await member.expect("新工单将在这里提醒", kind="sendMessage")
        number = await submit_schooling_request(user)
        alert = await staff.expect("新工单", number, kind="sendMessage")
        other = await colleague.expect("新工单", number, kind="sendMessage")
        assert "人才服务窗口" in alert.text  # the queue the ticket was routed to, by name
        assert "talent" not in alert.text
        await staff.click(alert, "认领")
        await staff.expect("已由您认领", kind="editMessageText")
        await colleague.click(other, "认领")
        await colleague.expect("已由 staff-e2e-1 认领", kind="answerCallbackQuery")
    ticket = await real_api.ticket(number)
    assert (ticket["status"], ticket["assignee"]) == ("claimed", "staff-e2e-1")


async def test_staff_link_their_telegram_with_the_console_code(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = FakeUser(telegram, 1007, "孙老师")
    code = (await real_api.staff.post("/api/v1/auth/telegram-code")).json()["code"]
    async with running_bot(settings):
        await staff.say("/link")
        await staff.expect("绑定 Telegram", kind="sendMessage")
        await staff.say("/link WRONG000")
        await staff.expect("绑定码无效", kind="sendMessage")
        await staff.say(f"/link {code}")
        await staff.expect("绑定成功", kind="sendMessage")
        await staff.say("/alerts on")
        await staff.expect("新工单将在这里提醒", kind="sendMessage")
        await staff.say(f"/link {code}")  # single use
        await staff.expect("绑定码无效", kind="sendMessage")


async def test_api_down_gets_polite_try_later(telegram: FakeTelegram, tmp_path: Path) -> None:
    settings = make_settings(telegram, closed_port_url(), tmp_path)  # the API down: nothing listens there
    user = FakeUser(telegram, 1004)
    async with running_bot(settings):
        await user.say("外资研发中心有什么补贴？")
        await user.expect("稍后再试", kind="sendMessage")
        await user.say("/my")
        await user.expect("稍后再试", kind="sendMessage")


async def test_feedback_buttons_thank_the_user(settings: BotSettings, telegram: FakeTelegram) -> None:
    user = FakeUser(telegram, 1005)
    async with running_bot(settings):
        await user.say("外资研发中心有什么补贴？")
        card = await user.next(kind="sendMessage")
        await user.click(card, "👎")
        await user.expect("感谢您的反馈", kind="answerCallbackQuery")
        trimmed = await user.next(kind="editMessageReplyMarkup")
        assert "👍" not in trimmed.button_labels()


async def test_binding_through_the_real_api(settings: BotSettings, telegram: FakeTelegram, real_api: RealApi) -> None:
    name, uscc, code = real_api.enterprise
    user = FakeUser(telegram, 1006)
    async with running_bot(settings):
        await user.say("/bind")
        await user.expect("统一社会信用代码", kind="sendMessage")
        await user.say(uscc)
        await user.expect("绑定码", kind="sendMessage")
        await user.say("WRONG000")
        await user.expect("绑定未成功", kind="sendMessage")
        await user.say(uscc)
        await user.expect("绑定码", kind="sendMessage")
        await user.say(code)
        await user.expect(f"已绑定企业：{name}", kind="sendMessage")
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(user.user_id)}
    me = await real_api.staff.get("/api/v1/auth/me", headers=headers)
    assert me.json()["enterprise"]["name"] == name


async def test_zonedesk_serve_runs_api_and_bot_in_one_process(
    library: PolicyLibrary, telegram: FakeTelegram, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_settings, bot_settings = embedded_bot_settings(
        Settings(database_url=f"sqlite:///{tmp_path / 'serve.db'}"),
        BotSettings(
            _env_file=None,
            bot_token=SecretStr(BOT_TOKEN),
            bot_api_server=telegram.url,
            bot_state_file=tmp_path / "bot-state.json",
        ),
        host="127.0.0.1",
        port=port,
    )
    assert bot_settings.api_url == f"http://127.0.0.1:{port}"
    app = create_app(api_settings, library=library)
    task = asyncio.create_task(serve_with_bot(app, bot_settings, host="127.0.0.1", port=port))
    user = FakeUser(telegram, 1007)
    try:
        await user.say("外资研发中心有什么补贴？")
        card = await user.next(kind="sendMessage", timeout=20)
        assert "牵头单位" in card.text or "不太确定" in card.text
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.engine.dispose()


async def test_request_long_reply_resolution_and_rating_keep_every_word(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    user = FakeUser(telegram, 1004, "李雷")
    long_reply = "".join(
        f"第{i}步：请在政务服务网上传营业执照和法定代表人身份证，并填写申请表。" for i in range(1, 141)
    )
    resolution = "已办结：请携带身份证到人才服务窗口领取钥匙。" * 3
    async with running_bot(settings):
        number = await submit_schooling_request(user)
        await real_api.staff_reply(number, long_reply)
        parts = [await user.expect("工作人员回复了您的申请", kind="sendMessage")]
        while "请直接回复本消息" not in parts[-1].text:
            parts.append(await user.next(kind="sendMessage"))
        assert long_reply in "".join(part.text for part in parts).replace("\n", "")
        await real_api.act(number, "resolve", body=resolution)
        done = await user.expect("已办结", kind="sendMessage")
        assert resolution in done.text
        prompt = await user.expect("是否满意", kind="sendMessage")
        await user.click(prompt, "⭐⭐⭐")
        await user.expect("⭐⭐⭐", kind="sendMessage")
        assert resolution in telegram._messages[(user.user_id, done.message_id)]["text"]
        edited = {r.message_id for r in telegram.records if r.chat_id == user.user_id and r.kind == "editMessageText"}
        assert not edited & {done.message_id, prompt.message_id, *(part.message_id for part in parts)}
