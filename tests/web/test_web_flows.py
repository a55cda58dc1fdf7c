"""End-to-end flows in Chromium against the real app under uvicorn (SQLite).

An enterprise submits on the chat page → staff see it live, claim and reply → the enterprise sees the
reply; an admin publishes an FAQ entry → the chat page answers from it; stale writes show the 409.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import expect
from sqlmodel import Session

from api.auth.service import create_user
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.factories import HTE_PUSH_CLAUSE
from tests.web.conftest import LiveServer, login_page

pytestmark = pytest.mark.browser

PASSWORD = "correct horse 9"
BOT_TOKEN = "browser-bot-token"
TIMEOUT_MS = 10_000


def _users(app: FastAPI) -> None:
    with Session(app.state.engine) as session:
        create_user(session=session, role=Role.ENTERPRISE, username="acme", password=PASSWORD, display_name="蓉创科技")
        create_user(
            session=session,
            role=Role.STAFF,
            username="wangfang",
            password=PASSWORD,
            queues=["talent"],
            display_name="王芳",
        )
        create_user(
            session=session,
            role=Role.STAFF,
            username="lijun",
            password=PASSWORD,
            queues=["talent"],
            display_name="李军",
        )
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD, display_name="管理员")
        session.commit()


@pytest.fixture(scope="module")
def server(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'zonedesk.db'}"
    app = create_app(
        Settings(database_url=url, secret_key="browser-tests", bot_service_token=BOT_TOKEN), library=library
    )
    _users(app)
    with LiveServer(app) as live:
        yield live


def _page(browser: Any, contexts: list[Any], *, width: int = 1280, height: int = 860) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: dialog {dialog.message!r}"))
    return page


def _login(page: Any, base: str, path: str, username: str) -> None:
    login_page(page, base, path, username, PASSWORD)


def _token(base: str, username: str) -> str:
    reply = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return str(reply.json()["access_token"])


def test_request_goes_live_from_chat_page_to_console_and_reply_comes_back(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    staff = _page(browser, contexts)
    _login(staff, server.url, "/staff", "wangfang")
    staff.wait_for_selector(".queue-tab.active[data-queue='talent']")

    enterprise = _page(browser, contexts, width=390, height=844)  # phone width
    enterprise.goto(f"{server.url}/#requests")
    enterprise.fill("#enterprise-login input[name=username]", "acme")
    enterprise.fill("#enterprise-login input[name=password]", PASSWORD)
    enterprise.press("#enterprise-login input[name=password]", "Enter")
    enterprise.wait_for_selector("#request-form")  # back on the 服务申请 tab, logged in
    subject = '人才公寓申请 <script>alert("x")</script><img src=x onerror=alert(1)>'
    enterprise.select_option("#request-category", "housing")
    enterprise.fill("#request-subject", subject)
    enterprise.fill("#request-body", "我司新引进博士2名，想申请园区人才公寓，需要准备哪些材料？")
    enterprise.fill("#request-contact", "13800000000")
    enterprise.click("#request-form button[type=submit]")
    row = enterprise.wait_for_selector("#my-requests li[data-number]")
    number = row.get_attribute("data-number")
    assert number is not None
    assert number.startswith("ZD-")

    # Staff: the new ticket appears without a reload, its subject shown as text, not markup.
    staff_row = staff.wait_for_selector(f"#ticket-list li[data-number='{number}']")
    assert subject in staff_row.inner_text()
    assert staff.locator("#ticket-list script, #ticket-list img").count() == 0
    staff_row.click()
    staff.wait_for_selector("#claim").click()
    staff.wait_for_selector("#ticket-status:has-text('办理中')")
    staff.fill("#draft-note", "内部：先核对社保缴纳记录")
    staff.click("#note")
    staff.wait_for_selector("#notes .msg.note:has-text('核对社保')")
    staff.fill("#draft-reply", "您好，请提供博士学位证书和劳动合同复印件。")
    staff.click("#reply")
    staff.wait_for_selector("#thread .msg:has-text('博士学位证书')")

    # Enterprise: the reply arrives live; the internal note never does.
    enterprise.wait_for_selector("#request-thread .msg.staff:has-text('博士学位证书')")
    assert "核对社保" not in enterprise.inner_text("#request-detail")
    assert enterprise.locator("#request-detail script, #request-detail img").count() == 0

    # Staff resolve (confirmed, with a closing message); the enterprise sees it live and rates it (好差评).
    staff.click("#resolve")
    staff.fill("#confirm-message", "")
    staff.click("#confirm-ok")
    expect(staff.locator("#ticket-status")).to_have_text("办理中")  # an empty closing message is refused
    staff.fill("#confirm-message", "公寓已分配，请于下周一前办理入住。")
    staff.click("#confirm-ok")
    staff.wait_for_selector("#ticket-status:has-text('已办结')")
    staff.wait_for_selector("#thread .msg.status-change:has-text('办结了工单')")
    enterprise.wait_for_selector("#request-thread .msg.staff:has-text('办理入住')")
    enterprise.wait_for_selector("#request-status:has-text('已办结')")
    enterprise.click(".rating .option >> nth=0")
    enterprise.wait_for_selector("#request-detail >> text=您的评价")


def test_staff_console_shows_a_telegram_code_the_bot_can_spend_once(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    staff = _page(browser, contexts)
    _login(staff, server.url, "/staff", "lijun")
    staff.get_by_role("button", name="绑定 Telegram").click()
    code = staff.wait_for_selector("#telegram-code-value").inner_text()
    expect(staff.locator("#telegram-code")).to_contain_text(f"/link {code}")
    bot = {"Authorization": f"Bearer {BOT_TOKEN}", "X-Telegram-User-Id": "880001"}
    linked = httpx.post(f"{server.url}/api/v1/auth/telegram-link", json={"code": code}, headers=bot)
    assert (linked.status_code, linked.json()["username"]) == (200, "lijun")
    again = httpx.post(f"{server.url}/api/v1/auth/telegram-link", json={"code": code}, headers=bot)
    assert again.status_code == 403


def test_stale_staff_write_shows_the_conflict_and_keeps_the_draft(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    token = _token(server.url, "acme")
    created = httpx.post(
        f"{server.url}/api/v1/requests",
        json={"category": "schooling", "subject": "子女入学咨询", "body": "外籍员工子女入学", "contact": "028-1234"},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "stale-1"},
    )
    number = created.json()["number"]
    staff = _page(browser, contexts)
    _login(staff, server.url, "/staff", "wangfang")
    staff.wait_for_selector(f"#ticket-list li[data-number='{number}']").click()
    staff.wait_for_selector("#ticket-title:has-text('子女入学咨询')")
    other = {"Authorization": f"Bearer {_token(server.url, 'lijun')}"}

    def colleague_claims_first(route: Any) -> None:
        # The colleague's claim lands between loading the ticket and this reply: this version is stale.
        httpx.post(f"{server.url}/api/v1/tickets/{number}/claim", headers=other).raise_for_status()
        route.continue_()

    staff.route(f"**/api/v1/tickets/{number}/reply", colleague_claims_first)
    staff.fill("#draft-reply", "这条回复基于旧版本")
    staff.click("#reply")
    conflict = staff.wait_for_selector("#conflict")
    assert "未保存" in conflict.inner_text()
    staff.wait_for_selector("#ticket-facts, .ticket-facts")
    assert "李军" in staff.inner_text(".ticket-facts")
    expect(staff.locator("#not-mine")).to_contain_text("李军")  # the reply box is gone: it is his ticket now
    detail = httpx.get(f"{server.url}/api/v1/tickets/{number}", headers=other).json()
    assert all("旧版本" not in m["body"] for m in detail["messages"])

    # The ticket is the colleague's now: this member may only note.
    staff.unroute(f"**/api/v1/tickets/{number}/reply")
    expect(staff.locator("#reply, #resolve, #transfer")).to_have_count(0)
    staff.fill("#draft-note", "内部：我这边有该企业的历史材料")
    staff.click("#note")
    staff.wait_for_selector("#notes .msg.note:has-text('历史材料')")

    # The assignee asks the enterprise for more, then transfers (confirmed, with a reason) out of this queue.
    colleague = _page(browser, contexts)
    _login(colleague, server.url, "/staff", "lijun")
    colleague.wait_for_selector(f"#ticket-list li[data-number='{number}']").click()
    colleague.fill("#draft-reply", "请补充孩子的护照复印件。")
    colleague.click("#wait")
    colleague.wait_for_selector("#ticket-status:has-text('待企业补充')")
    colleague.select_option("#transfer-queue", "category:work_permit")
    colleague.click("#transfer")
    expect(colleague.locator("#confirm-box")).to_contain_text("外国人来华工作许可")
    colleague.click("#confirm-cancel")
    expect(colleague.locator("#confirm-box")).to_have_count(0)
    colleague.click("#transfer")
    colleague.fill("#confirm-message", "外籍子女，转外国人才窗口")
    colleague.click("#confirm-ok")
    colleague.wait_for_selector(f"#ticket-pane >> text={number} 已转办")
    # The list refreshes after the transfer: wait for it rather than reading it at once.
    expect(colleague.locator(f"#ticket-list li[data-number='{number}']")).to_have_count(0)
    admin = {"Authorization": f"Bearer {_token(server.url, 'admin')}"}
    moved = httpx.get(f"{server.url}/api/v1/tickets/{number}", headers=admin).json()
    assert (moved["status"], moved["queue"]) == ("new", "foreign-talent")
    assert any(m["internal"] and "外国人才窗口" in m["body"] for m in moved["messages"])


def test_admin_publishes_faq_entry_and_chat_page_answers_from_it(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    admin = _page(browser, contexts)
    _login(admin, server.url, "/admin", "admin")
    version_before = admin.wait_for_selector("#index-version[data-version]").get_attribute("data-version")
    admin.click("#faq-new")
    admin.fill("#faq-question", "园区职工食堂补贴怎么申请")
    admin.fill("#faq-variants", "食堂补贴去哪里办\n职工食堂有补助吗")
    admin.fill("#faq-answer", "职工食堂补贴由园区管委会综合办受理，每年三月集中申报。")
    admin.fill("#faq-measures", "13")
    admin.click("#faq-preview")
    admin.wait_for_selector("#faq-preview-box table")
    admin.click("#faq-publish")
    admin.wait_for_function("v => document.querySelector('#index-version').dataset.version !== v", arg=version_before)

    chat = _page(browser, contexts)
    chat.goto(server.url)
    chat.fill("#question", "园区职工食堂补贴怎么申请")
    chat.press("#question", "Enter")
    card = chat.wait_for_selector(".answer-card:not(.pending)")
    assert "综合办受理" in card.inner_text()

    # A second admin tab still holds version 1; its publish must not overwrite the first one's edit.
    stale = _page(browser, contexts)
    _login(stale, server.url, "/admin", "admin")
    stale.wait_for_selector("#faq-list tr:has-text('园区职工食堂补贴怎么申请') button").click()
    admin.fill("#faq-answer", "职工食堂补贴由园区管委会综合办受理，每年三月和九月集中申报。")
    with admin.expect_response(lambda r: r.request.method == "PUT" and "/api/v1/admin/faq/" in r.url) as saved:
        admin.click("#faq-publish")
    assert saved.value.status == 200
    stale.fill("#faq-answer", "旧版本的答案")
    stale.click("#faq-publish")
    stale.wait_for_selector("#faq-conflict:not([hidden])")
    assert "修改" in stale.inner_text("#faq-conflict")

    chat.fill("#question", "食堂补贴去哪里办")
    chat.press("#question", "Enter")
    chat.wait_for_selector(".answer-card:not(.pending) >> text=三月和九月")


def test_self_check_asks_one_question_at_a_time_and_explains_the_verdicts(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    page = _page(browser, contexts, width=390, height=844)
    page.goto(f"{server.url}/")
    page.fill("#question", "外资研发中心刚认定，能拿补贴吗？")
    page.press("#question", "Enter")
    page.wait_for_selector(".answer-card:not(.pending) >> text=看看我是否符合").click()
    page.wait_for_selector("#check-q")
    asked: list[str] = []
    while page.locator("#check-q").count() and len(asked) < 15:
        fact = str(page.get_attribute("#check-q", "data-fact"))
        assert fact not in asked
        asked.append(fact)
        assert page.locator("#check-question .q").count() == 1  # one question at a time
        page.click("#check-question .option >> nth=0")
        page.wait_for_function(
            "f => !document.querySelector('#check-q') || document.querySelector('#check-q').dataset.fact !== f",
            arg=fact,
        )
    results = page.wait_for_selector("#check-results .verdict")
    assert asked
    assert "牵头单位" in results.inner_text()
    m8 = page.locator("#check-results .verdict[data-clause^='m8-'] .measure-ref").first
    assert m8.get_attribute("href") == "/policies/sichuan-hitech-zones-draft/8"
    expect(m8).to_have_text("（八）大力集聚高端创新平台")  # the measure as written, never a raw id
    # Focused on measure 8: only its clause is checked; every condition answered "yes" shows as met, in green.
    assert page.locator("#check-results .verdict").count() == 1
    met = page.locator("#check-results .verdict[data-clause^='m8-'] .cond.met")
    assert met.count() >= 1
    assert met.first.evaluate("e => getComputedStyle(e).color") == "rgb(21, 128, 61)"


def test_check_me_is_offered_only_on_measures_with_clauses(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    page = _page(browser, contexts)
    page.goto(f"{server.url}/")
    page.fill("#question", "高新区可以整合托管周边乡镇吗")  # measure 19: no eligibility clauses
    page.press("#question", "Enter")
    card = page.wait_for_selector(".answer-card:not(.pending) .view-original")
    assert card.get_attribute("href") == "/policies/sichuan-hitech-zones-draft/19"
    page.wait_for_load_state("networkidle")
    expect(page.locator(".answer-card .check-me")).to_be_hidden()
    page.fill("#question", "外资研发中心刚认定，能拿补贴吗？")  # measure 8 has a clause
    page.press("#question", "Enter")
    expect(page.locator(".answer-card:has(.view-original[href$='/8']) .check-me")).to_be_visible()


def test_admin_sets_routing_and_membership_and_validates_clauses(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    admin = _page(browser, contexts)
    _login(admin, server.url, "/admin", "admin")
    admin.click("[data-admin-tab=queues]")
    row = admin.wait_for_selector("#queue-list tr[data-queue='approvals']")
    row.query_selector("input").fill("lijun")
    row.query_selector("button[type=submit]").click()
    admin.wait_for_selector("#queue-list tr[data-queue='approvals'] .chip:has-text('李军')")
    with admin.expect_response(lambda r: "/api/v1/admin/routing/other" in r.url) as routed:
        admin.select_option("#routing-list tr:has-text('其他') select", "talent")
    assert routed.value.status == 200

    admin.click("[data-admin-tab=policy]")
    admin.fill("#clauses-text", "- id: bad\n  measure: nowhere#1\n")
    admin.click("#clauses-form button[type=submit]")
    assert admin.wait_for_selector("#clause-errors li").inner_text()


def test_a_published_clause_reaches_the_enterprise_inbox_and_my_policies(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    enterprise_token, admin_token = _token(server.url, "acme"), _token(server.url, "admin")
    profile = {"zone_level": "national", "org_type": "enterprise", "high_tech_enterprise": True}
    saved = httpx.put(
        f"{server.url}/api/v1/profile",
        json={"profile": profile},
        headers={"Authorization": f"Bearer {enterprise_token}"},
    )
    assert saved.status_code == 200
    published = httpx.post(
        f"{server.url}/api/v1/admin/clauses",
        json={"text": HTE_PUSH_CLAUSE},
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert published.status_code == 201, published.text
    for _ in range(200):  # the push runs on the server's worker thread, off the publish request
        inbox = httpx.get(f"{server.url}/api/v1/notifications", headers={"Authorization": f"Bearer {enterprise_token}"})
        if inbox.json()["total"]:
            break
        time.sleep(0.05)
    page = _page(browser, contexts)
    page.goto(f"{server.url}/#requests")
    page.fill("#enterprise-login input[name=username]", "acme")
    page.fill("#enterprise-login input[name=password]", PASSWORD)
    page.press("#enterprise-login input[name=password]", "Enter")
    page.wait_for_selector("#request-form")
    expect(page.locator("#inbox-badge")).to_have_text("1")  # the push worker wrote one notification
    page.click("a[data-tab=mine]")
    page.wait_for_selector("#inbox li[data-clause='m11-hte-priority-pushed']")
    card = page.wait_for_selector("#my-policies .verdict.eligible[data-clause='m11-hte-priority-pushed']")
    assert "科技厅" in card.inner_text()


def test_admin_drafts_a_clause_from_the_wording_and_publishes_it(
    browser: Any, contexts: list[Any], server: LiveServer
) -> None:
    admin = _page(browser, contexts)
    _login(admin, server.url, "/admin", "admin")
    admin.click("[data-admin-tab=policy]")
    admin.fill("#draft-measure", "sichuan-hitech-zones-draft#11")
    admin.click("#draft-propose")
    assert "高新技术企业重点支持" in admin.wait_for_selector("#draft-result mark").inner_text()
    assert "m11-draft-1" in admin.input_value("#clauses-text")
    admin.wait_for_selector("#clauses-result .alert.ok")  # validated live
    admin.click("#clauses-publish")
    expect(admin.locator("#clauses-published")).to_contain_text("m11-draft-1")
    admin.fill("#clauses-text", "document: sichuan-hitech-zones-draft\nclauses:\n  - id: m11-x\n    measure_id: x\n")
    admin.click("#clauses-publish")
    expect(admin.locator("#clause-errors li").first).to_contain_text("第 3 行")
