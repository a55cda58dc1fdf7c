"""好差评: five levels; a score ≤ 2 opens a 整改 due 15 working days later, overdue-marked, closed by the
回访; ratings and comments are visible to staff (their queues) and admins (all)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from api.calendar.service import load_calendar
from api.calendar.worktime import add_working_minutes
from api.ratings.models import Rectification
from api.tickets.models import TicketRating
from common.roles import Role
from tests.api.conftest import Desk
from tests.api.desk.accounts import signed_in
from tests.factories import bot_header

FIRM = 1101
KEYS = itertools.count()
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


@dataclass
class World:
    desk: Desk
    staff: dict[str, str]
    outsider: dict[str, str]
    admin: dict[str, str]

    def resolved(self, category: str = "housing") -> str:
        """A request of `category`, claimed and resolved by the staff member (an admin for other queues)."""
        body = {"category": category, "subject": "申请", "body": "请受理", "contact": "028-1"}
        headers = {**bot_header(FIRM), "Idempotency-Key": f"k-{next(KEYS)}"}
        number: str = self.desk.client.post("/api/v1/requests", json=body, headers=headers).json()["number"]
        actor = self.staff if category == "housing" else self.admin
        self.desk.client.post(f"/api/v1/tickets/{number}/claim", headers=actor)
        self.desk.client.post(f"/api/v1/tickets/{number}/resolve", json={"version": 2, "body": "已办结"}, headers=actor)
        return number

    def rate(self, number: str, score: int, comment: str = "") -> Any:
        """The enterprise rates."""
        return self.desk.client.post(
            f"/api/v1/requests/{number}/rating", json={"score": score, "comment": comment}, headers=bot_header(FIRM)
        )

    def ticket(self, number: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        """The staff view of a ticket."""
        result: dict[str, Any] = self.desk.client.get(f"/api/v1/tickets/{number}", headers=headers or self.staff).json()
        return result

    def rectify(self, number: str, note: str, version: int | None = None, headers: dict[str, str] | None = None) -> Any:
        """Record the 回访."""
        version = version or self.ticket(number, self.admin)["version"]
        return self.desk.client.post(
            f"/api/v1/tickets/{number}/rectification",
            json={"version": version, "note": note},
            headers=headers or self.staff,
        )


@pytest.fixture
def world(desk: Desk) -> World:
    headers = signed_in(desk, (Role.STAFF, ["talent"]), (Role.STAFF, ["approvals"]), (Role.ADMIN, []))
    return World(desk, *headers)


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_a_score_of_two_or_less_opens_a_rectification_due_in_15_working_days(world: World, score: int) -> None:
    number = world.resolved()
    rated = world.rate(number, score, "办理太慢" if score <= 2 else "很好")
    assert rated.status_code == 200, rated.text
    assert (rated.json()["rating"]["score"], rated.json()["rating"]["level"]) == (score, LEVELS[score])
    assert "rectification" not in rated.json()  # the enterprise never sees the 整改
    staff_view = world.ticket(number)
    if score > 2:
        assert staff_view["rectification"] is None
        return
    with world.desk.session() as session:
        rated_at = session.exec(select(TicketRating.created_at)).one()
        due = add_working_minutes(load_calendar(session=session), rated_at, 15 * 8 * 60).due_at
    rectification = staff_view["rectification"]
    assert (rectification["status"], rectification["note"], rectification["overdue"]) == ("open", "", False)
    assert dt.datetime.fromisoformat(rectification["due_at"]) == due
    assert staff_view["rating"]["comment"] == "办理太慢"


def test_the_call_back_closes_the_rectification_once(world: World) -> None:
    number = world.resolved()
    world.rate(number, 1, "态度差")
    version = world.ticket(number)["version"]
    assert world.rectify(number, "   ").status_code == 422
    assert world.rectify(number, "回访", version=version - 1).status_code == 409
    assert world.rectify(number, "回访", headers=world.outsider).status_code == 404
    done = world.rectify(number, "已电话回访，企业认可整改措施")
    assert done.status_code == 200, done.text
    assert done.json()["rectification"]["status"] == "done"
    assert done.json()["rectification"]["note"] == "已电话回访，企业认可整改措施"
    assert done.json()["version"] == version + 1
    assert done.json()["history"][-1]["status"] == "closed"
    assert world.rectify(number, "再次回访").status_code == 409


def test_no_rectification_without_a_bad_rating(world: World) -> None:
    number = world.resolved()
    world.rate(number, 5)
    assert world.rectify(number, "回访").status_code == 404


def test_an_open_rectification_past_its_date_is_overdue(world: World) -> None:
    late, fine = world.resolved(), world.resolved()
    world.rate(late, 2)
    world.rate(fine, 1)
    with world.desk.session() as session:
        ticket_id = session.exec(select(TicketRating.ticket_id).order_by(col(TicketRating.id))).first()
        session.exec(
            update(Rectification)
            .where(col(Rectification.ticket_id) == ticket_id)
            .values(due_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        )
        session.commit()
    assert world.ticket(late)["rectification"]["overdue"] is True
    assert world.ticket(fine)["rectification"]["overdue"] is False
    overdue = world.desk.client.get("/api/v1/ratings?filter=overdue", headers=world.staff).json()
    assert [(r["number"], r["rectification"]["overdue"]) for r in overdue["items"]] == [(late, True)]
    world.rectify(late, "已回访")
    assert world.desk.client.get("/api/v1/ratings?filter=overdue", headers=world.staff).json()["total"] == 0


def test_ratings_are_listed_for_their_queues_staff_and_for_admins(world: World) -> None:
    housing, license_ = world.resolved(), world.resolved("business_license")
    world.rate(housing, 2, "材料要求反复变")
    world.rate(license_, 5, "一次办成")
    staff = world.desk.client.get("/api/v1/ratings", headers=world.staff).json()
    assert [(r["number"], r["level"], r["comment"]) for r in staff["items"]] == [(housing, "不满意", "材料要求反复变")]
    assert staff["distribution"] == {"5": 0, "4": 0, "3": 0, "2": 1, "1": 0}
    admin = world.desk.client.get("/api/v1/ratings", headers=world.admin).json()
    assert {r["number"] for r in admin["items"]} == {housing, license_}
    assert admin["distribution"]["5"] == 1
    bad = world.desk.client.get("/api/v1/ratings?filter=bad", headers=world.admin).json()
    assert [r["number"] for r in bad["items"]] == [housing]
    assert world.desk.client.get("/api/v1/ratings", headers=bot_header(FIRM)).status_code == 403
    assert world.desk.client.get("/api/v1/ratings?filter=nope", headers=world.admin).status_code == 422
