"""Reports per queue and category: figures on known working times, who may see which queues, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlmodel import select, update

from api.calendar.worktime import BEIJING
from api.ratings.models import Rectification
from api.supervision.models import SlaAlert
from api.tickets.models import Ticket, TicketMessage, TicketRating
from common.tickets import SlaAlertKind
from tests.api.conftest import Desk
from tests.api.supervision.conftest import Window, open_request

MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


def _bj(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, tzinfo=BEIJING).astimezone(dt.UTC)


def _act(desk: Desk, headers: dict[str, str], number: str, action: str, body: dict[str, object] | None = None) -> None:
    with desk.session() as session:
        version = session.exec(select(Ticket.version).where(Ticket.number == number)).one()
    response = desk.client.post(
        f"/api/v1/tickets/{number}/{action}", json={"version": version, **(body or {})}, headers=headers
    )
    assert response.status_code == 200, response.text


def _set(desk: Desk, number: str, **values: object) -> int:
    with desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        session.exec(update(Ticket).where(Ticket.id == ticket.id).values(**values))  # type: ignore[call-overload]
        session.commit()
        assert ticket.id is not None
        return ticket.id


def _march(desk: Desk, window: Window) -> None:
    """Talent: one ticket answered in 90 and resolved in 600 working minutes, in time, rated 5; another never
    answered publicly and resolved late (flagged 超时). Approvals: one ticket opened."""
    first = window.number
    _act(desk, window.assignee, first, "reply", {"body": "您好，请提供材料"})
    _act(desk, window.assignee, first, "resolve", {"body": "已办结"})
    rated = desk.client.post(f"/api/v1/requests/{first}/rating", json={"score": 5}, headers=window.enterprise)
    assert rated.status_code == 200
    first_id = _set(desk, first, created_at=_bj(3, 9), resolved_at=_bj(4, 11), sla_due_at=_bj(4, 17))
    late = open_request(desk, window.enterprise, "late")
    desk.client.post(f"/api/v1/tickets/{late}/claim", headers=window.colleague)
    _act(desk, window.colleague, late, "note", {"body": "内部备注不算首次响应"})
    _act(desk, window.colleague, late, "resolve")
    late_id = _set(desk, late, created_at=_bj(3, 14), resolved_at=_bj(10, 10), sla_due_at=_bj(5, 14))
    other = open_request(desk, window.enterprise, "other", category="business_license")
    _set(desk, other, created_at=_bj(6, 9))
    with desk.session() as session:
        session.exec(
            update(TicketMessage).where(TicketMessage.ticket_id == first_id).values(created_at=_bj(3, 10, 30))  # type: ignore[call-overload]
        )
        session.exec(
            update(TicketRating).where(TicketRating.ticket_id == first_id).values(created_at=_bj(5, 9))  # type: ignore[call-overload]
        )
        session.add(SlaAlert(ticket_id=late_id, kind=SlaAlertKind.BREACH, due_at=_bj(5, 14), created_at=_bj(5, 14)))
        session.commit()


def _report(desk: Desk, headers: dict[str, str], **params: str) -> tuple[int, dict]:
    response = desk.client.get("/api/v1/reports/tickets", params={**MARCH, **params}, headers=headers)
    return response.status_code, response.json()


def test_supervisor_report_counts_working_times_sla_and_ratings(desk: Desk, window: Window) -> None:
    _march(desk, window)
    status, report = _report(desk, window.supervisor)
    assert status == 200
    assert (report["from"], report["to"]) == ("2025-03-01", "2025-03-31")
    [talent] = report["queues"]  # the supervisor reports on the queue they supervise only
    assert (talent["key"], talent["opened"], talent["resolved"]) == ("talent", 2, 2)
    assert talent["first_response_minutes"] == {"count": 1, "avg": 90.0, "median": 90.0}
    # 600 = Mon 09:00–17:00 + Tue 09:00–11:00; 2160 = Mon 14:00–17:00 + Tue–Fri + next Mon 09:00–10:00
    assert talent["resolution_minutes"] == {"count": 2, "avg": 1380.0, "median": 1380.0}
    assert (talent["sla_met"], talent["sla_met_ratio"]) == (1, 0.5)
    assert talent["ratings"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}
    assert [c["key"] for c in report["categories"]] == ["housing"]
    assert report["total"]["opened"] == 2


def test_admin_report_covers_every_queue_and_category(desk: Desk, window: Window) -> None:
    _march(desk, window)
    status, report = _report(desk, window.admin)
    assert status == 200
    assert [q["key"] for q in report["queues"]] == ["approvals", "foreign-talent", "front-desk", "talent"]
    assert {c["key"]: c["opened"] for c in report["categories"]} == {"business_license": 1, "housing": 2}
    assert (report["total"]["opened"], report["total"]["resolved"]) == (3, 2)
    status, april = _report(desk, window.admin, **{"from": "2025-04-01", "to": "2025-04-30"})
    assert (status, april["total"]["opened"], april["total"]["ratings"]["5"]) == (200, 0, 0)


def test_only_admins_and_supervisors_get_reports(desk: Desk, window: Window) -> None:
    for headers in (window.assignee, window.outsider, window.enterprise):
        assert _report(desk, headers)[0] == 403
    assert desk.client.get("/api/v1/reports/tickets", params=MARCH).status_code == 401
    assert desk.client.get("/api/v1/reports/tickets.csv", params=MARCH, headers=window.assignee).status_code == 403


def test_a_bad_range_is_422(desk: Desk, window: Window) -> None:
    assert _report(desk, window.admin, **{"from": "2025-03-31", "to": "2025-03-01"})[0] == 422
    assert _report(desk, window.admin, **{"from": "2024-01-01", "to": "2025-03-01"})[0] == 422
    assert _report(desk, window.admin, **{"from": "not-a-date"})[0] == 422
    assert _report(desk, window.admin, **{"from": "9999-12-31", "to": "9999-12-31"})[0] == 422
    assert _report(desk, window.admin, **{"from": "0001-01-01", "to": "0001-01-02"})[0] == 422


def test_the_default_range_is_this_month_so_far(desk: Desk, window: Window) -> None:
    report = desk.client.get("/api/v1/reports/tickets", headers=window.admin).json()
    today = dt.datetime.now(BEIJING).date()
    assert dt.date.fromisoformat(report["from"]) == today.replace(day=1)
    assert report["total"]["opened"] == 1  # the window's ticket, opened just now


def test_csv_export_has_the_same_figures(desk: Desk, window: Window) -> None:
    _march(desk, window)
    response = desk.client.get("/api/v1/reports/tickets.csv", params=MARCH, headers=window.supervisor)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["分组 (group)", "代码 (key)", "名称 (name)"]
    by_key = {row[1]: row for row in rows[1:]}
    assert by_key["talent"][3:5] == ["2", "2"]
    assert by_key["talent"][11] == "0.5"
    assert by_key["talent"][12:17] == ["0", "0", "0", "0", "1"]
    assert by_key["talent"][17:] == ["0", "0", "0"]  # no 整改
    assert [row[0] for row in rows[1:]] == ["合计", "队列", "服务类别"]


def _rated(desk: Desk, window: Window, key: str, score: int) -> str:
    """A ticket claimed, resolved and rated `score` now: a score ≤ 2 opens a 整改."""
    number = open_request(desk, window.enterprise, key)
    assert desk.client.post(f"/api/v1/tickets/{number}/claim", headers=window.assignee).status_code == 200
    _act(desk, window.assignee, number, "resolve", {"body": "已办结"})
    rated = desk.client.post(f"/api/v1/requests/{number}/rating", json={"score": score}, headers=window.enterprise)
    assert rated.status_code == 200, rated.text
    return number


def test_rectifications_opened_open_and_overdue_per_queue_and_category(desk: Desk, window: Window) -> None:
    overdue = _rated(desk, window, "overdue", 1)
    done = _rated(desk, window, "done", 2)
    _rated(desk, window, "open", 2)
    _rated(desk, window, "fine", 4)
    with desk.session() as session:
        ticket_id = session.exec(select(Ticket.id).where(Ticket.number == overdue)).one()
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.exec(update(Rectification).where(Rectification.ticket_id == ticket_id).values(due_at=past))  # type: ignore[call-overload]
        session.commit()
    with desk.session() as session:
        version = session.exec(select(Ticket.version).where(Ticket.number == done)).one()
    called_back = desk.client.post(
        f"/api/v1/tickets/{done}/rectification", json={"note": "已回访", "version": version}, headers=window.assignee
    )
    assert called_back.status_code == 200, called_back.text
    report = desk.client.get("/api/v1/reports/tickets", headers=window.supervisor).json()
    figures = ("rectifications", "rectifications_open", "rectifications_overdue")
    [talent] = report["queues"]
    [housing] = report["categories"]
    for row in (talent, housing, report["total"]):
        assert tuple(row[name] for name in figures) == (3, 2, 1)
    response = desk.client.get("/api/v1/reports/tickets.csv", headers=window.supervisor)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][-3:] == [
        "整改发起 (rectifications opened)",
        "整改未完成 (rectifications open)",
        "整改逾期 (rectifications overdue)",
    ]
    assert {row[1]: row[-3:] for row in rows[1:]}["housing"] == ["3", "2", "1"]
