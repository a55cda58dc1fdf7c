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


def test_chat_answer_card_names_its_source_and_links_the_measure_page(browser: Any, server: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.url)
    page.fill("#question", "外资研发中心有啥奖补")
    page.press("#question", "Enter")
    card = page.wait_for_selector(".answer-card:not(.pending)")
    text = card.inner_text()
    assert "（八）大力集聚高端创新平台" in card.query_selector(".answer-title").inner_text()
    assert "第8条" not in text
    source = card.query_selector(".answer-source").inner_text()
    assert "《关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）》" in source
    assert "省级" in source
    assert "征求意见稿" in card.query_selector(".answer-source .doc-status").inner_text()
    notice = card.query_selector(".answer-notice")
    assert notice is not None
    assert "征求意见稿" in notice.inner_text()
    assert "牵头单位" in text
    assert "null" not in text  # no placeholder leaks into the card
    assert "undefined" not in text
    page.click(".answer-card >> text=查看原文")
    page.wait_for_url("**/policies/sichuan-hitech-zones-draft/8")
    assert "大力集聚高端创新平台" in page.inner_text("#measure-title")
    assert "对通过认定的外资研发机构" in page.inner_text("#measure-body")
    page.click("#back-to-document")
    page.wait_for_selector("#measures")
    assert "《关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）》" in page.inner_text(
        "#document-title"
    )
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


def test_answer_card_lists_other_levels_and_escapes_everything(browser: Any, server: LiveServer) -> None:
    xss = '<img src=x onerror="document.title=1">'
    document = {
        "id": "chengdu-rd-2024",
        "title": f"成都市研发机构奖补办法{xss}",
        "doc_number": f"成府发〔2024〕3号{xss}",
        "level": "city",
        "status": "in_force",
        "level_label": "市级",
        "status_label": "现行有效",
    }
    provincial = {
        **document,
        "id": "sichuan-rd",
        "title": "四川省研发支持意见",
        "level": "provincial",
        "level_label": "省级",
    }
    result = {
        "text": "研发奖补",
        "intent": "policy",
        "confident": True,
        "category": None,
        "matches": [
            {
                "measure_id": "chengdu-rd-2024#3",
                "number": 3,
                "title": f"研发奖补{xss}",
                "score": 0.9,
                "faq_id": None,
                "document_id": "chengdu-rd-2024",
                "label": "第三条",
            },
        ],
        "answer": {
            "title": f"第三条研发奖补{xss}",
            "summary": f"按规定给予奖补。{xss}",
            "lead_units": [f"市科技局{xss}"],
            "participating_units": [],
            "actions": [],
            "label": "第三条",
            "document": document,
            "notice": None,
            "others": [
                {"measure_id": "sichuan-rd#5", "label": "（五）", "title": "支持研发投入", "document": provincial}
            ],
        },
    }
    page = browser.new_page()
    page.route("**/api/v1/ask", lambda route: route.fulfill(json=result))
    page.goto(server.url)
    page.fill("#question", "研发奖补")
    page.press("#question", "Enter")
    card = page.wait_for_selector(".answer-card:not(.pending)")
    assert card.query_selector(".answer-notice") is None  # no notice, no caveat box
    assert "第三条研发奖补" in card.query_selector(".answer-title").inner_text()
    source = card.query_selector(".answer-source").inner_text()
    assert "成府发〔2024〕3号" in source
    assert "现行有效" in source
    other = card.query_selector(".answer-others .other")
    assert other.inner_text().startswith("省级另有：《四川省研发支持意见》（五）支持研发投入")
    assert other.query_selector("a").get_attribute("href") == "/policies/sichuan-rd/5"
    assert card.query_selector("a.view-original").get_attribute("href") == "/policies/chengdu-rd-2024/3"
    assert xss in card.inner_text()  # shown as text
    assert card.query_selector("img") is None
    assert page.title() != "1"
    page.close()
