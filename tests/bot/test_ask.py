"""Free text → answer card; its buttons; 👍/👎; the API being down or failing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_harness import RealApi, make_settings, running_bot, serve_app, switch_to_english
from fake_telegram import FakeTelegram, FakeUser
from fastapi import FastAPI
from sqlmodel import Session, col, select

from api.deps import get_matcher
from api.faqs.models import AskPick
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN
from tests.unsure import make_unsure

M8 = "sichuan-hitech-zones-draft#8"


async def test_free_text_gets_card_naming_measure_title_and_lead_unit(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    assert "牵头单位：科技厅" in card.text
    assert {"查看原文", "看看我是否符合", "转人工"} <= set(card.button_labels())


DRAFT_TITLE = "关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）"


async def test_card_names_label_document_level_and_draft_status(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有啥奖补")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    lines = card.text.split("\n")
    assert lines[0] == "<b>（八）大力集聚高端创新平台</b>"
    assert lines[1] == f"出处：《{DRAFT_TITLE}》· 省级 · 征求意见稿"
    assert lines[2] == "⚠️ 本措施出自征求意见稿，最终以正式印发的文件为准。"
    assert "第8条" not in card.text


async def test_english_card_translates_level_status_and_draft_notice(bot: asyncio.Task[None], user: FakeUser) -> None:
    await switch_to_english(user)
    await user.say("外资研发中心有啥奖补")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    assert card.text.startswith("<b>（八）大力集聚高端创新平台</b>")
    assert f"Source: 《{DRAFT_TITLE}》 · Provincial · Draft for comment" in card.text
    assert "⚠️ This measure comes from a draft for comment" in card.text


async def test_out_of_scope_says_so_and_offers_a_person(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("今天天气怎么样")
    card = await user.expect("不在高新区政策咨询", kind="sendMessage")
    assert card.button_labels() == ["转人工"]


async def test_view_original_text_shows_measure_body(bot: asyncio.Task[None], user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    await user.click(card, "查看原文")
    source = await user.expect("一次性奖补", kind="sendMessage")
    assert "（八）" in source.text


@pytest.fixture
def bot_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="bot")
    return caplog


async def test_thumbs_up_is_recorded_with_the_question(
    bot: asyncio.Task[None], user: FakeUser, real_api: RealApi
) -> None:
    await user.say("外资研发中心有什么补贴？")
    card = await user.expect("大力集聚高端创新平台", kind="sendMessage")
    await user.click(card, "👍")
    await user.expect("感谢您的反馈", kind="answerCallbackQuery")
    stored = await real_api.feedback()
    assert [(f["text"], f["measure_id"], f["helpful"]) for f in stored] == [("外资研发中心有什么补贴？", M8, True)]


async def test_api_server_error_gets_polite_try_later(
    library: PolicyLibrary, telegram: FakeTelegram, user: FakeUser, tmp_path: Path
) -> None:
    # A 5xx from the real app: its matcher dependency is overridden to raise, so /ask answers 500.
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", bot_service_token=SERVICE_TOKEN), library=library
    )

    def broken_matcher() -> None:
        raise RuntimeError("matcher unavailable")

    app.dependency_overrides[get_matcher] = broken_matcher
    try:
        async with serve_app(app) as url, running_bot(make_settings(telegram, url, tmp_path)):
            await user.say("外资研发中心有什么补贴？")
            await user.expect("稍后再试", kind="sendMessage")
    finally:
        app.state.engine.dispose()


@pytest.fixture
async def unsure_bot(library: PolicyLibrary, telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A running bot over the real app whose matcher is never confident: every policy question asks back."""
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", bot_service_token=SERVICE_TOKEN), library=library
    )
    make_unsure(app)
    try:
        async with serve_app(app) as url, running_bot(make_settings(telegram, url, tmp_path)):
            yield app
    finally:
        app.state.engine.dispose()


def _picks(app: FastAPI) -> list[tuple[str, str, str | None]]:
    with Session(app.state.engine) as session:
        return [(p.text, p.choice, p.measure_id) for p in session.exec(select(AskPick).order_by(col(AskPick.id)))]


async def test_unsure_question_offers_three_measures_and_a_pick_is_answered_and_recorded(
    unsure_bot: FastAPI, user: FakeUser
) -> None:
    await user.say("外资研发中心有什么补贴？")
    offer = await user.expect("您想问的是：", kind="sendMessage")
    labels = offer.button_labels()
    assert len(labels) == 5
    assert labels[0].startswith("1. （八）大力集聚高端创新平台 · 《")
    assert labels[3:] == ["都不是", "转人工"]
    assert f"《{DRAFT_TITLE}》" in offer.text
    await user.click(offer, "1. （八）大力集聚高端创新平台")
    card = await user.expect("<b>（八）大力集聚高端创新平台</b>", kind="sendMessage")
    assert "牵头单位：科技厅" in card.text
    assert _picks(unsure_bot) == [("外资研发中心有什么补贴？", "measure", M8)]


async def test_none_of_these_is_recorded_and_offers_a_person(unsure_bot: FastAPI, user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    offer = await user.expect("您想问的是：", kind="sendMessage")
    await user.click(offer, "都不是")
    reply = await user.expect("已记录", kind="sendMessage")
    assert reply.button_labels() == ["转人工"]
    assert _picks(unsure_bot) == [("外资研发中心有什么补贴？", "none", None)]


async def test_english_user_is_asked_did_you_mean(unsure_bot: FastAPI, user: FakeUser) -> None:
    await switch_to_english(user)
    await user.say("外资研发中心有什么补贴？")
    offer = await user.expect("Did you mean:", kind="sendMessage")
    assert offer.button_labels()[3:] == ["None of these", "Hand over to staff"]


async def test_staff_choice_is_recorded_and_hands_the_question_over(unsure_bot: FastAPI, user: FakeUser) -> None:
    await user.say("外资研发中心有什么补贴？")
    offer = await user.expect("您想问的是：", kind="sendMessage")
    await user.click(offer, "转人工")
    await user.expect("转给工作人员", kind="sendMessage")
    assert _picks(unsure_bot) == [("外资研发中心有什么补贴？", "staff", None)]
