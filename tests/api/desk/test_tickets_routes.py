"""The staff API: claim, versions, the status machine, notes, transfer, resolve and rating."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlmodel import col, select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.tickets.models import AuditEntry, Ticket
from common.roles import Role
from common.tickets import TicketStatus
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_ticket, make_token, make_user

REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "028-1234"}


@dataclass
class World:
    staff: dict[str, str]
    other_staff: dict[str, str]
    enterprise: dict[str, str]
    number: str


@pytest.fixture
def world(desk: Desk) -> World:
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, queues=["talent"])
        other = make_user(session, Role.STAFF, queues=["approvals"])
        session.commit()
        staff_h, other_h = auth_header(make_token(session, staff)), auth_header(make_token(session, other))
        session.commit()
    created = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(500), "Idempotency-Key": "w"})
    return World(staff_h, other_h, bot_header(500), created.json()["number"])


def _post(
    desk: Desk, world: World, action: str, body: dict[str, object] | None = None
) -> tuple[int, dict[str, object]]:
    response = desk.client.post(f"/api/v1/tickets/{world.number}/{action}", json=body, headers=world.staff)
    return response.status_code, response.json()


def test_claim_then_second_claim_by_anyone_gets_409(desk: Desk, world: World) -> None:
    status, body = _post(desk, world, "claim")
    assert (status, body["status"], body["version"]) == (200, "claimed", 2)
    again, detail = _post(desk, world, "claim")
    assert again == 409
    assert "转办" in str(detail["detail"])


def test_stale_version_gets_409_and_changes_nothing(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    ok, body = _post(desk, world, "reply", {"version": 2, "body": "请提供劳动合同"})
    assert (ok, body["version"]) == (200, 3)
    stale, detail = _post(desk, world, "reply", {"version": 2, "body": "重复提交"})
    assert stale == 409
    assert "刷新" in str(detail["detail"])
    thread = desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).json()["messages"]
    assert [m["body"] for m in thread] == ["请提供劳动合同"]


def test_resolve_from_new_is_an_invalid_transition(desk: Desk, world: World) -> None:
    status, body = _post(desk, world, "resolve", {"version": 1})
    assert status == 409
    assert str(body["detail"]).startswith("工单当前状态为「待受理」，不能办结")


def test_asking_for_more_on_a_new_ticket_is_an_invalid_transition(desk: Desk, world: World) -> None:
    status, body = _post(desk, world, "wait", {"version": 1, "body": "请补充社保缴纳证明"})
    assert status == 409
    assert str(body["detail"]).startswith("工单当前状态为「待受理」，不能请企业补充材料")
    request = desk.client.get(f"/api/v1/requests/{world.number}", headers=world.enterprise).json()
    assert (request["status"], request["messages"]) == ("new", [])


def test_internal_note_never_reaches_the_enterprise(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "note", {"version": 2, "body": "内部：材料疑似不全"})
    _post(desk, world, "reply", {"version": 3, "body": "已收到，正在办理"})
    staff_view = desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).json()
    assert [(m["body"], m["internal"]) for m in staff_view["messages"]] == [
        ("内部：材料疑似不全", True),
        ("已收到，正在办理", False),
    ]
    enterprise_view = desk.client.get(f"/api/v1/requests/{world.number}", headers=world.enterprise).text
    assert "已收到，正在办理" in enterprise_view
    assert "材料疑似不全" not in enterprise_view
    with desk.session() as session:
        notes = session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.note")).all()
        assert [n.internal for n in notes] == [True]


def test_wait_pauses_the_clock_and_the_enterprise_answer_resumes_it(desk: Desk, world: World) -> None:
    _, claimed = _post(desk, world, "claim")
    status, waiting = _post(desk, world, "wait", {"version": 2, "body": "请补充社保缴纳证明"})
    assert (status, waiting["status"], waiting["sla_paused"], waiting["sla_due_at"]) == (
        200,
        "waiting_enterprise",
        True,
        None,
    )
    answer = desk.client.post(
        f"/api/v1/requests/{world.number}/messages", json={"body": "已上传"}, headers=world.enterprise
    ).json()
    assert (answer["status"], answer["sla_paused"]) == ("claimed", False)
    # The clock restarts with the working minutes it had left: the deadline is (almost) the one it had.
    paused_for = dt.datetime.fromisoformat(str(answer["sla_due_at"])) - dt.datetime.fromisoformat(
        str(claimed["sla_due_at"])
    )
    assert abs(paused_for) < dt.timedelta(minutes=2)


def test_transfer_makes_the_ticket_new_in_the_target_queue(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    status, body = _post(desk, world, "transfer", {"version": 2, "category": "business_license", "reason": "分错类"})
    assert (status, body["status"], body["queue"], body["category"], body["assignee"]) == (
        200,
        "new",
        "approvals",
        "business_license",
        None,
    )
    assert desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).status_code == 404
    claimed = desk.client.post(f"/api/v1/tickets/{world.number}/claim", headers=world.other_staff)
    assert claimed.status_code == 200


def test_rating_once_after_resolve_closes_the_ticket(desk: Desk, world: World) -> None:
    path = f"/api/v1/requests/{world.number}/rating"
    assert desk.client.post(path, json={"score": 5}, headers=world.enterprise).status_code == 409
    _post(desk, world, "claim")
    _post(desk, world, "resolve", {"version": 2, "body": "已办结"})
    rated = desk.client.post(path, json={"score": 4, "comment": "很快"}, headers=world.enterprise)
    assert (rated.status_code, rated.json()["status"], rated.json()["rating"]["score"]) == (200, "closed", 4)
    assert desk.client.post(path, json={"score": 1}, headers=world.enterprise).status_code == 409
    assert desk.client.post(path, json={"score": 6}, headers=world.enterprise).status_code == 422


def test_every_change_writes_its_outbox_event(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "reply", {"version": 2, "body": "你好"})
    _post(desk, world, "resolve", {"version": 3})
    desk.client.post(f"/api/v1/requests/{world.number}/rating", json={"score": 5}, headers=world.enterprise)
    with desk.session() as session:
        events = session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id))).all()
    assert [e.type for e in events] == [
        "ticket.created",
        "ticket.claimed",
        "ticket.message",
        "ticket.resolved",
        "ticket.rated",
        "ticket.closed",
    ]
    assert all(e.data["number"] == world.number and e.data["status"] == e.status for e in events)
    assert events[2].data["author_role"] == "staff"
    assert {e.queue_key for e in events} == {"talent"}


def test_queue_lists_overdue_first_and_counts(desk: Desk, world: World) -> None:
    with desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        late = make_ticket(session, requester)
        late.sla_due_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        session.add(late)
        session.commit()
        late_number = late.number
    listed = desk.client.get("/api/v1/queues/talent/tickets", headers=world.staff).json()
    assert [(t["number"], t["overdue"]) for t in listed["items"]] == [(late_number, True), (world.number, False)]
    queues = desk.client.get("/api/v1/queues", headers=world.staff).json()["items"]
    assert [(q["key"], q["open"], q["overdue"]) for q in queues] == [("talent", 2, 1)]
    assert desk.client.get("/api/v1/queues/talent/tickets?status=resolved", headers=world.staff).json()["total"] == 0
    assert desk.client.get("/api/v1/queues/talent/tickets?status=bogus", headers=world.staff).status_code == 422


def test_ticket_version_column_counts_every_change(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "note", {"version": 2, "body": "备注"})
    with desk.session() as session:
        assert session.exec(select(Ticket.version).where(Ticket.number == world.number)).one() == 3


def test_threads_name_staff_and_hide_the_enterprise_user_behind_a_role(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "wait", {"version": 2, "body": "请补充社保缴纳证明"})
    desk.client.post(f"/api/v1/requests/{world.number}/messages", json={"body": "已上传"}, headers=world.enterprise)
    staff_view = desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).json()
    staff_name = staff_view["assignee"]
    assert staff_name is not None
    assert staff_name.startswith("staff-")
    assert (staff_view["category_name"], staff_view["queue_name"]) == ("人才住房保障", "人才服务窗口")
    assert [(m["author_role"], m["author_name"], m["internal"]) for m in staff_view["messages"]] == [
        ("staff", staff_name, False),
        ("enterprise", "tg:500", False),
    ]
    enterprise_view = desk.client.get(f"/api/v1/requests/{world.number}", headers=world.enterprise).json()
    assert enterprise_view["category_name"] == "人才住房保障"
    assert [(m["author_name"], m["body"]) for m in enterprise_view["messages"]] == [
        (staff_name, "请补充社保缴纳证明"),
        ("企业用户", "已上传"),
    ]


def test_transfer_and_rating_events_carry_their_details(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "transfer", {"version": 2, "queue": "approvals"})
    with desk.session() as session:
        transferred = session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.transferred")).all()
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "transferred")).one()
    assert [(e.queue_key, e.internal, e.data["from_queue"], e.data["to_queue"]) for e in transferred] == [
        ("approvals", False, "talent", "approvals"),
        ("talent", True, "talent", "approvals"),
    ]
    assert (audit.detail["from_queue"], audit.detail["to_queue"], audit.detail["category"]) == (
        "talent",
        "approvals",
        "housing",
    )
    username = desk.client.get("/api/v1/auth/me", headers=world.staff).json()["username"]
    with desk.session() as session:
        staff = session.exec(select(User).where(User.username == username)).one()
    assert audit.actor_id == staff.id


def test_rating_event_carries_the_score(desk: Desk, world: World) -> None:
    _post(desk, world, "claim")
    _post(desk, world, "resolve", {"version": 2})
    desk.client.post(f"/api/v1/requests/{world.number}/rating", json={"score": 2}, headers=world.enterprise)
    with desk.session() as session:
        rated = session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.rated")).one()
    assert rated.data["score"] == 2


def test_staff_outside_the_queue_are_told_they_do_not_work_it(desk: Desk, world: World) -> None:
    response = desk.client.get("/api/v1/queues/talent/tickets", headers=world.other_staff)
    assert response.status_code == 403
    assert "不是该队列的工作人员" in str(response.json()["detail"])


def test_the_creation_audit_says_whether_the_category_was_suggested(desk: Desk, world: World) -> None:
    free_text = {"subject": "营业执照", "body": "想办营业执照", "contact": "028-1234"}
    desk.client.post("/api/v1/requests", json=free_text, headers={**bot_header(501), "Idempotency-Key": "s"})
    with desk.session() as session:
        created = session.exec(select(AuditEntry).where(AuditEntry.action == "created")).all()
    assert [entry.detail["suggested"] for entry in created] == [False, True]


def test_overdue_tickets_come_before_closed_ones_that_were_due_earlier(desk: Desk, world: World) -> None:
    with desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        done, late = make_ticket(session, requester), make_ticket(session, requester)
        done.status, done.sla_due_at = TicketStatus.RESOLVED, dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        late.sla_due_at = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)
        session.add_all([done, late])
        session.commit()
        numbers = (late.number, done.number)
    listed = desk.client.get("/api/v1/queues/talent/tickets?status=all", headers=world.staff).json()
    assert [t["number"] for t in listed["items"]][:2] == list(numbers)
