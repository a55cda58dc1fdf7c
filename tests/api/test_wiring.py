"""The pieces work together: the matcher feeds the desk, the desk feeds the unanswered log and events."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlmodel import select

from api.faqs.models import UnansweredQuestion
from common.roles import Role
from tests.api.conftest import Desk
from tests.events.sse_client import open_stream
from tests.factories import auth_header, bot_header, make_token, make_user


def test_unconfident_question_goes_to_the_unanswered_log(desk: Desk) -> None:
    for _ in range(2):
        response = desk.client.post("/api/v1/ask", json={"text": "食堂中午几点开饭"})
        assert response.status_code == 200
        assert response.json()["confident"] is False
    with desk.session() as session:
        assert session.exec(select(UnansweredQuestion)).all() == []  # queued, not yet written
    assert desk.app.state.unanswered_log.flush() == 1  # one row for both askings
    with desk.session() as session:
        rows = session.exec(select(UnansweredQuestion)).all()
    assert [(row.text, row.count) for row in rows] == [("食堂中午几点开饭", 2)]


def test_confident_answer_is_not_logged(desk: Desk) -> None:
    response = desk.client.post("/api/v1/ask", json={"text": "研发费用加计扣除怎么享受"})
    assert response.json()["confident"] is True
    assert response.json()["matches"][0]["number"] == 13
    assert desk.app.state.unanswered_log.flush() == 0
    with desk.session() as session:
        assert session.exec(select(UnansweredQuestion)).all() == []


def test_free_text_request_gets_the_matchers_category(desk: Desk) -> None:
    response = desk.client.post(
        "/api/v1/requests",
        json={
            "subject": "外籍员工办工作许可",
            "body": "我们新招了一名外籍工程师，想办理外国人来华工作许可",
            "contact": "13800000000",
        },
        headers={**bot_header(4242), "Idempotency-Key": "wiring-1"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["category"] == "work_permit"
    assert response.json()["queue"] == "foreign-talent"


async def test_ticket_changes_stream_to_staff_and_requester_without_internal_notes(live_desk: tuple[Desk, str]) -> None:
    desk, base_url = live_desk
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, queues=["talent"])
        other_staff = make_user(session, Role.STAFF, queues=["approvals"])
        staff_token, other_token = make_token(session, staff), make_token(session, other_staff)
        session.commit()
    requester = bot_header(5151)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        created = await client.post(
            "/api/v1/requests",
            json={"category": "housing", "subject": "人才公寓", "body": "申请人才公寓", "contact": "13800000000"},
            headers={**requester, "Idempotency-Key": "stream-1"},
        )
        number = created.json()["number"]
        claimed = await client.post(f"/api/v1/tickets/{number}/claim", headers=auth_header(staff_token))
        version = claimed.json()["version"]
        noted = await client.post(
            f"/api/v1/tickets/{number}/note",
            json={"body": "内部备注", "version": version},
            headers=auth_header(staff_token),
        )
        await client.post(
            f"/api/v1/tickets/{number}/reply",
            json={"body": "请提供劳动合同", "version": noted.json()["version"]},
            headers=auth_header(staff_token),
        )
    replay = {"Last-Event-ID": "0"}
    async with open_stream(base_url, {**auth_header(staff_token), **replay}) as stream:
        staff_events = [frame.event for frame in await stream.next_events(4)]
    async with open_stream(base_url, {**requester, **replay}) as stream:
        requester_events = await stream.next_events(3)
    assert staff_events == ["ticket.created", "ticket.claimed", "ticket.note", "ticket.message"]
    assert [frame.event for frame in requester_events] == ["ticket.created", "ticket.claimed", "ticket.message"]
    assert all(json.loads("".join(frame.data))["number"] == number for frame in requester_events)
    async with open_stream(base_url, {**auth_header(other_token), **replay}) as stream:
        with pytest.raises(TimeoutError):
            await stream.next_events(1, timeout=3)


async def test_staff_of_the_queue_a_ticket_left_see_it_go(live_desk: tuple[Desk, str]) -> None:
    desk, base_url = live_desk
    with desk.session() as session:
        talent = make_token(session, make_user(session, Role.STAFF, queues=["talent"]))
        approvals = make_token(session, make_user(session, Role.STAFF, queues=["approvals"]))
        session.commit()
    requester = bot_header(6161)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        created = await client.post(
            "/api/v1/requests",
            json={"category": "housing", "subject": "营业执照", "body": "其实是想办营业执照", "contact": "13800000000"},
            headers={**requester, "Idempotency-Key": "transfer-1"},
        )
        number = created.json()["number"]
        moved = await client.post(
            f"/api/v1/tickets/{number}/transfer",
            json={"version": created.json()["version"], "queue": "approvals"},
            headers=auth_header(talent),
        )
        assert moved.status_code == 200, moved.text
    replay = {"Last-Event-ID": "0"}
    async with open_stream(base_url, {**auth_header(talent), **replay}) as stream:
        talent_events = [frame.event for frame in await stream.next_events(2)]
    async with open_stream(base_url, {**auth_header(approvals), **replay}) as stream:
        approvals_events = [frame.event for frame in await stream.next_events(1)]
    async with open_stream(base_url, {**requester, **replay}) as stream:
        requester_events = [frame.event for frame in await stream.next_events(2)]
        with pytest.raises(TimeoutError):  # the staff-only copy never reaches the enterprise
            await stream.next_events(1, timeout=2)
    assert talent_events == ["ticket.created", "ticket.transferred"]
    assert approvals_events == ["ticket.transferred"]
    assert requester_events == ["ticket.created", "ticket.transferred"]
