"""The eligibility interview: one question at a time, back, skip, summary, answers reused."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot_harness import RealApi, make_settings, running_bot
from fake_telegram import FakeTelegram, FakeUser

from tests.factories import HTE_PUSH_CLAUSE, SERVICE_TOKEN

ANSWERS = {  # the real facts' questions → the answers of a certified foreign R&D centre
    "哪一级高新区": "国家级高新区",
    "属于哪一类": "企业",
    "内资企业还是外资企业": "外资企业",
    "外资研发机构": "是",
}


async def test_interview_asks_one_question_at_a_time_then_summarises(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    await user.click(card, "看看我是否符合")
    question = await user.expect("第 1 题", kind="sendMessage")
    asked = []
    for step in range(1, len(ANSWERS) + 1):
        assert f"第 {step} 题" in question.text
        answer = next(label for key, label in ANSWERS.items() if key in question.text)
        asked.append(answer)
        await user.click(question, answer)
        question = await user.next(kind="editMessageText")  # the next question, or the summary
        if "自测结果" in question.text:
            break
    summary = question
    assert "自测结果" in summary.text
    assert sorted(asked) == sorted(ANSWERS.values())  # one question at a time, each asked once, the API picks the order
    assert "✅" in summary.text
    assert "研发投入一次性奖补" in summary.text
    assert "科技厅" in summary.text


async def test_back_reasks_previous_question(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "国家级高新区")
    question = await user.expect("第 2 题")
    await user.click(question, "上一题")
    again = await user.expect("第 1 题")
    assert "哪一级高新区" in again.text


async def test_ineligible_answer_gives_reason_and_unknown_names_missing_fact(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "跳过")
    question = await user.expect("第 1 题：贵单位属于哪一类")  # zone level skipped
    await user.click(question, "结束")
    summary = await user.expect("自测结果")
    assert "❔" in summary.text
    assert "尚不确定" in summary.text
    assert "园区级别" in summary.text
    await user.click(summary, "重新自测")
    confirm = await user.expect("清空")  # erasing the saved answers is confirmed first
    await user.click(confirm, "确定清空并重新自测")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "不在高新区内")
    summary = await user.expect("自测结果")
    assert summary.text.count("❌") == 1  # every clause ruled out by that one answer: one line
    assert "项政策因同一个答案不符合" in summary.text


async def test_why_shows_the_facts_help_and_stop_can_be_resumed(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "为什么问这个？")
    why = await user.expect("国家级和省级高新技术产业开发区", kind="answerCallbackQuery")
    assert why.params.get("show_alert") in (True, "true")
    await user.click(question, "国家级高新区")
    question = await user.expect("第 2 题")
    await user.click(question, "结束")
    summary = await user.expect("自测结果")
    await user.click(summary, "继续自测")
    resumed = await user.expect("第 2 题")
    assert "贵单位属于哪一类" in resumed.text


async def test_saved_answers_are_reused_by_next_interview(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "国家级高新区")
    question = await user.expect("第 2 题")
    await user.click(question, "结束")
    await user.expect("自测结果")
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    assert "贵单位属于哪一类" in question.text  # zone level was remembered


async def test_card_check_button_starts_interview_about_that_measure(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    await user.click(card, "看看我是否符合")
    await user.expect("第 1 题", kind="sendMessage")


async def test_a_pushed_policy_is_delivered_once_and_listed_in_my_policies(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    as_user = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(user.user_id)}
    profile = {"zone_level": "national", "org_type": "enterprise", "high_tech_enterprise": True}
    saved = await real_api.staff.put("/api/v1/profile", json={"profile": profile}, headers=as_user)
    assert saved.status_code == 200, saved.text
    admin = {"Authorization": f"Bearer {real_api.admin_token}"}
    published = await real_api.staff.post("/api/v1/admin/clauses", json={"text": HTE_PUSH_CLAUSE}, headers=admin)
    assert published.status_code == 201, published.text
    for _ in range(200):  # the push runs on the API's worker thread, off the publish request
        if (await real_api.staff.get("/api/v1/notifications", headers=as_user)).json()["total"]:
            break
        await asyncio.sleep(0.05)
    await user.say("/policies")
    notice = await user.expect("有新政策适合贵单位", kind="sendMessage")
    assert "高新技术企业重点支持（推送）" in notice.text
    listed = await user.expect("我的政策", kind="sendMessage")
    assert "项目、资金重点支持" in listed.text
    await user.say("/policies")
    again = await user.expect("我的政策", kind="sendMessage")
    assert "有新政策" not in again.text  # delivered once
    await user.click(notice, "一键自测")
    result = await user.expect("自测结果", kind="sendMessage")  # the saved profile already settles measure 11
    assert result.text.count("✅") == 2


async def test_a_measure_without_clauses_offers_no_focused_check(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("高新区可以整合托管周边乡镇吗")  # measure 19: no eligibility clauses
    card = await user.expect("托管", kind="sendMessage")
    assert "查看原文" in " ".join(card.button_labels())
    assert not [label for label in card.button_labels() if "看看我是否符合" in label]


async def test_a_policy_match_is_pushed_when_it_arrives_and_only_once(
    telegram: FakeTelegram, user: FakeUser, real_api: RealApi, tmp_path: Path
) -> None:
    settings = make_settings(telegram, real_api.url, tmp_path, bot_notices_seconds=0.2)
    async with running_bot(settings):
        as_user = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(user.user_id)}
        profile = {"zone_level": "national", "org_type": "enterprise", "high_tech_enterprise": True}
        saved = await real_api.staff.put("/api/v1/profile", json={"profile": profile}, headers=as_user)
        assert saved.status_code == 200, saved.text
        await user.say("/policies")
        await user.expect("我的政策", kind="sendMessage")
        admin = {"Authorization": f"Bearer {real_api.admin_token}"}
        published = await real_api.staff.post("/api/v1/admin/clauses", json={"text": HTE_PUSH_CLAUSE}, headers=admin)
        assert published.status_code == 201, published.text
        notice = await user.expect("有新政策适合贵单位", "高新技术企业重点支持（推送）", kind="sendMessage", timeout=20)
        assert "一键自测" in notice.button_labels()
        await asyncio.sleep(1)  # several push rounds
        await user.say("/policies")
        listed = await user.expect("我的政策", kind="sendMessage")
        assert "项目、资金重点支持" in listed.text
        pushed = [r for r in telegram.records if r.chat_id == user.user_id and "有新政策适合贵单位" in r.text]
        assert len(pushed) == 1
