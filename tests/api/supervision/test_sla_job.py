"""The SLA job: 预警 at 75 %, 超时 when due, auto-close after 5 working days; once across replicas and restarts."""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select, update

from api.auth.models import User
from api.calendar.service import load_calendar
from api.calendar.worktime import add_working_minutes, working_minutes_between
from api.db import make_engine
from api.events.models import OutboxEvent
from api.main import create_app
from api.schema import prepare_database
from api.settings import Settings
from api.supervision.models import JobLease
from api.supervision.runner import JOB_NAME, SlaJob
from api.supervision.sla_job import AUTO_CLOSE_MINUTES, run_sla_tick
from api.tickets.models import Ticket
from api.tickets.service import add_enterprise_message
from api.unit_of_work import UnitOfWork
from common.tickets import EventType
from policy_index.library import PolicyLibrary
from tests.api.conftest import Desk
from tests.api.supervision.conftest import Window, open_request
from tests.factories import SERVICE_TOKEN, bot_header

MINUTE = dt.timedelta(minutes=1)


def _events(desk: Desk, type: EventType) -> list[OutboxEvent]:
    with desk.session() as session:
        return list(session.exec(select(OutboxEvent).where(OutboxEvent.type == type).order_by(col(OutboxEvent.id))))


def _due(desk: Desk, window: Window) -> dt.datetime:
    due = window.ticket(desk).sla_due_at
    assert due is not None
    return due


def _job(desk: Desk, owner: str = "replica-a") -> SlaJob:
    return SlaJob(desk.engine, None, interval=60, owner=owner)


def test_nothing_is_announced_before_three_quarters_of_the_time(desk: Desk, window: Window) -> None:
    result = _job(desk).tick(lambda: window.ticket(desk).created_at)
    assert result is not None
    assert (result.warned, result.breached, result.closed) == ([], [], [])
    assert _events(desk, EventType.SLA_WARNING) == []


def test_three_quarters_of_the_time_warns_the_assignee_once(desk: Desk, window: Window) -> None:
    now = _due(desk, window) - MINUTE
    job = _job(desk)
    first, second = job.tick(lambda: now), job.tick(lambda: now + MINUTE / 2)
    assert first is not None
    assert first.warned == [window.number]
    assert second is not None
    assert second.warned == []
    [event] = _events(desk, EventType.SLA_WARNING)
    assert (event.queue_key, event.internal, event.requester_id) == ("talent", True, None)
    assert event.data["assignee"] == "wang"
    assert event.data["number"] == window.number
    assert event.data["remaining_minutes"] <= 1
    flags = desk.client.get(f"/api/v1/tickets/{window.number}/supervisions", headers=window.assignee).json()
    assert (flags["sla_warned_at"] is not None, flags["breached"]) == (True, False)


def test_the_enterprise_never_sees_an_alert(desk: Desk, window: Window) -> None:
    _job(desk).tick(lambda: _due(desk, window) + MINUTE)
    with desk.session() as session:
        ticket = window.ticket(desk)
        visible = session.exec(
            select(OutboxEvent).where(
                OutboxEvent.requester_id == ticket.requester_id, col(OutboxEvent.type).like("ticket.sla%")
            )
        ).all()
    assert visible == []


def test_breach_flags_the_ticket_and_names_the_queue_supervisors(desk: Desk, window: Window) -> None:
    result = _job(desk).tick(lambda: _due(desk, window) + MINUTE)
    assert result is not None
    assert (result.warned, result.breached) == ([], [window.number])  # past due: the breach says it all
    [event] = _events(desk, EventType.SLA_BREACHED)
    assert (event.data["supervisors"], event.data["assignee"], event.internal) == (["zhao"], "wang", True)
    flags = desk.client.get(f"/api/v1/tickets/{window.number}/supervisions", headers=window.supervisor).json()
    assert flags["breached"] is True
    again = _job(desk).tick(lambda: _due(desk, window) + 10 * MINUTE)
    assert again is not None
    assert again.breached == []


