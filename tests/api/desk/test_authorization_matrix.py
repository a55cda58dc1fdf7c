"""Every desk route × every role: who is allowed and who is refused, as a data table.

Roles: anonymous; enterprise users of enterprises A and B; an unbound Telegram user (through the
bot's service token); staff of the ticket's queue (talent); staff of another queue (approvals); admin.
Each case runs on a fresh world, so write routes are checked with the status they really return.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.attachments.models import TicketAttachment
from api.faqs.service import record_pick, record_unanswered
from api.tickets.service import claim_ticket, resolve
from common.ask import PickChoice
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import (
    PASSWORD,
    auth_header,
    bot_header,
    make_enterprise,
    make_ticket,
    make_token,
    make_user,
    reset_database,
)

ROLES = ("anonymous", "enterprise_a", "enterprise_b", "telegram_unbound", "staff_queue", "staff_other", "admin")
NEW, CLAIMED, RESOLVED, TELEGRAM_OWN = "ZD-000001", "ZD-000002", "ZD-000003", "ZD-000004"
TELEGRAM_ID = 4242
NEW_PASSWORD = "violet-harbour-73"
PICKED = "sichuan-hitech-zones-draft#10"
PDF_FILE = {"file": ("证明.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")}


@dataclass(frozen=True)
class Case:
    """One route and the status each role gets, in ROLES order."""

    method: str
    path: str
    expect: tuple[int, ...]
    body: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None  # a multipart upload instead of a JSON body


def enterprise_route(ok: int) -> tuple[int, ...]:
    """A route on enterprise A's ticket."""
    return (401, ok, 404, 404, 403, 403, 403)


def staff_route(ok: int) -> tuple[int, ...]:
    """A route on a talent-queue ticket."""
    return (401, 403, 403, 403, ok, 404, ok)


def admin_route(ok: int) -> tuple[int, ...]:
    """An admin-only route."""
    return (401, 403, 403, 403, 403, 403, ok)


