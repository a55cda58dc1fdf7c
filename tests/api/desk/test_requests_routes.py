"""The enterprise API: submission, idempotent retries, visibility, messages, cancel and rating."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.events.models import OutboxEvent
from api.tickets.models import Ticket
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_enterprise, make_ticket, make_token, make_user

REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "13812345678"}


def _enterprise_user(desk: Desk, enterprise_name: str | None = None) -> dict[str, str]:
    with desk.session() as session:
        enterprise = make_enterprise(session, enterprise_name)
        user = make_user(session, Role.ENTERPRISE, enterprise=enterprise)
        token = make_token(session, user)
        session.commit()
    return auth_header(token)


def test_submission_routes_by_category_and_numbers_the_ticket(desk: Desk) -> None:
    response = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(1001), "Idempotency-Key": "a"})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "ZD-000001"
    assert (body["status"], body["category"], body["queue"]) == ("new", "housing", "talent")
    assert body["sla_due_at"] is not None
    assert "id" not in body


def test_retry_with_same_key_returns_the_first_ticket_with_200(desk: Desk) -> None:
    headers = {**bot_header(1002), "Idempotency-Key": "retry-1"}
    first = desk.client.post("/api/v1/requests", json=REQUEST, headers=headers)
    again = desk.client.post("/api/v1/requests", json=REQUEST, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    with desk.session() as session:
        assert len(session.exec(select(Ticket)).all()) == 1
        assert len(session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.created")).all()) == 1


def test_same_key_with_a_different_body_is_refused_with_a_message(desk: Desk) -> None:
    headers = {**bot_header(1003), "Idempotency-Key": "k"}
    desk.client.post("/api/v1/requests", json=REQUEST, headers=headers)
    response = desk.client.post("/api/v1/requests", json={**REQUEST, "body": "别的内容"}, headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_same_key_from_another_requester_opens_its_own_ticket(desk: Desk) -> None:
    a = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(1), "Idempotency-Key": "same"})
    b = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(2), "Idempotency-Key": "same"})
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["number"] != b.json()["number"]


def test_missing_idempotency_key_is_422(desk: Desk) -> None:
    response = desk.client.post("/api/v1/requests", json=REQUEST, headers=bot_header(1004))
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_unknown_category_is_422_in_chinese(desk: Desk) -> None:
    response = desk.client.post(
        "/api/v1/requests",
        json={**REQUEST, "category": "spaceflight"},
        headers={**bot_header(5), "Idempotency-Key": "x"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("没有这个服务类别")


def test_free_text_request_takes_the_suggested_category(desk: Desk) -> None:
    desk.app.state.category_suggester = lambda text: "work_permit" if "工作许可" in text else None
    try:
        free = {"subject": "外籍员工工作许可", "body": "如何办理？", "contact": "王先生"}
        routed = desk.client.post("/api/v1/requests", json=free, headers={**bot_header(6), "Idempotency-Key": "1"})
        other = {"subject": "咨询", "body": "随便问问", "contact": "王先生"}
        fallback = desk.client.post("/api/v1/requests", json=other, headers={**bot_header(6), "Idempotency-Key": "2"})
    finally:
        desk.app.state.category_suggester = lambda _text: None
    assert (routed.json()["category"], routed.json()["queue"]) == ("work_permit", "foreign-talent")
    assert (fallback.json()["category"], fallback.json()["queue"]) == ("other", "front-desk")


def test_unbound_telegram_user_sees_only_own_tickets(desk: Desk) -> None:
    desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(7), "Idempotency-Key": "1"})
    desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(8), "Idempotency-Key": "1"})
    mine = desk.client.get("/api/v1/requests", headers=bot_header(7)).json()
    assert mine["total"] == 1
    assert mine["items"][0]["number"] == "ZD-000001"
    assert desk.client.get("/api/v1/requests/ZD-000002", headers=bot_header(7)).status_code == 404


def test_bound_user_sees_the_enterprise_tickets_and_not_another_enterprise(desk: Desk) -> None:
    with desk.session() as session:
        acme, other = make_enterprise(session, "甲公司"), make_enterprise(session, "乙公司")
        alice = make_user(session, Role.ENTERPRISE, enterprise=acme)
        bob = make_user(session, Role.ENTERPRISE, enterprise=acme)
        carol = make_user(session, Role.ENTERPRISE, enterprise=other)
        number = make_ticket(session, alice).number
        tokens = {name: make_token(session, user) for name, user in [("bob", bob), ("carol", carol)]}
        session.commit()
    assert desk.client.get(f"/api/v1/requests/{number}", headers=auth_header(tokens["bob"])).status_code == 200
    assert desk.client.get("/api/v1/requests", headers=auth_header(tokens["bob"])).json()["total"] == 1
    refused = desk.client.get(f"/api/v1/requests/{number}", headers=auth_header(tokens["carol"]))
    assert refused.status_code == 404
    assert desk.client.get("/api/v1/requests", headers=auth_header(tokens["carol"])).json()["total"] == 0


def test_binding_with_the_zone_issued_code_shares_the_enterprise_tickets(desk: Desk) -> None:
    with desk.session() as session:
        acme = make_enterprise(session, "甲公司")
        colleague = make_user(session, Role.ENTERPRISE, enterprise=acme)
        number = make_ticket(session, colleague).number
        session.commit()
    wrong = {"uscc": acme.uscc, "binding_code": "WRONG"}
    assert desk.client.post("/api/v1/auth/bind", json=wrong, headers=bot_header(9)).status_code == 404
    bound = desk.client.post(
        "/api/v1/auth/bind", json={"uscc": acme.uscc, "binding_code": acme.binding_code}, headers=bot_header(9)
    )
    assert bound.status_code == 200
    assert bound.json()["enterprise"] == {"name": "甲公司", "uscc": acme.uscc}
    assert desk.client.get(f"/api/v1/requests/{number}", headers=bot_header(9)).status_code == 200


def test_list_is_paged_with_total(desk: Desk) -> None:
    for key in range(3):
        desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(10), "Idempotency-Key": str(key)})
    page = desk.client.get("/api/v1/requests?limit=2&offset=1", headers=bot_header(10)).json()
    assert page["total"] == 3
    assert [item["number"] for item in page["items"]] == ["ZD-000002", "ZD-000001"]
    assert desk.client.get("/api/v1/requests?limit=201", headers=bot_header(10)).status_code == 422


def test_cancel_then_further_messages_are_409(desk: Desk) -> None:
    headers = bot_header(11)
    number = desk.client.post("/api/v1/requests", json=REQUEST, headers={**headers, "Idempotency-Key": "1"}).json()[
        "number"
    ]
    cancelled = desk.client.post(f"/api/v1/requests/{number}/cancel", json={"reason": "已自行解决"}, headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    late = desk.client.post(f"/api/v1/requests/{number}/messages", json={"body": "还在吗"}, headers=headers)
    assert late.status_code == 409
    assert late.json()["detail"].startswith("工单当前状态为「已撤销」")


def test_categories_list_names_and_queues(desk: Desk) -> None:
    body = desk.client.get("/api/v1/categories").json()
    assert body["total"] == 8
    named = [{key: item[key] for key in ("category", "name", "queue")} for item in body["items"]]
    assert {"category": "work_permit", "name": "外国人来华工作许可", "queue": "foreign-talent"} in named


def test_ticket_and_event_commit_together_or_not_at_all(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_emit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("api.tickets.service.emit", broken_emit)
    client = TestClient(desk.app, raise_server_exceptions=False)
    response = client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(12), "Idempotency-Key": "1"})
    assert response.status_code == 500
    with desk.session() as session:
        assert session.exec(select(Ticket)).all() == []
        assert session.exec(select(OutboxEvent)).all() == []


def test_tickets_sent_before_binding_stay_visible_and_staff_see_the_enterprise(desk: Desk) -> None:
    with desk.session() as session:
        acme = make_enterprise(session, "甲公司")
        staff = make_user(session, Role.STAFF, queues=["talent"])
        staff_headers = auth_header(make_token(session, staff))
        session.commit()
    earlier = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(11), "Idempotency-Key": "1"})
    binding = {"uscc": acme.uscc, "binding_code": acme.binding_code}
    assert desk.client.post("/api/v1/auth/bind", json=binding, headers=bot_header(11)).status_code == 200
    later = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(11), "Idempotency-Key": "2"})
    mine = desk.client.get("/api/v1/requests", headers=bot_header(11)).json()
    assert {item["number"] for item in mine["items"]} == {earlier.json()["number"], later.json()["number"]}
    seen_by_staff = desk.client.get(f"/api/v1/tickets/{later.json()['number']}", headers=staff_headers).json()
    assert (seen_by_staff["enterprise"], seen_by_staff["enterprise_uscc"]) == ("甲公司", acme.uscc)
    unbound = desk.client.get(f"/api/v1/tickets/{earlier.json()['number']}", headers=staff_headers).json()
    assert unbound["enterprise"] is None
