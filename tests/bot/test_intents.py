"""Answers by intent: greetings get the menu, out-of-scope gets 转人工 only, 转人工 typed asks what it is about,
service answers offer 办事申请 prefilled — the real aiogram bot against the real API."""

from __future__ import annotations

import asyncio

import pytest
from bot_harness import RealApi
from fake_telegram import FakeUser


@pytest.mark.parametrize("text", ["你好", "谢谢", "👍"])
async def test_chitchat_gets_the_greeting_and_the_menu(bot: asyncio.Task[None], user: FakeUser, text: str) -> None:
    await user.say(text)
    reply = await user.next(kind="sendMessage")
    assert "我是高新区企业服务台" in reply.text
    assert "不太确定" not in reply.text
    assert {"政策咨询", "办事申请", "我的申请"} <= set(reply.button_labels())


async def test_out_of_scope_gets_its_text_and_only_a_person(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("今天天气怎么样")
    reply = await user.next(kind="sendMessage")
    assert "不在高新区政策咨询和一站式服务的范围内" in reply.text
    assert "最接近" not in reply.text
    assert reply.button_labels() == ["转人工"]


async def test_typed_handover_asks_what_it_is_about_and_files_the_description(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    await user.say("谢谢")
    await user.expect("服务台", kind="sendMessage")
    await user.say("转人工")
    prompt = await user.expect("请问是关于什么事情", kind="sendMessage")
    assert "人才住房" in " ".join(prompt.button_labels())
    await user.say("我想申请人才公寓，需要准备什么")
    suggested = await user.expect("看起来属于", kind="sendMessage")
    star = next(label for label in suggested.button_labels() if label.startswith("⭐"))
    await user.click(suggested, star)
    await user.expect("分享手机号", kind="sendMessage")
    await user.share_contact("+8613812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    await user.click(draft, "确认提交")
    await user.expect("编号", kind="editMessageText")
    (ticket,) = await real_api.requests_of(user.user_id)
    assert ticket["subject"] == "我想申请人才公寓，需要准备什么"
    assert ticket["category"] == "housing"


@pytest.mark.parametrize("text", ["人工", "找客服", "我要转人工！"])
async def test_asking_for_a_person_in_other_words_starts_the_handover(
    bot: asyncio.Task[None], user: FakeUser, text: str
) -> None:
    await user.say(text)
    prompt = await user.next(kind="sendMessage")
    assert "请问是关于什么事情" in prompt.text


async def test_handover_from_an_out_of_scope_card_keeps_the_question(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("今天天气怎么样")
    card = await user.next(kind="sendMessage")
    await user.click(card, "转人工")
    await user.expect("分享手机号", kind="sendMessage")
    await user.share_contact("+8613812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "今天天气怎么样" in draft.text


async def test_service_answer_offers_a_request_prefilled_with_category_and_question(
    bot: asyncio.Task[None], user: FakeUser
) -> None:
    await user.say("人才公寓怎么申请")
    card = await user.expect("强化创新人才支撑", kind="sendMessage")
    assert "办事申请" in card.button_labels()
    await user.click(card, "办事申请")
    prefilled = await user.expect("类别：", kind="sendMessage")
    assert "人才住房" in prefilled.text
    assert "人才公寓怎么申请" in prefilled.text
    await user.expect("分享手机号", kind="sendMessage")
    await user.say("13812345678")
    draft = await user.expect("请确认您的申请", kind="sendMessage")
    assert "人才住房" in draft.text
    assert "人才公寓怎么申请" in draft.text


async def test_policy_answer_has_no_request_button(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    assert "办事申请" not in card.button_labels()
