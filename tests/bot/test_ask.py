"""Free text → answer card; its buttons; 👍/👎; the API being down."""

from __future__ import annotations

import asyncio

from fake_telegram import FakeUser
from stub_api import StubApi


async def test_free_text_gets_card_naming_measure_title_and_lead_unit(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("支持外资研发中心建设", kind="sendMessage")
    assert "牵头单位：科技厅" in card.text
    assert {"查看原文", "看看我是否符合", "转人工"} <= set(card.button_labels())


async def test_low_confidence_says_so_and_offers_a_person(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("今天天气怎么样")
    card = await user.expect("不太确定", kind="sendMessage")
    assert "转人工" in card.button_labels()


async def test_view_original_text_shows_measure_body(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("支持外资研发中心建设", kind="sendMessage")
    await user.click(card, "查看原文")
    source = await user.expect("一次性奖补", kind="sendMessage")
    assert "（八）" in source.text


async def test_thumbs_up_is_recorded_with_the_question(bot: asyncio.Task[None], user: FakeUser, stub: StubApi) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("支持外资研发中心建设", kind="sendMessage")
    await user.click(card, "👍")
    await user.expect("感谢您的反馈", kind="answerCallbackQuery")
    assert stub.feedback == [
        {"text": "外资研发中心有什么补贴？", "measure_id": "sichuan-hitech-zones-draft#8", "helpful": True}
    ]


async def test_api_down_gets_polite_try_later(bot: asyncio.Task[None], user: FakeUser, stub: StubApi) -> None:
    stub.down = True
    await user.say("外资研发中心有什么补贴？")
    await user.expect("稍后再试", kind="sendMessage")
