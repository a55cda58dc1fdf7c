"""`GET /api/v1/events` over real HTTP: contract, filtering per caller, resumption, heartbeats.

The real app (`create_app`) behind uvicorn: callers log in with tokens and events come from ticket
changes made through the API, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from itertools import count

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sse_client import open_stream

from api.events import routes
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.api.conftest import Desk
from tests.factories import auth_header, make_enterprise, make_token, make_user

HOUSING = {"category": "housing", "subject": "人才公寓", "body": "申请人才公寓", "contact": "13800000000"}  # talent
LICENCE = {"category": "business_license", "subject": "营业执照", "body": "办理营业执照", "contact": "13800000000"}
_keys = count(1)


@dataclass
class Callers:
    """Bearer headers of everyone the tests stream for."""

    admin: dict[str, str]
    talent_staff: dict[str, str]
    firm_one: dict[str, str]  # enterprise 1
    firm_one_colleague: dict[str, str]  # another user of enterprise 1
    firm_two: dict[str, str]  # enterprise 2


@pytest.fixture
def callers(desk: Desk) -> Callers:
    """An admin, a staff member of the talent queue, two users of one enterprise and one of another."""
    with desk.session() as session:
        one, two = make_enterprise(session), make_enterprise(session)
        users = [
            make_user(session, Role.ADMIN),
            make_user(session, Role.STAFF, queues=["talent"]),
            make_user(session, Role.ENTERPRISE, enterprise=one),
            make_user(session, Role.ENTERPRISE, enterprise=one),
            make_user(session, Role.ENTERPRISE, enterprise=two),
        ]
        headers = [auth_header(make_token(session, user)) for user in users]
        session.commit()
    return Callers(*headers)


@pytest.fixture
def server(live_desk: tuple[Desk, str]) -> str:
    """The real app behind uvicorn: its base URL."""
    return live_desk[1]


async def submit(base: str, caller: dict[str, str], request: dict[str, str] = HOUSING) -> str:
    """Submit a request as `caller` (a `ticket.created` event); its number."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/api/v1/requests", json=request, headers={**caller, "Idempotency-Key": f"events-{next(_keys)}"}
        )
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


async def act(base: str, staff: dict[str, str], number: str, action: str, **body: object) -> None:
    """A staff action on a ticket (carrying its current version for the writes that need one)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        if action != "claim":
            body["version"] = (await client.get(f"/api/v1/tickets/{number}", headers=staff)).json()["version"]
        response = await client.post(f"/api/v1/tickets/{number}/{action}", json=body or None, headers=staff)
    assert response.status_code == 200, response.text


def test_events_refuse_a_caller_without_credentials(library: PolicyLibrary, sqlite_url: str) -> None:
    response = TestClient(create_app(Settings(database_url=sqlite_url), library=library)).get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("请先登录")


def test_malformed_last_event_id_is_422_in_chinese(desk: Desk, callers: Callers) -> None:
    response = desk.client.get("/api/v1/events", headers={**callers.admin, "Last-Event-ID": "abc"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("输入有误")


async def test_each_caller_gets_only_the_events_they_may_see(server: str, callers: Callers) -> None:
    async with (
        open_stream(server, callers.admin) as admin,
        open_stream(server, callers.talent_staff) as staff,
        open_stream(server, callers.firm_one) as firm,
    ):
        assert admin.response.headers["content-type"].startswith("text/event-stream")
        mine = await submit(server, callers.firm_one)  # talent queue
        await act(server, callers.talent_staff, mine, "claim")
        await act(server, callers.talent_staff, mine, "note", body="内部：材料疑似不全")
        other = await submit(server, callers.firm_two, LICENCE)  # approvals queue, another enterprise
        colleagues = await submit(server, callers.firm_one_colleague, LICENCE)  # approvals, my enterprise
        admin_got = await admin.next_events(5)
        staff_got = await staff.next_events(3)
        firm_got = await firm.next_events(3)
    created, claimed, note = ("ticket.created", "ticket.claimed", "ticket.note")
    assert [(f.event, f.json["number"]) for f in admin_got] == [
        (created, mine),
        (claimed, mine),
        (note, mine),
        (created, other),
        (created, colleagues),
    ]
    assert [f.id for f in staff_got] == [f.id for f in admin_got[:3]]
    assert [f.id for f in firm_got] == [admin_got[0].id, admin_got[1].id, admin_got[4].id]
    assert [(f.json["number"], f.json["status"]) for f in firm_got] == [
        (mine, "new"),
        (mine, "claimed"),
        (colleagues, "new"),
    ]


async def test_reconnecting_with_last_event_id_delivers_exactly_the_missed_events(
    server: str, callers: Callers
) -> None:
    admin = callers.admin
    async with open_stream(server, admin) as first:
        seen_number = await submit(server, callers.firm_one)
        (seen,) = await first.next_events(1)
    assert seen.json["number"] == seen_number
    missed = [await submit(server, callers.firm_one) for _ in range(3)]
    async with open_stream(server, {**admin, "Last-Event-ID": str(seen.id)}) as again:
        replayed = await again.next_events(3)
        live = await submit(server, callers.firm_one)
        followed = await again.next_events(1)
    assert [f.json["number"] for f in replayed + followed] == [*missed, live]
    async with open_stream(server, admin, params={"last_event_id": str(replayed[1].id)}) as by_query:
        assert [f.id for f in await by_query.next_events(2)] == [replayed[2].id, followed[0].id]


async def test_a_stream_without_last_event_id_says_it_starts_now(server: str, callers: Callers) -> None:
    old = await submit(server, callers.firm_one)
    async with open_stream(server, {**callers.admin, "Last-Event-ID": "0"}) as history:
        (old_event,) = await history.next_events(1)
    assert old_event.json["number"] == old
    async with open_stream(server, callers.admin) as stream:
        new = await submit(server, callers.firm_one)
        got = await stream.next_events(1)
    assert [f.json["number"] for f in got] == [new]
    assert stream.opening is not None
    assert stream.opening.id == old_event.id
    assert any("new events only" in c for c in stream.opening.comments)


async def test_idle_streams_get_heartbeats_and_disconnects_are_released(
    server: str, callers: Callers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "HEARTBEAT_SECONDS", 0.1)
    before = REGISTRY.get_sample_value("zonedesk_event_streams") or 0
    async with open_stream(server, callers.admin) as stream:
        async with asyncio.timeout(20):
            async for frame in stream._frames:
                if any(c.startswith("ping") for c in frame.comments):
                    break
        assert (REGISTRY.get_sample_value("zonedesk_event_streams") or 0) == before + 1
    async with asyncio.timeout(20):
        while (REGISTRY.get_sample_value("zonedesk_event_streams") or 0) != before:
            await asyncio.sleep(0.05)
