"""The supervision flows in Chromium: a supervisor's 督办 acknowledged by the assignee, 常用回复 in the reply
box, unstaffed queues flagged on transfer and in admin, the reports page with its charts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from api.auth.service import create_user
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer, login_page

pytestmark = pytest.mark.browser

PASSWORD = "correct horse 9"
BOT_TOKEN = "browser-bot-token"
TIMEOUT_MS = 10_000
REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "028-1"}


@pytest.fixture(scope="module")
def server(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'zonedesk.db'}"
    settings = Settings(database_url=url, secret_key="browser-tests", bot_service_token=BOT_TOKEN, sla_job_seconds=0)
    app = create_app(settings, library=library)
    with Session(app.state.engine) as session:
        create_user(session=session, role=Role.STAFF, username="wang", password=PASSWORD, queues=["talent"])
        create_user(session=session, role=Role.STAFF, username="zhao", password=PASSWORD, supervises=["talent"])
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD)
        session.commit()
    with LiveServer(app) as live:
        yield live


def _page(browser: Any, contexts: list[Any]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    return context.new_page()


def _headers(base: str, username: str) -> dict[str, str]:
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _open(page: Any, number: str) -> None:
    """Open a ticket from the queue list, as a clerk does."""
    page.click(f".ticket-row[data-number='{number}'] button")
    expect(page.locator("#ticket-title")).to_contain_text(number)


def _claimed_ticket(base: str, key: str) -> str:
    bot = {"Authorization": f"Bearer {BOT_TOKEN}", "X-Telegram-User-Id": "990001", "Idempotency-Key": key}
    number = str(httpx.post(f"{base}/api/v1/requests", json=REQUEST, headers=bot).json()["number"])
    claimed = httpx.post(f"{base}/api/v1/tickets/{number}/claim", headers=_headers(base, "wang"))
    assert claimed.status_code == 200
    return number


def test_supervisor_supervises_and_the_assignee_acknowledges(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    number = _claimed_ticket(server.url, "supervise")
    boss = _page(browser, contexts)
    login_page(boss, server.url, "/staff", "zhao", PASSWORD)
    expect(boss.locator("#reports-link")).to_be_visible()
    _open(boss, number)
    boss.fill("#supervise-body", "企业已来电催办，请今日内答复")
    boss.click("#supervise")
    expect(boss.locator("#supervision-panel")).to_contain_text("待承办人确认")

    clerk = _page(browser, contexts)
    login_page(clerk, server.url, "/staff", "wang", PASSWORD)
    expect(clerk.locator("#pending-supervisions")).to_contain_text(number)
    expect(clerk.locator("#reports-link")).to_be_hidden()
    _open(clerk, number)
    clerk.get_by_role("button", name="确认收到督办").click()
    expect(clerk.locator("#supervision-panel")).to_contain_text("确认")
    expect(clerk.locator("#supervision-panel")).not_to_contain_text("确认收到督办")
    expect(clerk.locator("#pending-supervisions")).to_be_hidden()


def test_canned_reply_fills_the_reply_box_and_unstaffed_targets_are_flagged(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    number = _claimed_ticket(server.url, "canned")
    canned = {"title": "材料清单", "body": "请提供营业执照和劳动合同。"}
    made = httpx.post(
        f"{server.url}/api/v1/queues/talent/canned-replies", json=canned, headers=_headers(server.url, "zhao")
    )
    assert made.status_code == 201
    clerk = _page(browser, contexts)
    login_page(clerk, server.url, "/staff", "wang", PASSWORD)
    _open(clerk, number)
    clerk.select_option("#canned-reply", label="材料清单")
    expect(clerk.locator("#draft-reply")).to_have_value(canned["body"])
    expect(clerk.locator("#transfer-queue option[data-unstaffed]").first).to_contain_text("无成员")


def test_admin_sees_unstaffed_queues_and_the_report_charts(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    _claimed_ticket(server.url, "report")
    admin = _page(browser, contexts)
    login_page(admin, server.url, "/admin", "admin", PASSWORD)
    admin.click("[data-admin-tab=queues]")
    expect(admin.locator("[data-unstaffed=front-desk]")).to_be_visible()
    expect(admin.locator("[data-unstaffed=talent]")).to_have_count(0)
    admin.goto(f"{server.url}/reports")
    expect(admin.locator("#report-charts svg")).to_have_count(4)
    expect(admin.locator("#report-queues tr[data-key=talent]")).to_be_visible()
    href = admin.locator("#report-csv").get_attribute("href")
    assert href is not None
    assert href.startswith("/api/v1/reports/tickets.csv?from=")
