"""The service window in Chromium against the real app (SQLite): the 办事指南 before submitting, a file each
way, materials ticked and listed in 请企业补充材料, the promised deadline (paused while waiting), 办结
confirmed with a message, a 差评 and its 整改 closed by the 回访 — and a colleague who may only note."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
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
from tests.web.conftest import LiveServer, login_page

pytestmark = pytest.mark.browser

PASSWORD = "correct horse 9"
TIMEOUT_MS = 10_000
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def _users(app: FastAPI) -> None:
    with Session(app.state.engine) as session:
        create_user(session=session, role=Role.ENTERPRISE, username="firm", password=PASSWORD, display_name="蓉芯")
        for username, name in (("clerk", "张敏"), ("colleague", "刘洋")):
            create_user(
                session=session,
                role=Role.STAFF,
                username=username,
                password=PASSWORD,
                queues=["talent"],
                display_name=name,
            )
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD, display_name="管理员")
        session.commit()


@pytest.fixture(scope="module")
def server(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('window') / 'zonedesk.db'}"
    app = create_app(Settings(database_url=url, secret_key="window-tests"), library=library)
    _users(app)
    with LiveServer(app) as live:
        yield live


def _page(browser: Any, contexts: list[Any], username: str, base: str, path: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    if path in ("/staff", "/admin"):
        login_page(page, base, path, username, PASSWORD)
        return page
    page.goto(f"{base}{path}")  # the chat page's own enterprise login form
    page.fill("#enterprise-login input[name=username]", username)
    page.fill("#enterprise-login input[name=password]", PASSWORD)
    page.press("#enterprise-login input[name=password]", "Enter")
    return page


def test_a_request_through_the_window_from_guide_to_rectification(
    browser: Any, contexts: list[Any], server: LiveServer, tmp_path: Path
) -> None:
    firm = _page(browser, contexts, "firm", server.url, "/#requests")
    firm.wait_for_selector("#request-form")
    firm.select_option("#request-category", "housing")
    guide = firm.wait_for_selector("#request-guide .guide")
    assert "承诺时限：10 个工作日" in guide.inner_text()
    assert "申请人身份证复印件" in guide.inner_text()
    firm.fill("#request-subject", "人才公寓申请")
    firm.fill("#request-body", "新引进硕士1名，申请人才公寓。")
    firm.fill("#request-contact", "13800000000")
    firm.click("#request-form button[type=submit]")
    firm.wait_for_selector("#request-deadline:has-text('承诺办结时间')")
    number = firm.wait_for_selector("#my-requests li[data-number]").get_attribute("data-number")
    proof = tmp_path / "身份证.pdf"
    proof.write_bytes(PDF)
    firm.set_input_files("#request-file", str(proof))
    firm.wait_for_selector("#request-thread .attachment:has-text('身份证.pdf')")

    clerk = _page(browser, contexts, "clerk", server.url, "/staff")
    clerk.locator(f"#ticket-list li[data-number='{number}']").click()
    clerk.wait_for_selector("#thread .attachment:has-text('身份证.pdf')")
    clerk.fill("#draft-reply", "已收到，正在审核。")
    clerk.click("#reply")  # a reply to a new ticket claims it
    clerk.wait_for_selector("#ticket-status:has-text('办理中')")
    clerk.wait_for_selector("#thread .status-change:has-text('认领')")
    clerk.check("#checklist li[data-material='申请人身份证复印件'] input")
    expect(clerk.locator("#checklist li[data-material='申请人身份证复印件'] input")).to_be_checked()

    # A colleague sees the ticket but may only note.
    colleague = _page(browser, contexts, "colleague", server.url, "/staff")
    colleague.locator(f"#ticket-list li[data-number='{number}']").click()
    expect(colleague.locator("#not-mine")).to_contain_text("张敏")
    expect(colleague.locator("#reply, #resolve, #transfer, #wait")).to_have_count(0)

    clerk.fill("#draft-reply", "请补充以下材料。")
    clerk.click("#wait")
    clerk.wait_for_selector("#ticket-status:has-text('待企业补充')")
    firm.wait_for_selector("#request-deadline:has-text('暂停计时')")
    asked = firm.wait_for_selector("#request-thread .msg.staff:has-text('尚需补充的材料')").inner_text()
    assert "学历学位证书复印件" in asked
    assert "申请人身份证复印件" not in asked  # ticked as received
    firm.fill("#request-reply", "已补充学历证书。")
    firm.click("#request-detail .reply-box button[type=submit]")
    firm.wait_for_selector("#request-deadline:has-text('承诺办结时间')")

    clerk.wait_for_selector("#ticket-status:has-text('办理中')")
    clerk.click("#resolve")
    clerk.fill("#confirm-message", "已分配人才公寓，请凭通知入住。")
    clerk.click("#confirm-ok")
    clerk.wait_for_selector("#ticket-status:has-text('已办结')")

    firm.wait_for_selector("#request-status:has-text('已办结')")
    firm.click(".rating .option:has-text('不满意') >> nth=0")
    firm.wait_for_selector("#request-detail >> text=您的评价")

    clerk.select_option("#status-filter", "all")
    clerk.locator(f"#ratings-list li[data-rating='{number}']").click()
    clerk.wait_for_selector("#rectification:has-text('整改中')")
    clerk.fill("#draft-rectification", "已电话回访，说明审核流程并致歉。")
    clerk.click("#rectify")
    expect(clerk.locator("#rectification")).to_contain_text("整改已完成")

    download = httpx.get(f"{server.url}/api/v1/attachments/1")
    assert download.status_code == 401


def _token(base: str, username: str) -> dict[str, str]:
    reply = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_admin_edits_a_guide_and_reads_the_ratings(browser: Any, contexts: list[Any], server: LiveServer) -> None:
    firm, clerk = _token(server.url, "firm"), _token(server.url, "clerk")
    body = {"category": "schooling", "subject": "子女入学", "body": "申请入学", "contact": "028-1"}
    number = httpx.post(
        f"{server.url}/api/v1/requests", json=body, headers={**firm, "Idempotency-Key": "admin-ratings"}
    ).json()["number"]
    httpx.post(f"{server.url}/api/v1/tickets/{number}/claim", headers=clerk).raise_for_status()
    resolve = {"version": 2, "body": "已安排入学"}
    httpx.post(f"{server.url}/api/v1/tickets/{number}/resolve", json=resolve, headers=clerk).raise_for_status()
    rating = {"score": 1, "comment": "学位分配太远"}
    httpx.post(f"{server.url}/api/v1/requests/{number}/rating", json=rating, headers=firm).raise_for_status()

    admin = _page(browser, contexts, "admin", server.url, "/admin")
    admin.click("[data-admin-tab=guides]")
    admin.locator("#guide-list tr[data-category='schooling'] button").click()
    expect(admin.locator("#guide-materials")).to_have_value(re.compile("子女入学申请表"))
    admin.fill("#guide-promised", "8")
    admin.click("#guide-save")
    expect(admin.locator("#guide-list tr[data-category='schooling']")).to_contain_text("8 / 20")
    guides = httpx.get(f"{server.url}/api/v1/categories").json()["items"]
    assert next(c for c in guides if c["category"] == "schooling")["guide"]["promised_days"] == 8

    admin.click("[data-admin-tab=ratings]")
    row = admin.locator(f"#ratings-list tr[data-number='{number}']")
    expect(row).to_contain_text("非常不满意")
    expect(row).to_contain_text("学位分配太远")
    expect(row).to_contain_text("整改中")
    admin.select_option("#ratings-filter", "overdue")
    expect(admin.locator(f"#ratings-list tr[data-number='{number}']")).to_have_count(0)
