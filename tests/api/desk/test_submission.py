"""A submission written in one statement (PostgreSQL) answers and writes what the general path does, and
always acts for the requester as they are at that moment."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.tickets.models import AuditEntry, Ticket
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_enterprise, make_token, make_user

REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "13812345678"}


def _submit(desk: Desk, telegram_user_id: int, key: str, body: dict[str, Any] = REQUEST) -> Any:
    return desk.client.post(
        "/api/v1/requests", json=body, headers={**bot_header(telegram_user_id), "Idempotency-Key": key}
    )


def test_the_answer_is_the_request_as_a_later_read_shows_it(desk: Desk) -> None:
    _submit(desk, 3001, "first-sight")  # creates the account: the next one is the common case
    created = _submit(desk, 3001, "seen")
    assert created.status_code == 201
    read = desk.client.get(f"/api/v1/requests/{created.json()['number']}", headers=bot_header(3001))
    assert created.json() == read.json()
    assert created.json()["guide"]["materials"]  # the category's 办事指南, from the cached guides


def test_ticket_audit_and_event_rows_are_those_of_the_general_path(desk: Desk) -> None:
    first = _submit(desk, 3002, "a").json()["number"]  # first sight: the general path
    second = _submit(desk, 3002, "b", {**REQUEST, "category": None}).json()["number"]  # the common case
    with desk.session() as session:
        tickets = {t.number: t for t in session.exec(select(Ticket))}
        events = {e.ticket_number: e for e in session.exec(select(OutboxEvent))}
        audits = {a.ticket_id: a for a in session.exec(select(AuditEntry))}
    a, b = tickets[first], tickets[second]
    assert (b.requester_id, b.enterprise_id, b.status, b.version) == (a.requester_id, None, "new", 1)
    assert b.category == "housing"  # no category given: the suggester's
    assert audits[b.id].action == "created"
    assert audits[b.id].detail == {"category": "housing", "suggested": True}
    assert audits[b.id].actor_id == b.requester_id
    ea, eb = events[first], events[second]
    assert (eb.type, eb.status, eb.queue_key, eb.requester_id, eb.internal) == (
        ea.type,
        ea.status,
        "talent",
        ea.requester_id,
        False,
    )
    assert eb.data == {"number": second, "status": "new", "category": "housing", "subject": REQUEST["subject"]}
    assert ea.id is not None
    assert eb.id is not None
    assert eb.id > ea.id


def test_a_known_requester_submits_in_one_statement_and_one_commit(desk: Desk) -> None:
    if desk.backend != "postgresql":
        pytest.skip("SQLite writes through the general path")
    _submit(desk, 3003, "first-sight")
    statements: list[str] = []
    commits: list[bool] = []

    def on_statement(*args: Any) -> None:
        statements.append(args[2])

    def on_commit(*_args: Any) -> None:
        commits.append(True)

    event.listen(desk.engine, "before_cursor_execute", on_statement)
    event.listen(desk.engine, "commit", on_commit)
    try:
        assert _submit(desk, 3003, "common").status_code == 201
    finally:
        event.remove(desk.engine, "before_cursor_execute", on_statement)
        event.remove(desk.engine, "commit", on_commit)
    assert len(statements) == 1
    assert len(commits) == 1


def test_a_requester_disabled_after_their_first_request_is_refused_and_nothing_is_written(desk: Desk) -> None:
    _submit(desk, 3004, "first")
    with desk.session() as session:
        user = session.exec(select(User).where(User.telegram_user_id == 3004)).one()
        user.is_active = False
        session.add(user)
        session.commit()
    assert _submit(desk, 3004, "second").status_code == 401
    with desk.session() as session:
        assert len(session.exec(select(Ticket)).all()) == 1
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_a_requester_bound_to_an_enterprise_since_submits_for_it(desk: Desk) -> None:
    _submit(desk, 3005, "before")
    with desk.session() as session:
        enterprise = make_enterprise(session)
        user = session.exec(select(User).where(User.telegram_user_id == 3005)).one()
        user.enterprise_id = enterprise.id
        session.add(user)
        session.commit()
        enterprise_id = enterprise.id
    number = _submit(desk, 3005, "after").json()["number"]
    with desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        created = session.exec(select(OutboxEvent).where(col(OutboxEvent.ticket_number) == number)).one()
    assert ticket.enterprise_id == enterprise_id
    assert created.enterprise_id == enterprise_id


def test_linked_staff_acting_through_the_bot_cannot_submit(desk: Desk) -> None:
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, queues=["talent"], telegram_user_id=3006)
        staff.telegram_linked_at = staff.created_at
        session.add(staff)
        session.commit()
    assert _submit(desk, 3006, "k").status_code == 403
    with desk.session() as session:
        assert session.exec(select(Ticket)).all() == []


def test_an_enterprise_user_with_a_bearer_token_submits_for_their_enterprise(desk: Desk) -> None:
    with desk.session() as session:
        enterprise = make_enterprise(session)
        user = make_user(session, Role.ENTERPRISE, enterprise=enterprise)
        headers = auth_header(make_token(session, user))
        session.commit()
        enterprise_id = enterprise.id
    response = desk.client.post("/api/v1/requests", json=REQUEST, headers={**headers, "Idempotency-Key": "web"})
    assert response.status_code == 201
    again = desk.client.post("/api/v1/requests", json=REQUEST, headers={**headers, "Idempotency-Key": "web"})
    assert (again.status_code, again.json()["number"]) == (200, response.json()["number"])
    with desk.session() as session:
        assert session.exec(select(Ticket)).one().enterprise_id == enterprise_id
