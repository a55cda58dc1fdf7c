"""预警, 超时 and 督办 reach staff in the bot with the queue's name, the ticket's number and its due time."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot_harness import COLLEAGUE_TELEGRAM_ID, STAFF_TELEGRAM_ID, RealApi, draft_request
from fake_telegram import FakeTelegram, FakeUser
from sqlmodel import Session, select

from api.auth.models import User
from api.supervision.runner import SlaJob
from bot.render import zone_time
from tests.factories import make_token


async def claimed_ticket(telegram: FakeTelegram, user: FakeUser, real_api: RealApi) -> tuple[FakeUser, FakeUser, str]:
    """The assignee (claimed in the console) and a colleague made the queue's supervisor, both with alerts on."""
    admin = {"Authorization": f"Bearer {real_api.admin_token}"}
    made = await real_api.staff.put(
        "/api/v1/admin/queues/talent/members/staff-e2e-2", json={"supervisor": True}, headers=admin
    )
    assert made.status_code == 204, made.text
    assignee, supervisor = FakeUser(telegram, STAFF_TELEGRAM_ID, "王"), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID, "赵")
    for member in (assignee, supervisor):
        await member.say("/alerts on")
        await member.expect("新工单将在这里提醒", kind="sendMessage")
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
    await real_api.claim_if_new("ZD-000001")
    return assignee, supervisor, "ZD-000001"


LONG_NOTE = "请今天内联系企业，" + "核实入学材料是否齐全并说明办理进度，" * 6 + "明天上午汇报。"


async def sla_tick(real_api: RealApi, at: dt.datetime) -> None:
    """One run of the SLA job at `at` (in a thread: the API serves from this event loop)."""
    job = SlaJob(real_api.app.state.engine, real_api.app.state.event_bus, interval=60, owner="bot-test")
    await asyncio.to_thread(job.tick, lambda: at)


async def test_a_warning_reaches_the_assignee_and_a_breach_the_supervisor_too(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    assignee, supervisor, number = await claimed_ticket(telegram, user, real_api)
    due = dt.datetime.fromisoformat((await real_api.ticket(number))["sla_due_at"])
    due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)
    await sla_tick(real_api, due - dt.timedelta(minutes=30))
    warning = await assignee.expect("预警", number, kind="sendMessage")
    assert "人才服务窗口" in warning.text
    assert zone_time(due) in warning.text
    assert "talent" not in warning.text
    await sla_tick(real_api, due + dt.timedelta(minutes=1))
    for member in (assignee, supervisor):
        breach = await member.expect("超时", number, kind="sendMessage")
        assert "人才服务窗口" in breach.text
        assert zone_time(due) in breach.text
    assert not [r for r in telegram.records if r.chat_id == COLLEAGUE_TELEGRAM_ID and "预警" in r.text]
    assert not [r for r in telegram.records if r.chat_id == user.user_id and ("超时" in r.text or "预警" in r.text)]


async def test_a_supervision_reaches_the_assignee_who_acknowledges_it_in_the_bot(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    assignee, supervisor, number = await claimed_ticket(telegram, user, real_api)
    headers = {"Authorization": f"Bearer {await _token_of_supervisor(real_api)}"}
    sent = await real_api.staff.post(
        f"/api/v1/tickets/{number}/supervisions", json={"body": LONG_NOTE}, headers=headers
    )
    assert sent.status_code == 201, sent.text
    notice = await assignee.expect("督办", number, LONG_NOTE, kind="sendMessage")
    assert "人才服务窗口" in notice.text
    assert "办理时限" in notice.text
    await assignee.click(notice, "确认收到")
    await assignee.expect("已确认", kind="answerCallbackQuery")
    acknowledged = await supervisor.expect("已确认收到您", number, kind="sendMessage")
    assert "人才服务窗口" in acknowledged.text
    listed = (await real_api.staff.get(f"/api/v1/tickets/{number}/supervisions", headers=headers)).json()
    assert listed["items"][0]["acknowledged"] is True


async def _token_of_supervisor(real_api: RealApi) -> str:
    with Session(real_api.app.state.engine) as session:
        colleague = session.exec(select(User).where(User.username == "staff-e2e-2")).one()
        token = make_token(session, colleague)
        session.commit()
    return token


async def test_an_auto_closed_request_is_explained_to_the_enterprise(
    bot: asyncio.Task[None], telegram: FakeTelegram, user: FakeUser, real_api: RealApi
) -> None:
    _assignee, _supervisor, number = await claimed_ticket(telegram, user, real_api)
    await real_api.resolve(number)
    await user.expect("已办结", number, kind="sendMessage")
    await sla_tick(real_api, dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
    closed = await user.expect("自动关闭", number, kind="sendMessage")
    assert "5个工作日" in closed.text
