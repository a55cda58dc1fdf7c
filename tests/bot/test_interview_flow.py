"""The eligibility interview: one question at a time, back, skip, summary, answers reused."""

from __future__ import annotations

import asyncio

from fake_telegram import FakeUser


async def test_interview_asks_one_question_at_a_time_then_summarises(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    assert "园区级别" in question.text
    await user.click(question, "国家级")
    question = await user.expect("第 2 题", "单位类型")
    await user.click(question, "企业")
    question = await user.expect("第 3 题", "内资还是外资")
    await user.click(question, "外资")
    question = await user.expect("第 4 题", "外资研发机构")
    await user.click(question, "是")
    summary = await user.expect("自测结果")
    assert "✅" in summary.text
    assert "研发投入一次性奖补" in summary.text
    assert "科技厅" in summary.text


async def test_back_reasks_previous_question(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "国家级")
    question = await user.expect("第 2 题")
    await user.click(question, "上一题")
    again = await user.expect("第 1 题")
    assert "园区级别" in again.text


async def test_ineligible_answer_gives_reason_and_unknown_names_missing_fact(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "跳过")
    question = await user.expect("单位类型")
    await user.click(question, "结束")
    summary = await user.expect("自测结果")
    assert "❔" in summary.text
    assert "尚不确定" in summary.text
    assert "园区级别" in summary.text
    await user.click(summary, "重新自测")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "都不是")
    summary = await user.expect("自测结果")
    assert "❌" in summary.text
    assert "不符合" in summary.text


async def test_saved_answers_are_reused_by_next_interview(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    await user.click(question, "国家级")
    question = await user.expect("第 2 题")
    await user.click(question, "结束")
    await user.expect("自测结果")
    await user.say("/check")
    question = await user.expect("第 1 题", kind="sendMessage")
    assert "单位类型" in question.text  # zone level was remembered


async def test_card_check_button_starts_interview_about_that_measure(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("支持外资研发中心建设", kind="sendMessage")
    await user.click(card, "看看我是否符合")
    await user.expect("第 1 题", kind="sendMessage")