def test_a_paused_ticket_is_not_warned_and_a_new_due_time_warns_again(desk: Desk, window: Window) -> None:
    job = _job(desk)
    first_due = _due(desk, window)
    job.tick(lambda: first_due - MINUTE)
    version = window.ticket(desk).version
    asked = desk.client.post(
        f"/api/v1/tickets/{window.number}/wait",
        json={"version": version, "body": "请补充劳动合同"},
        headers=window.assignee,
    )
    assert asked.status_code == 200
    far = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    paused = job.tick(lambda: far)
    assert paused is not None
    assert (paused.warned, paused.breached) == ([], [])
    with desk.session() as session:
        calendar = load_calendar(session=session)
    # The enterprise answers one working hour after the pause (at any hour the suite runs), so the
    # restarted clock has a new due time; outside working hours a pause of minutes would not move it.
    paused_at = window.ticket(desk).updated_at
    answered_at = add_working_minutes(calendar, paused_at, 60).due_at
    with desk.session() as session, UnitOfWork(session):
        ticket = session.exec(select(Ticket).where(Ticket.number == window.number)).one()
        author = session.get(User, ticket.requester_id)
        assert author is not None
        add_enterprise_message(session=session, ticket=ticket, author=author, body="已上传", now=answered_at)
    assert _due(desk, window) > first_due
    resumed = job.tick(lambda: _due(desk, window) - MINUTE)
    assert resumed is not None
    assert resumed.warned == [window.number]
    assert len(_events(desk, EventType.SLA_WARNING)) == 2


def test_two_replicas_alert_once_and_a_restart_alerts_nothing_again(desk: Desk, window: Window) -> None:
    now = _due(desk, window) + MINUTE
    second_engine = make_engine(desk.engine.url.render_as_string(hide_password=False))
    try:
        a, b = _job(desk, "replica-a"), SlaJob(second_engine, None, interval=60, owner="replica-b")
        ran_a, ran_b = a.tick(lambda: now), b.tick(lambda: now)
        assert ran_a is not None
        assert ran_a.breached == [window.number]
        assert ran_b is None  # the lease is a's
        a.release()  # a stops (shutdown): b takes over at once
        assert a.tick(lambda: now) is None  # a stopped job never takes the lease back (a tick still in flight)
        restarted = b.tick(lambda: now + MINUTE)
        assert restarted is not None
        assert restarted.breached == []
        # b dies without releasing: a new replica takes over once the lease expired, and alerts nothing again
        c = _job(desk, "replica-c")
        assert c.tick(lambda: now + 2 * MINUTE) is None
        later = c.tick(lambda: now + b.ttl + 3 * MINUTE)
        assert later is not None
        assert later.breached == []
    finally:
        second_engine.dispose()
    assert len(_events(desk, EventType.SLA_BREACHED)) == 1


def test_concurrent_ticks_without_the_lease_still_alert_once(desk: Desk, window: Window) -> None:
    now = _due(desk, window) + MINUTE
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def tick() -> None:
        with Session(desk.engine, expire_on_commit=False) as session:
            barrier.wait()
            with UnitOfWork(session):
                results.append(run_sla_tick(session=session, now=now))

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(len(r.breached) for r in results) == [0, 1]
    assert len(_events(desk, EventType.SLA_BREACHED)) == 1


def test_resolved_ticket_closes_after_five_working_days_without_rating(desk: Desk, window: Window) -> None:
    version = window.ticket(desk).version
    resolved = desk.client.post(
        f"/api/v1/tickets/{window.number}/resolve", json={"version": version, "body": "已办结"}, headers=window.assignee
    )
    assert resolved.status_code == 200
    resolved_at = window.ticket(desk).resolved_at
    assert resolved_at is not None
    with desk.session() as session:
        deadline = add_working_minutes(load_calendar(session=session), resolved_at, AUTO_CLOSE_MINUTES).due_at
    job = _job(desk)
    early = job.tick(lambda: deadline - MINUTE)
    assert early is not None
    assert early.closed == []
    assert window.ticket(desk).status == "resolved"
    on_time = job.tick(lambda: deadline)
    assert on_time is not None
    assert on_time.closed == [window.number]
    request = desk.client.get(f"/api/v1/requests/{window.number}", headers=window.enterprise).json()
    assert request["status"] == "closed"
    [event] = [e for e in _events(desk, EventType.CLOSED) if e.data.get("auto_closed")]
    assert event.internal is False  # the enterprise hears its request was closed
    assert "自动关闭" in event.data["body"]
    *_, closing = request["history"]
    assert (closing["action"], closing["status"], closing["author_name"]) == ("closed", "closed", "系统")
    assert "5个工作日未评价" in closing["body"]
    staff_view = desk.client.get(f"/api/v1/tickets/{window.number}", headers=window.assignee).json()
    assert [c["action"] for c in staff_view["history"]][-2:] == ["resolved", "closed"]
    rating = desk.client.post(f"/api/v1/requests/{window.number}/rating", json={"score": 5}, headers=window.enterprise)
    assert rating.status_code == 409
    assert job.tick(lambda: deadline + MINUTE) is not None
    assert len([e for e in _events(desk, EventType.CLOSED) if e.data.get("auto_closed")]) == 1


