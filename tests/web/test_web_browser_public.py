"""Pages without an account in a real browser: the chat page's answers and the staff login form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def server(library: PolicyLibrary, sqlite_url: str) -> Iterator[LiveServer]:
    with LiveServer(create_app(Settings(database_url=sqlite_url, secret_key="s"), library=library)) as live:
        yield live


def test_staff_login_form_username_then_password_and_enter_submits(browser: Any, server: LiveServer) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/staff")
    fields = page.locator("#login-form input:not([type=hidden])")
    assert fields.nth(0).get_attribute("name") == "username"
    assert fields.nth(1).get_attribute("name") == "password"
    page.keyboard.type("nobody")  # the username field has focus
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-error")
    assert page.locator("#login-form").is_visible()
    page.close()


def test_chat_answer_card_names_the_measure_and_shows_its_original_text(browser: Any, server: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.url)
    page.fill("#question", "外资研发中心有什么补贴？")
    page.press("#question", "Enter")
    card = page.wait_for_selector(".answer-card:not(.pending)")
    assert "大力集聚高端创新平台" in card.inner_text()
    assert "牵头单位" in card.inner_text()
    assert "null" not in card.inner_text()  # no placeholder leaks into the card
    page.click(".answer-card >> text=查看原文")
    assert "外资研发" in page.wait_for_selector(".answer-card .original").inner_text()
    page.close()


def test_unsure_answer_says_so_and_offers_a_person(browser: Any, server: LiveServer) -> None:
    page = browser.new_page()
    page.goto(server.url)
    page.fill("#question", "今天成都天气怎么样")
    page.press("#question", "Enter")
    card = page.wait_for_selector(".answer-card.unsure")
    assert card.query_selector("button.primary:has-text('转人工')") is not None
    card.query_selector("button.primary").click()
    page.wait_for_selector("#panel-requests:not([hidden])")
    assert "企业账号登录" in page.inner_text("#panel-requests")
    page.close()