REQUEST = {"category": "housing", "subject": "人才公寓", "body": "如何申请？", "contact": "028-1"}
FAQ_ENTRY = {"question": "食堂补贴怎么申请", "answer": "综合办受理。", "measure_ids": ["13"]}
POLICY_TEXT = {
    "document_id": "demo-notice",
    "text": "一、总则\n（一）支持研发。对研发投入给予补助。（牵头单位：科技局）\n",
}
CASES = [
    Case("POST", "/auth/login", (200,) * 7, {"username": "staff-queue", "password": PASSWORD}),
    Case("GET", "/auth/me", (401, 200, 200, 200, 200, 200, 200)),
    Case("POST", "/auth/logout", (401, 204, 204, 204, 204, 204, 204)),
    Case("POST", "/auth/revoke-all", (401, 204, 204, 204, 204, 204, 204)),
    # Only staff-queue has a password; accounts without one (Telegram users included) cannot change it.
    Case(
        "POST",
        "/auth/password",
        (401, 422, 422, 422, 204, 422, 422),
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    ),
    Case("POST", "/auth/bind", (401, 200, 200, 200, 403, 403, 403), {"uscc": "$uscc_a", "binding_code": "$code_a"}),
    Case("POST", "/auth/telegram-code", (401, 403, 403, 403, 201, 201, 403)),
    # Only the bot (its service token) spends a code; a wrong one is refused.
    Case("POST", "/auth/telegram-link", (401, 403, 403, 403, 403, 403, 403), {"code": "WRONGCOD"}),
    Case("POST", "/requests", (401, 201, 201, 201, 403, 403, 403), REQUEST),
    Case("GET", "/requests", (401, 200, 200, 200, 403, 403, 403)),
    Case("GET", f"/requests/{NEW}", enterprise_route(200)),
    Case("GET", f"/requests/{TELEGRAM_OWN}", (401, 404, 404, 200, 403, 403, 403)),
    Case("POST", f"/requests/{NEW}/messages", enterprise_route(200), {"body": "补充材料"}),
    Case("POST", f"/requests/{NEW}/cancel", enterprise_route(200), {"reason": "不需要了"}),
    Case("POST", f"/requests/{RESOLVED}/rating", enterprise_route(200), {"score": 5, "comment": "好"}),
    Case("GET", "/categories", (200,) * 7),
    Case("POST", "/ask", (200,) * 7, {"text": "人才公寓怎么申请"}),
    Case("POST", "/ask/pick", (201,) * 7, {"text": "公寓", "choice": "none", "offered": [PICKED]}),
    Case("GET", "/facts", (200,) * 7),
    Case("POST", "/feedback", (401, 201, 201, 201, 201, 201, 201), {"text": "人才公寓", "helpful": True}),
    Case("GET", "/admin/feedback", admin_route(200)),
    Case("GET", "/profile", (401, 200, 200, 200, 403, 403, 403)),
    Case("PUT", "/profile", (401, 200, 200, 200, 403, 403, 403), {"profile": {"zone_level": "national"}}),
    Case("GET", "/clauses", (200,) * 7),
    Case("POST", "/eligibility/check", (200,) * 7, {"profile": {"zone_level": "national"}}),
    Case("GET", "/queues", (401, 403, 403, 403, 200, 200, 200)),
    Case("GET", "/queues/talent/tickets", (401, 403, 403, 403, 200, 403, 200)),
    Case("GET", f"/tickets/{NEW}", staff_route(200)),
    Case("POST", f"/tickets/{NEW}/claim", staff_route(200)),
    Case("POST", f"/tickets/{NEW}/reply", staff_route(200), {"version": 1, "body": "您好"}),
    Case("POST", f"/tickets/{NEW}/note", staff_route(200), {"version": 1, "body": "内部备注"}),
    Case("POST", f"/tickets/{CLAIMED}/wait", staff_route(200), {"version": 2, "body": "请补充材料"}),
    Case("POST", f"/tickets/{NEW}/transfer", staff_route(200), {"version": 1, "queue": "approvals"}),
    Case("POST", f"/tickets/{CLAIMED}/resolve", staff_route(200), {"version": 2, "body": "已办结"}),
    Case("POST", f"/tickets/{CLAIMED}/materials", staff_route(200), {"version": 2, "received": ["申请人身份证复印件"]}),
    Case("POST", f"/requests/{NEW}/attachments", enterprise_route(201), files=PDF_FILE),
    Case("POST", f"/tickets/{NEW}/attachments", staff_route(201), files=PDF_FILE),
    Case("GET", "/attachments/1", (401, 200, 404, 404, 200, 404, 200)),
    Case("GET", "/ratings", (401, 403, 403, 403, 200, 200, 200)),
    Case("POST", f"/tickets/{RESOLVED}/rectification", staff_route(409), {"version": 3, "note": "已回访"}),
    Case("GET", "/admin/categories/housing/guide", admin_route(200)),
    Case(
        "PUT",
        "/admin/categories/housing/guide",
        admin_route(200),
        {"materials": ["身份证"], "promised_days": 5, "statutory_days": 10},
    ),
    # 督办: the queue's supervisors and admins supervise (staff_queue is a plain member); assignees acknowledge.
    Case("GET", f"/tickets/{NEW}/supervisions", staff_route(200)),
    Case("POST", f"/tickets/{NEW}/supervisions", (401, 403, 403, 403, 403, 404, 201), {"body": "请加快办理"}),
    Case("POST", f"/tickets/{NEW}/supervisions/1/acknowledge", (401, 403, 403, 403, 404, 404, 404)),
    Case("GET", "/supervisions/pending", (401, 403, 403, 403, 200, 200, 200)),
    Case("GET", "/queues/targets", (401, 403, 403, 403, 200, 200, 200)),
    Case("GET", "/queues/talent/canned-replies", (401, 403, 403, 403, 200, 403, 200)),
    Case(
        "POST",
        "/queues/talent/canned-replies",
        (401, 403, 403, 403, 403, 403, 201),
        {"title": "材料", "body": "请补充"},
    ),
    Case("PATCH", "/queues/talent/canned-replies/1", (401, 403, 403, 403, 403, 403, 404), {"title": "材料"}),
    Case("DELETE", "/queues/talent/canned-replies/1", (401, 403, 403, 403, 403, 403, 404)),
    # Reports: admins and queue supervisors (nobody here supervises a queue, so staff are refused).
    Case("GET", "/reports/tickets", (401, 403, 403, 403, 403, 403, 200)),
    Case("GET", "/reports/tickets.csv", (401, 403, 403, 403, 403, 403, 200)),
    Case("GET", "/admin/queues", admin_route(200)),
    Case("POST", "/admin/queues", admin_route(201), {"key": "tax", "name": "税务窗口", "department": "税务局"}),
    Case("PATCH", "/admin/queues/talent", admin_route(200), {"sla_hours": 8}),
    Case("GET", "/admin/queues/talent/members", admin_route(200)),
    Case("PUT", "/admin/queues/talent/members/staff-other", admin_route(204)),
    Case("DELETE", "/admin/queues/talent/members/staff-queue", admin_route(204)),
    Case("GET", "/admin/routing", admin_route(200)),
    Case("PUT", "/admin/routing/housing", admin_route(200), {"queue": "front-desk"}),
    Case("GET", "/admin/enterprises", admin_route(200)),
    Case("POST", "/admin/enterprises", admin_route(201), {"name": "华为", "uscc": "914403001922038216"}),
    Case("GET", "/admin/calendar/2027", admin_route(200)),
    Case("PUT", "/admin/calendar/2027", admin_route(200), {"holidays": ["2027-01-01"], "workdays": []}),
    Case("GET", "/admin/users", admin_route(200)),
    Case("POST", "/admin/users", admin_route(201), {"username": "new-staff", "password": PASSWORD, "role": "staff"}),
    Case("POST", "/admin/users/staff-other/disable", admin_route(200)),
    Case("POST", "/admin/users/staff-other/enable", admin_route(200)),
    Case("POST", "/admin/users/staff-other/password", admin_route(204), {"password": NEW_PASSWORD}),
    Case("POST", "/admin/users/staff-other/revoke-tokens", admin_route(204)),
    # The admin routes the web pages use (api/faqs, api/eligibility).
    Case("GET", "/admin/faq", admin_route(200)),
    Case("GET", "/admin/faq/index", admin_route(200)),
    Case("POST", "/admin/faq", admin_route(201), FAQ_ENTRY),
    Case("GET", "/admin/faq/1", admin_route(404)),
    Case("PUT", "/admin/faq/1", admin_route(404), {**FAQ_ENTRY, "version": 1}),
    Case("POST", "/admin/faq/1/unpublish", admin_route(404), {**FAQ_ENTRY, "version": 1}),
    Case("POST", "/admin/faq/preview", admin_route(200), FAQ_ENTRY),
    Case("GET", "/admin/unanswered/clusters", admin_route(200)),
    Case("GET", "/admin/unanswered", admin_route(200)),
    Case("POST", "/admin/unanswered/1/dismiss", admin_route(200)),
    Case("GET", "/admin/picks", admin_route(200)),
    Case("POST", "/admin/picks/1/accept", admin_route(200)),
    Case("POST", "/admin/documents/preview", admin_route(200), POLICY_TEXT),
    Case("POST", "/admin/documents", admin_route(201), POLICY_TEXT),
    Case("PATCH", "/admin/documents/sichuan-hitech-zones-draft", admin_route(200), {"doc_number": "川科发〔2026〕1号"}),
    Case("POST", "/admin/documents/sichuan-hitech-zones-draft/retire", admin_route(200)),
    Case("POST", "/admin/clauses/validate", admin_route(200), {"text": "- id: m8-x\n"}),
    Case("POST", "/admin/clauses", admin_route(422), {"text": "- id: m8-x\n"}),
    Case("POST", "/admin/clauses/drafts", admin_route(200), {"measure_id": "sichuan-hitech-zones-draft#11"}),
    Case(
        "POST",
        "/admin/facts",
        admin_route(201),
        {"name": "matrix_fact", "type": "bool", "label": {"zh": "是", "en": "y"}, "question": {"zh": "？", "en": "?"}},
    ),
    Case("GET", "/notifications", (401, 200, 200, 200, 403, 403, 403)),
    Case("POST", "/notifications/read", (401, 200, 200, 200, 403, 403, 403), {"ids": [1]}),
    Case("POST", "/notifications/delivered", (401, 200, 200, 200, 403, 403, 403), {"ids": [1]}),
    Case("PUT", "/notifications/settings", (401, 200, 200, 200, 403, 403, 403), {"enabled": True}),
    Case("GET", "/my/policies", (401, 200, 200, 200, 403, 403, 403)),
]
MATRIX = [
    pytest.param(case, role, expected, id=f"{case.method} {case.path} as {role}")
    for case in CASES
    for role, expected in zip(ROLES, case.expect, strict=True)
]