def test_a_rated_ticket_is_never_auto_closed_again(desk: Desk, window: Window) -> None:
    version = window.ticket(desk).version
    desk.client.post(f"/api/v1/tickets/{window.number}/resolve", json={"version": version}, headers=window.assignee)
    rated = desk.client.post(f"/api/v1/requests/{window.number}/rating", json={"score": 4}, headers=window.enterprise)
    assert rated.status_code == 200
    result = _job(desk).tick(lambda: dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    assert result is not None
    assert result.closed == []


def test_the_app_runs_the_job_and_frees_its_lease_on_shutdown(tmp_path: Path, library: PolicyLibrary) -> None:
    url = f"sqlite:///{tmp_path / 'job.db'}"
    settings = Settings(database_url=url, bot_service_token=SERVICE_TOKEN, sla_job_seconds=0.2)
    app = create_app(settings, library=library)
    prepare_database(app.state.engine)
    try:
        with TestClient(app) as client:
            desk = Desk(app, client, app.state.engine, "sqlite")
            number = open_request(desk, bot_header(900), "job")
            # A write transaction from the start (IMMEDIATE on SQLite): the job ticks beside this test.
            with desk.session() as session, UnitOfWork(session):
                overdue = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # long overdue
                session.exec(update(Ticket).where(col(Ticket.number) == number).values(sla_due_at=overdue))
            deadline = time.monotonic() + 20
            while not _events(desk, EventType.SLA_BREACHED) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [e.ticket_number for e in _events(desk, EventType.SLA_BREACHED)] == [number]
        with Session(app.state.engine) as session:
            lease = session.get(JobLease, JOB_NAME)
            assert lease is not None
            assert lease.expires_at < dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # released, not left to expire
    finally:
        app.state.engine.dispose()


def test_the_job_is_off_when_its_interval_is_zero(tmp_path: Path, library: PolicyLibrary) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'off.db'}", sla_job_seconds=0)
    app = create_app(settings, library=library)
    try:
        with TestClient(app):
            assert not hasattr(app.state, "sla_job")
    finally:
        app.state.engine.dispose()


def test_the_warning_comes_at_three_quarters_of_the_guides_promised_days(desk: Desk, window: Window) -> None:
    guide = {"materials": ["营业执照"], "promised_days": 4, "statutory_days": 10, "fee": ""}
    put = desk.client.put("/api/v1/admin/categories/housing/guide", json=guide, headers=window.admin)
    assert put.status_code == 200, put.text
    number = open_request(desk, bot_header(701), "four-days")
    with desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        calendar = load_calendar(session=session)
    assert ticket.sla_due_at == add_working_minutes(calendar, ticket.created_at, 4 * 8 * 60).due_at
    three_days = add_working_minutes(calendar, ticket.created_at, 3 * 8 * 60).due_at  # 75 % of 4 working days
    job = _job(desk)
    early = job.tick(lambda: three_days - MINUTE)
    assert early is not None
    assert number not in early.warned
    on_time = job.tick(lambda: three_days)  # a whole working day left: far more than 25 % of the queue's 16 h
    assert on_time is not None
    assert number in on_time.warned


def test_a_restarted_clock_warns_at_three_quarters_of_what_it_had_left(desk: Desk, window: Window) -> None:
    job = _job(desk)
    asked = desk.client.post(
        f"/api/v1/tickets/{window.number}/wait",
        json={"version": window.ticket(desk).version, "body": "请补充劳动合同"},
        headers=window.assignee,
    )
    assert asked.status_code == 200
    answered = desk.client.post(
        f"/api/v1/requests/{window.number}/messages", json={"body": "已上传"}, headers=window.enterprise
    )
    assert answered.status_code == 200
    ticket = window.ticket(desk)
    assert ticket.sla_due_at is not None
    warn_at = ticket.sla_warn_at
    assert warn_at is not None
    with desk.session() as session:
        calendar = load_calendar(session=session)
    restarted = ticket.updated_at
    left = working_minutes_between(calendar, restarted, ticket.sla_due_at)
    assert warn_at == add_working_minutes(calendar, restarted, math.ceil(left * 0.75)).due_at
    assert job.tick(lambda: warn_at - MINUTE) is not None
    assert _events(desk, EventType.SLA_WARNING) == []
    warned = job.tick(lambda: warn_at)
    assert warned is not None
    assert warned.warned == [window.number]
