"""Closed and cancelled tickets stay findable (?status=, ?q=), and status changes appear in the thread."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_enterprise, make_token, make_user

HOUSING = {"category": "housing", "body": "需要哪些材料？", "contact": "028-1234"}


@dataclass
class World:
    desk: Desk
    staff: dict[str, str]
    numbers: dict[str, str]  # subject → number

    def submit(self, subject: str, telegram_id: int) -> str:
        """Submit a housing request as a Telegram user."""
        headers = {**bot_header(telegram_id), "Idempotency-Key": f"k-{len(self.numbers)}"}
        number = self.desk.client.post("/api/v1/requests", json={**HOUSING, "subject": subject}, headers=headers)
        self.numbers[subject] = number.json()["number"]
        return self.numbers[subject]

    def act(self, number: str, action: str, body: dict[str, object] | None = None) -> dict[str, object]:
        """A staff action on the latest version."""
        version = self.desk.client.get(f"/api/v1/tickets/{number}", headers=self.staff).json()["version"]
        payload = None if action == "claim" else {**(body or {}), "version": version}
        response = self.desk.client.post(f"/api/v1/tickets/{number}/{action}", json=payload, headers=self.staff)
        assert response.status_code == 200, response.text
        result: dict[str, object] = response.json()
        return result

    def listed(self, query: str) -> list[str]:
        """Numbers the talent queue lists for a query string."""
        response = self.desk.client.get(f"/api/v1/queues/talent/tickets?{query}", headers=self.staff)
        assert response.status_code == 200, response.text
        return [t["number"] for t in response.json()["items"]]


@pytest.fixture
def world(desk: Desk) -> World:
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, queues=["talent"], username="clerk-li")
        firm = make_enterprise(session, name="成都蓉芯微电子有限公司")
        make_user(session, Role.ENTERPRISE, telegram_user_id=801, enterprise=firm, username="hr-zhang")
        session.commit()
        headers = auth_header(make_token(session, staff))
        session.commit()
    world = World(desk, headers, {})
    world.submit("人才公寓申请", 801)
    world.submit("子女入学咨询", 802)
    world.submit("医保转移", 803)
    return world


def test_closed_and_cancelled_tickets_are_listed_by_status(world: World) -> None:
    housing, schooling, medical = (world.numbers[s] for s in ("人才公寓申请", "子女入学咨询", "医保转移"))
    world.act(housing, "claim")
    world.act(housing, "resolve", {"body": "已分配公寓"})
    rated = world.desk.client.post(f"/api/v1/requests/{housing}/rating", json={"score": 5}, headers=bot_header(801))
    assert rated.json()["status"] == "closed"
    world.desk.client.post(f"/api/v1/requests/{schooling}/cancel", json={}, headers=bot_header(802))
    assert world.listed("status=closed") == [housing]
    assert world.listed("status=cancelled") == [schooling]
    assert world.listed("status=open") == [medical]
    assert sorted(world.listed("status=all")) == sorted([housing, schooling, medical])


@pytest.mark.parametrize(
    ("query", "subject"),
    [
        ("ZD-000002", "子女入学咨询"),
        ("000003", "医保转移"),
        ("公寓", "人才公寓申请"),
        ("蓉芯", "人才公寓申请"),  # enterprise name
        ("hr-zh", "人才公寓申请"),  # requester
    ],
)
def test_search_finds_by_number_subject_enterprise_and_requester(world: World, query: str, subject: str) -> None:
    assert world.listed(f"status=all&q={query}") == [world.numbers[subject]]


def test_search_treats_wildcards_as_text(world: World) -> None:
    assert world.listed("status=all&q=%25") == []
    assert world.listed("status=all&q=_") == []


def test_search_counts_only_what_it_finds(world: World) -> None:
    response = world.desk.client.get("/api/v1/queues/talent/tickets?status=all&q=入学", headers=world.staff)
    assert response.json()["total"] == 1


def test_status_changes_appear_in_both_threads(world: World) -> None:
    number = world.numbers["人才公寓申请"]
    world.act(number, "reply", {"body": "请稍候"})  # claims the new ticket
    world.act(number, "wait", {"body": "请补充劳动合同"})
    world.desk.client.post(f"/api/v1/requests/{number}/messages", json={"body": "已补充"}, headers=bot_header(801))
    world.act(number, "resolve", {"body": "已办结"})
    staff_view = world.desk.client.get(f"/api/v1/tickets/{number}", headers=world.staff).json()
    assert [(h["action"], h["status"]) for h in staff_view["history"]] == [
        ("claimed", "claimed"),
        ("waiting", "waiting_enterprise"),
        ("message", "claimed"),
        ("resolved", "resolved"),
    ]
    assert staff_view["history"][0]["author_name"] == "clerk-li"
    assert "办理中" in staff_view["history"][0]["body"]
    firm_view = world.desk.client.get(f"/api/v1/requests/{number}", headers=bot_header(801)).json()
    assert [h["status_name"] for h in firm_view["history"]] == ["办理中", "待企业补充", "办理中", "已办结"]
    assert firm_view["history"][2]["author_name"] == "企业用户"