def build_world(session: Session) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The actors and tickets every case starts from: headers per role and the values bodies refer to."""
    acme, other = make_enterprise(session, "甲公司"), make_enterprise(session, "乙公司")
    ent_a = make_user(session, Role.ENTERPRISE, username="enterprise-a", enterprise=acme)
    ent_b = make_user(session, Role.ENTERPRISE, username="enterprise-b", enterprise=other)
    staff = make_user(session, Role.STAFF, username="staff-queue", queues=["talent"], with_password=True)
    staff_other = make_user(session, Role.STAFF, username="staff-other", queues=["approvals"])
    admin = make_user(session, Role.ADMIN, username="admin")
    telegram = make_user(session, Role.ENTERPRISE, username=None, telegram_user_id=TELEGRAM_ID)
    new, claimed, resolved = (make_ticket(session, ent_a) for _ in range(3))
    own = make_ticket(session, telegram)
    assert (new.number, claimed.number, resolved.number, own.number) == (NEW, CLAIMED, RESOLVED, TELEGRAM_OWN)
    record_unanswered(session=session, text="食堂几点开门", normalized_text="食堂几点开门")
    record_pick(
        session=session, user_id=None, text="公寓", choice=PickChoice.MEASURE, measure_id=PICKED, offered=[PICKED]
    )
    claim_ticket(session=session, ticket=claimed, staff=staff)
    assert new.id is not None
    session.add(
        TicketAttachment(
            ticket_id=new.id,
            author_role=Role.ENTERPRISE,
            name="a.pdf",
            content_type="application/pdf",
            size=4,
            data=b"%PDF",
        )
    )
    claim_ticket(session=session, ticket=resolved, staff=staff)
    resolve(session=session, ticket=resolved, staff=staff, version=2, body=None)
    headers = {
        "anonymous": {},
        "telegram_unbound": bot_header(TELEGRAM_ID),
        **{
            role: auth_header(make_token(session, user))
            for role, user in [
                ("enterprise_a", ent_a),
                ("enterprise_b", ent_b),
                ("staff_queue", staff),
                ("staff_other", staff_other),
                ("admin", admin),
            ]
        },
    }
    session.commit()
    return headers, {"$uscc_a": acme.uscc, "$code_a": acme.binding_code}


def _fill(body: dict[str, Any] | None, values: dict[str, str]) -> dict[str, Any] | None:
    if body is None:
        return None
    return {key: values.get(value, value) if isinstance(value, str) else value for key, value in body.items()}


@dataclass(frozen=True)
class World:
    """A built world saved as an SQLite file, restored before each case (much faster than rebuilding)."""

    desk: Desk
    template: Path
    headers: dict[str, dict[str, str]]
    values: dict[str, str]

    def restore(self) -> None:
        """Put the database back to the saved world (after the unanswered re-check a write may have started)."""
        settling = self.desk.app.state.catalog_holder.settling
        if settling is not None:
            settling.result(timeout=60)
        self.desk.engine.dispose()
        database = Path(str(self.desk.engine.url.database))
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, database)
        self.desk.app.state.catalog_holder.refresh()


@pytest.fixture(scope="module")
def world(sqlite_desk_env: tuple[FastAPI, TestClient], tmp_path_factory: pytest.TempPathFactory) -> World:
    app, client = sqlite_desk_env
    app.state.catalog_holder.stop()  # no background reads while the file is swapped under the engine
    app.state.policy_push.stop()
    engine = app.state.engine
    reset_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        headers, values = build_world(session)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    template = tmp_path_factory.mktemp("matrix") / "world.db"
    shutil.copyfile(str(engine.url.database), template)
    desk = Desk(app, client, engine, "sqlite")
    return World(desk, template, headers, values)


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_route_allows_or_refuses_role(world: World, case: Case, role: str, expected: int) -> None:
    world.restore()
    sqlite_desk = world.desk
    headers, values = world.headers, world.values
    headers = {**headers[role], "Idempotency-Key": "matrix"}
    if case.files:
        response = sqlite_desk.client.request(
            case.method, f"/api/v1{case.path}", headers=headers, files=case.files, data=case.body
        )
    else:
        response = sqlite_desk.client.request(
            case.method, f"/api/v1{case.path}", headers=headers, json=_fill(case.body, values)
        )
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["detail"]


def test_matrix_covers_every_desk_route(world: World) -> None:
    sqlite_desk = world.desk
    covered = {(case.method, f"/api/v1{case.path}") for case in CASES}
    routes = {
        (method, path)
        for path, operations in sqlite_desk.app.openapi()["paths"].items()
        for method in (m.upper() for m in operations)
        # /events streams forever: its roles are covered in tests/events/test_event_routes.py and
        # tests/api/test_wiring.py (a live server per viewer).
        if path.startswith("/api/v1/")
        and not path.startswith(("/api/v1/documents", "/api/v1/measures", "/api/v1/events"))
    }
    concrete = {
        (method, path)
        for method, path in routes
        if not any(_matches(path, c_path) and method == c_method for c_method, c_path in covered)
    }
    assert concrete == set()


def _matches(template: str, concrete: str) -> bool:
    parts, actual = template.split("/"), concrete.split("/")
    return len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual, strict=True))
