"""办事指南: seeded per default category, admin-edited, shown on both sides of a ticket; the due time follows
the 承诺时限 in working days; staff tick materials and 请企业补充材料 lists what is missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from api.calendar.service import load_calendar
from api.calendar.worktime import add_working_minutes
from api.guides.models import CategoryGuide
from api.schema import seed_defaults
from common.roles import Role
from tests.api.conftest import Desk
from tests.api.desk.accounts import signed_in
from tests.factories import bot_header

DEFAULT_CATEGORIES = {
    "housing",
    "medical_insurance",
    "schooling",
    "work_permit",
    "residence_permit",
    "business_license",
    "project_approval",
    "other",
}
FIRM = 901


@dataclass
class World:
    desk: Desk
    staff: dict[str, str]
    colleague: dict[str, str]
    admin: dict[str, str]

    def submit(self, category: str, key: str) -> dict[str, Any]:
        """Submit a request of `category` as the enterprise."""
        body = {"category": category, "subject": "申请", "body": "请受理", "contact": "028-1234"}
        headers = {**bot_header(FIRM), "Idempotency-Key": key}
        response = self.desk.client.post("/api/v1/requests", json=body, headers=headers)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def post(self, number: str, action: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        """A staff write on the ticket's current version."""
        version = self.desk.client.get(f"/api/v1/tickets/{number}", headers=self.admin).json()["version"]
        return self.desk.client.post(
            f"/api/v1/tickets/{number}/{action}", json={**body, "version": version}, headers=headers or self.staff
        )


@pytest.fixture
def world(desk: Desk) -> World:
    headers = signed_in(desk, (Role.STAFF, ["talent"]), (Role.STAFF, ["talent"]), (Role.ADMIN, []))
    return World(desk, *headers)


def test_every_default_category_has_a_realistic_guide(world: World) -> None:
    items = world.desk.client.get("/api/v1/categories").json()["items"]
    guides = {item["category"]: item["guide"] for item in items}
    assert set(guides) == DEFAULT_CATEGORIES
    for guide in guides.values():
        assert len(guide["materials"]) >= 3
        assert 1 <= guide["promised_days"] <= guide["statutory_days"]
        assert all(guide[field] for field in ("fee", "location", "hours"))
    assert guides["housing"]["fee"] == "不收费"
    assert "身份证" in "".join(guides["housing"]["materials"])


def test_due_time_follows_the_promised_days_in_working_days(world: World) -> None:
    ticket = world.submit("business_license", "a")
    created = dt.datetime.fromisoformat(ticket["created_at"])
    with world.desk.session() as session:
        calendar = load_calendar(session=session)
    expected = add_working_minutes(calendar, created, 3 * 8 * 60).due_at  # seeded: 3 working days
    assert dt.datetime.fromisoformat(ticket["sla_due_at"]) == expected


def test_admin_edits_a_guide_and_new_tickets_follow_it(world: World) -> None:
    guide = {"materials": ["营业执照", "营业执照", "法人身份证"], "promised_days": 1, "statutory_days": 5, "fee": ""}
    put = world.desk.client.put("/api/v1/admin/categories/business_license/guide", json=guide, headers=world.admin)
    assert put.status_code == 200, put.text
    assert (put.json()["materials"], put.json()["fee"]) == (["营业执照", "法人身份证"], "不收费")
    listed = world.desk.client.get("/api/v1/categories").json()["items"]
    assert next(i for i in listed if i["category"] == "business_license")["guide"]["promised_days"] == 1
    ticket = world.submit("business_license", "b")
    with world.desk.session() as session:
        calendar = load_calendar(session=session)
    due = add_working_minutes(calendar, dt.datetime.fromisoformat(ticket["created_at"]), 8 * 60).due_at
    assert dt.datetime.fromisoformat(ticket["sla_due_at"]) == due
    # upgrade again: the admin's edit stays
    with world.desk.session() as session:
        seed_defaults(session)
        session.commit()
        stored = session.exec(select(CategoryGuide).where(CategoryGuide.category == "business_license")).one()
    assert stored.promised_days == 1


@pytest.mark.parametrize(
    ("who", "category", "guide", "status"),
    [
        ("staff", "housing", {"materials": ["x"], "promised_days": 1, "statutory_days": 2}, 403),
        ("admin", "no_such", {"materials": ["x"], "promised_days": 1, "statutory_days": 2}, 422),
        ("admin", "housing", {"materials": ["x"], "promised_days": 9, "statutory_days": 2}, 422),
        ("admin", "housing", {"materials": [""], "promised_days": 1, "statutory_days": 2}, 422),
    ],
)
def test_bad_guide_writes_are_refused(
    world: World, who: str, category: str, guide: dict[str, Any], status: int
) -> None:
    response = world.desk.client.put(
        f"/api/v1/admin/categories/{category}/guide", json=guide, headers=getattr(world, who)
    )
    assert response.status_code == status


def test_both_sides_see_the_checklist_staff_tick_and_the_ask_lists_what_is_missing(world: World) -> None:
    number = world.submit("housing", "c")["number"]
    assert world.desk.client.post(f"/api/v1/tickets/{number}/claim", headers=world.staff).status_code == 200
    materials = world.desk.client.get(f"/api/v1/tickets/{number}", headers=world.staff).json()["guide"]["materials"]
    ticked = world.post(number, "materials", {"received": materials[:2]})
    assert ticked.status_code == 200, ticked.text
    checklist = ticked.json()["guide"]["checklist"]
    assert [c["received"] for c in checklist] == [True, True] + [False] * (len(materials) - 2)
    assert world.post(number, "materials", {"received": ["不存在的材料"]}).status_code == 422
    assert world.post(number, "materials", {"received": materials}, world.colleague).status_code == 403
    firm = world.desk.client.get(f"/api/v1/requests/{number}", headers=bot_header(FIRM)).json()
    assert firm["guide"]["missing"] == materials[2:]
    assert world.post(number, "wait", {"body": "请补充", "missing": ["不存在的材料"]}).status_code == 422
    asked = world.post(number, "wait", {"body": "请补充以下材料。", "missing": firm["guide"]["missing"]})
    assert asked.status_code == 200
    sent = asked.json()["messages"][-1]["body"]
    assert "尚需补充的材料" in sent
    assert all(name in sent for name in materials[2:])
    assert materials[0] not in sent
    firm = world.desk.client.get(f"/api/v1/requests/{number}", headers=bot_header(FIRM)).json()
    assert (firm["sla_paused"], firm["sla_due_at"]) == (True, None)


def test_a_stale_tick_gets_409(world: World) -> None:
    number = world.submit("housing", "d")["number"]
    world.desk.client.post(f"/api/v1/tickets/{number}/claim", headers=world.staff)
    stale = world.desk.client.post(
        f"/api/v1/tickets/{number}/materials", json={"received": [], "version": 1}, headers=world.staff
    )
    assert stale.status_code == 409
