"""Screenshots of the three pages with realistic data, for docs/screenshots/ (README).

Runs only when asked:  ZONEDESK_SCREENSHOT_DIR=docs/screenshots uv run pytest tests/web/test_web_screenshots.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from api.auth.service import create_user
from api.db import utcnow
from api.faqs.models import UnansweredQuestion
from api.main import create_app
from api.settings import Settings
from api.tickets.models import Ticket
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer, login_page

SCREENSHOTS = os.environ.get("ZONEDESK_SCREENSHOT_DIR")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SCREENSHOTS, reason="set ZONEDESK_SCREENSHOT_DIR to take screenshots"),
]
PASSWORD = "demo password 1"
REQUESTS = [
    ("housing", "人才公寓入住申请（新引进博士2名）", "我司今年新引进博士2名，希望申请园区人才公寓，请告知所需材料。"),
    ("schooling", "外籍高管子女入学咨询", "外籍副总经理的孩子9岁，想了解区内国际学校和公办学校的入学流程。"),
    ("medical_insurance", "员工医保关系异地转入", "3名员工从重庆转入，医保关系如何转移接续？"),
    ("work_permit", "外国专家来华工作许可办理", "德国籍研发总监，62岁，想了解年龄放宽的条件和办理时限。"),
    ("housing", "人才租房补贴发放进度查询", "去年12月提交的租房补贴申请，目前还没有到账。"),
]
UNANSWERED = [
    ("园区食堂补贴怎么申请", 4),
    ("公司食堂可以申请补贴吗", 2),
    ("停车位月卡在哪里办", 3),
    ("停车月卡怎么办理", 1),
]


def _seed(app: FastAPI, base: str) -> None:
    with Session(app.state.engine) as session:
        create_user(
            session=session, role=Role.ENTERPRISE, username="rongchuang", password=PASSWORD, display_name="蓉创科技"
        )
        create_user(
            session=session,
            role=Role.STAFF,
            username="wangfang",
            password=PASSWORD,
            queues=["talent", "foreign-talent"],
            display_name="王芳",
        )
        create_user(session=session, role=Role.ADMIN, username="admin", password=PASSWORD, display_name="管理员")
        for text, count in UNANSWERED:
            session.add(UnansweredQuestion(text=text, normalized_text=text, count=count))
        session.commit()
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": "rongchuang", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    for i, (category, subject, body) in enumerate(REQUESTS):
        payload = {"category": category, "subject": subject, "body": body, "contact": "138 0000 0000"}
        httpx.post(f"{base}/api/v1/requests", json=payload, headers={**headers, "Idempotency-Key": f"demo-{i}"})
    with Session(app.state.engine) as session:  # the oldest request has run past its time limit
        ticket = session.exec(select(Ticket).where(Ticket.subject == REQUESTS[4][1])).one()
        ticket.sla_due_at = utcnow() - timedelta(hours=5)
        session.add(ticket)
        session.commit()


@pytest.fixture(scope="module")
def demo(library: PolicyLibrary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'zonedesk.db'}"
    app = create_app(Settings(database_url=url, secret_key="demo"), library=library)
    with LiveServer(app) as live:
        _seed(app, live.url)
        yield live


def _page(browser: Any, width: int = 1280, height: int = 860) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", device_scale_factor=1)
    context.set_default_timeout(15_000)
    return context.new_page()


def _login(page: Any, base: str, path: str, username: str) -> None:
    login_page(page, base, path, username, PASSWORD)


def _save(page: Any, name: str) -> None:
    directory = Path(str(SCREENSHOTS))
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"))


def test_screenshot_chat_page(browser: Any, demo: LiveServer) -> None:
    page = _page(browser)
    page.goto(demo.url)
    page.fill("#question", "我们是外资企业，研发中心刚认定，能拿补贴吗？")
    page.press("#question", "Enter")
    page.wait_for_selector(".answer-card:not(.pending)")
    _save(page, "chat")
    phone = _page(browser, 390, 844)
    phone.goto(f"{demo.url}/#check")
    for _ in range(3):
        question = phone.wait_for_selector("#check-q")
        fact = question.get_attribute("data-fact")
        phone.click("#check-question .option >> nth=0")
        phone.wait_for_function("f => document.querySelector('#check-q')?.dataset.fact !== f", arg=fact)
    _save(phone, "chat-self-check-phone")
    page.context.close()
    phone.context.close()


def test_screenshot_staff_console(browser: Any, demo: LiveServer) -> None:
    page = _page(browser)
    _login(page, demo.url, "/staff", "wangfang")
    page.wait_for_selector("#ticket-list li[data-number]")
    page.click(".queue-tab[data-queue=talent]")
    page.click("#ticket-list li.overdue button")
    page.wait_for_selector("#claim").click()
    page.wait_for_selector("#ticket-status:has-text('办理中')")
    page.fill("#draft-note", "已电话联系申请人，补贴已于本周进入财政支付流程。")
    page.click("#note")
    page.wait_for_selector("#notes .msg.note")
    page.fill("#draft-reply", "您好，您的租房补贴已进入支付流程，预计5个工作日内到账。")
    page.click("#reply")
    page.wait_for_selector("#thread .msg.staff")
    page.wait_for_timeout(4500)  # let the toast fade
    _save(page, "staff-console")
    page.context.close()


def test_screenshot_admin_pages(browser: Any, demo: LiveServer) -> None:
    page = _page(browser, 1280, 1000)
    _login(page, demo.url, "/admin", "admin")
    page.wait_for_selector("#faq-list tr")
    page.click("[data-admin-tab=unanswered]")
    page.wait_for_selector("#unanswered-list tr button")
    _save(page, "admin-unanswered")
    page.click("#unanswered-list tr button >> nth=0")
    page.fill("#faq-answer", "园区职工食堂补贴由管委会综合办受理，每年三月集中申报，需提供食堂经营许可和就餐人数统计。")
    page.fill("#faq-measures", "13")
    page.click("#faq-preview")
    page.wait_for_selector("#faq-preview-box table")
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "admin-faq")
    page.context.close()


CITY_TEXT = (
    "成都高新区关于支持企业研发创新的若干措施\n"
    "一、支持研发创新\n"
    "（一）支持研发投入。对企业年度研发投入按10%给予补助。（牵头单位：科技创新局；参与单位：财政金融局）\n"
    "（二）支持创新平台建设。对新认定的国家级创新平台给予一次性奖励。（牵头单位：科技创新局）\n"
    "二、支持人才引进\n"
    "（三）支持高层次人才安居。对引进的高层次人才给予安家补贴。（牵头单位：党群工作部；参与单位：公园城市建设局）\n"
)
CITY_TEXT_V2 = CITY_TEXT.replace("按10%给予补助", "按15%给予补助，单户年度最高300万元").replace(
    "给予一次性奖励", "给予最高500万元一次性奖励"
)


def _admin_headers(base: str) -> dict[str, str]:
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _import(base: str, headers: dict[str, str], body: dict[str, Any]) -> None:
    httpx.post(f"{base}/api/v1/admin/documents", json=body, headers=headers).raise_for_status()


def test_screenshot_policy_library(browser: Any, demo: LiveServer) -> None:
    headers = _admin_headers(demo.url)
    _import(
        demo.url,
        headers,
        {
            "document_id": "chengdu-hitech-rd-2024",
            "text": CITY_TEXT,
            "doc_number": "成高管发〔2024〕8号",
            "issuer": "成都高新区管理委员会",
            "level": "zone",
            "status": "in_force",
            "issued_on": "2024-03-15",
            "effective_from": "2024-04-01",
            "effective_to": "2027-03-31",
        },
    )
    _import(
        demo.url,
        headers,
        {
            "document_id": "chengdu-hitech-rd-2019",
            "text": CITY_TEXT.replace("研发创新", "科技创新"),
            "doc_number": "成高管发〔2019〕3号",
            "issuer": "成都高新区管理委员会",
            "level": "zone",
            "issued_on": "2019-02-20",
        },
    )
    httpx.post(f"{demo.url}/api/v1/admin/documents/chengdu-hitech-rd-2019/retire", headers=headers).raise_for_status()
    page = _page(browser, 1280, 900)
    page.goto(f"{demo.url}/policies")
    page.wait_for_selector("#past-documents")
    _save(page, "policies")
    page.goto(f"{demo.url}/policies/sichuan-hitech-zones-draft/8")
    page.wait_for_selector("#measure-body")
    _save(page, "policy-measure")
    page.context.close()


def test_screenshot_admin_library_diff(browser: Any, demo: LiveServer) -> None:
    page = _page(browser, 1280, 1200)
    _login(page, demo.url, "/admin", "admin")
    page.click("[data-admin-tab=policy]")
    page.click("#library-list tr[data-document='chengdu-hitech-rd-2024'] [data-action=import]")
    page.fill("#import-text", CITY_TEXT_V2)
    page.click("#import-preview")
    page.wait_for_selector("#import-diff .diff-change")
    page.locator("#import-result").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('import-result').scrollIntoView()")
    _save(page, "admin-library-diff")
    page.context.close()
