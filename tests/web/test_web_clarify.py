"""「您想问的是：」 on the chat page: the labels it is rendered with, and the choices in a real browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.auth.service import create_user
from api.faqs.models import AnswerFeedback, AskPick, FaqEntry
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.unsure import make_unsure
from tests.web.conftest import LiveServer, login_page

QUESTION = "外资研发中心有什么补贴？"
M8 = "sichuan-hitech-zones-draft#8"


def _labels(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="labels">(.*?)</script>', html, re.S)
    assert found is not None
    labels: dict[str, Any] = json.loads(found.group(1))
    return labels


def test_chat_page_carries_the_clarify_texts_in_chinese_and_english(library: PolicyLibrary, sqlite_url: str) -> None:
    client = TestClient(create_app(Settings(database_url=sqlite_url, secret_key="s"), library=library))
    labels = _labels(client.get("/").text)
    assert (labels["clarify"]["prompt"], labels["clarify"]["none"], labels["clarify"]["staff"]) == (
        "您想问的是：",
        "都不是",
        "转人工",
    )
    assert labels["clarify_en"]["prompt"] == "Did you mean:"
    script = client.get("/static/chat.js").text
    assert "/api/v1/ask/pick" in script
    assert "result.clarify" in script


@pytest.fixture
def unsure_server(library: PolicyLibrary, sqlite_url: str) -> Iterator[LiveServer]:
    app = create_app(Settings(database_url=sqlite_url, secret_key="s"), library=library)
    make_unsure(app)
    with LiveServer(app) as live:
        live.engine = app.state.engine  # type: ignore[attr-defined]
        yield live


@pytest.mark.browser
def test_unsure_answer_offers_three_measures_and_a_pick_is_answered_and_recorded(
    browser: Any, unsure_server: LiveServer
) -> None:
    page = browser.new_page()
    page.goto(unsure_server.url)
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    block = page.wait_for_selector(".answer-card .clarify")
    assert "您想问的是：" in block.inner_text()
    choices = page.locator(".clarify-choice")
    assert choices.count() == 3
    assert "《关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）》" in choices.nth(0).inner_text()
    assert page.locator(".clarify-none-button").inner_text() == "都不是"
    assert page.locator(".clarify-staff-button").inner_text() == "转人工"
    choices.nth(0).click()
    page.wait_for_selector(".answer-card .answer-title >> text=（八）大力集聚高端创新平台")
    assert page.locator(".clarify").count() == 0
    with Session(unsure_server.engine) as session:  # type: ignore[attr-defined]
        rows = session.exec(select(AskPick)).all()
    assert [(r.text, r.choice, r.measure_id) for r in rows] == [(QUESTION, "measure", "sichuan-hitech-zones-draft#8")]
    page.close()


@pytest.mark.browser
def test_none_of_these_is_recorded_and_an_english_page_asks_in_english(browser: Any, unsure_server: LiveServer) -> None:
    page = browser.new_page()
    page.goto(unsure_server.url)
    page.evaluate("document.documentElement.lang = 'en'")
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    block = page.wait_for_selector(".answer-card .clarify")
    assert "Did you mean:" in block.inner_text()
    page.click(".clarify-none-button")
    page.wait_for_selector(".clarify-none")
    with Session(unsure_server.engine) as session:  # type: ignore[attr-defined]
        rows = session.exec(select(AskPick)).all()
    assert [(r.text, r.choice, r.measure_id) for r in rows] == [(QUESTION, "none", None)]
    page.close()


@pytest.mark.browser
def test_admin_review_shows_a_pick_and_accepts_it_in_one_click(browser: Any, unsure_server: LiveServer) -> None:
    engine = unsure_server.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        create_user(session=session, role=Role.ADMIN, username="admin", password="correct horse 9")
        session.add(AskPick(text="外资研发机构能拿多少钱", choice="measure", measure_id=M8, offered=[M8]))
        session.add(AnswerFeedback(text="IPO有补贴么", measure_id="sichuan-hitech-zones-draft#23", helpful=False))
        session.commit()
    page = browser.new_page()
    login_page(page, unsure_server.url, "/admin", "admin", "correct horse 9")
    page.click("[data-admin-tab=unanswered]")
    row = page.wait_for_selector("#pick-list tr:has-text('外资研发机构能拿多少钱')")
    assert "（八）大力集聚高端创新平台" in row.inner_text()
    page.wait_for_selector("#feedback-list tr:has-text('IPO有补贴么')")
    row.query_selector("button").click()
    page.wait_for_selector("#pick-list tr:has-text('外资研发机构能拿多少钱') >> text=已采纳")
    with Session(engine) as session:
        entry = session.exec(select(FaqEntry)).one()
    assert "外资研发机构能拿多少钱" in [entry.question, *entry.variants]
    assert entry.measure_ids[0] == M8
    page.close()
