"""`GET /api/v1/events` over real HTTP: contract, filtering per caller, resumption, heartbeats."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from event_app import build_test_app
from fastapi.testclient import TestClient
from outbox_helpers import free_port
from prometheus_client import REGISTRY
from sqlalchemy import Engine
from sse_client import open_stream

from api.events import routes
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary

ADMIN = {"X-Role": "admin"}
TALENT_STAFF = {"X-Role": "staff", "X-User-Id": "2", "X-Queues": "talent"}
FIRM_ONE_USER = {"X-Role": "enterprise", "X-User-Id": "10", "X-Enterprise-Id": "1"}


@pytest.fixture
def server(engine: Engine, library: PolicyLibrary) -> Iterator[str]:
    """The test app on a loopback port, served by uvicorn in a thread; its base URL."""
    url = engine.url.render_as_string(hide_password=False)
    app = build_test_app(Settings(database_url=url))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


async def post_event(base: str, **body: object) -> int:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/test/events", json=body)
        assert response.status_code == 201
        return int(response.json()["id"])


def test_events_refuse_a_caller_without_credentials(library: PolicyLibrary, sqlite_url: str) -> None:
    response = TestClient(create_app(Settings(database_url=sqlite_url), library=library)).get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("请先登录")


def test_malformed_last_event_id_is_422_in_chinese(sqlite_engine: Engine, library: PolicyLibrary) -> None:
    app = build_test_app(Settings(database_url=str(sqlite_engine.url)))
    response = TestClient(app).get("/api/v1/events", headers={**ADMIN, "Last-Event-ID": "abc"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("输入有误")


async def test_each_caller_gets_only_the_events_they_may_see(server: str) -> None:
    async with (
        open_stream(server, ADMIN) as admin,
        open_stream(server, TALENT_STAFF) as staff,
        open_stream(server, FIRM_ONE_USER) as firm,
    ):
        assert admin.response.headers["content-type"].startswith("text/event-stream")
        public = await post_event(server, number="ZD-000001", queue_key="talent", enterprise_id=1, requester_id=10)
        note = await post_event(
            server,
            number="ZD-000001",
            type="ticket.message",
            queue_key="talent",
            enterprise_id=1,
            requester_id=10,
            internal=True,
        )
        other = await post_event(server, number="ZD-000002", queue_key="approvals", enterprise_id=2, requester_id=20)
        mine_elsewhere = await post_event(
            server,
            number="ZD-000003",
            queue_key="approvals",
            enterprise_id=1,
            requester_id=11,
            status="claimed",
            type="ticket.claimed",
        )
        admin_got = await admin.next_events(4)
        staff_got = await staff.next_events(2)
        firm_got = await firm.next_events(2)
    assert [f.id for f in admin_got] == [str(i) for i in (public, note, other, mine_elsewhere)]
    assert [f.id for f in staff_got] == [str(public), str(note)]
    assert [f.id for f in firm_got] == [str(public), str(mine_elsewhere)]
    assert firm_got[1].event == "ticket.claimed"
    assert firm_got[1].json == {"number": "ZD-000003", "status": "claimed"}


async def test_reconnecting_with_last_event_id_delivers_exactly_the_missed_events(server: str) -> None:
    async with open_stream(server, ADMIN) as first:
        seen = await post_event(server, number="ZD-000001")
        assert [f.id for f in await first.next_events(1)] == [str(seen)]
    missed = [await post_event(server, number=f"ZD-00000{n}") for n in (2, 3, 4)]
    async with open_stream(server, {**ADMIN, "Last-Event-ID": str(seen)}) as again:
        replayed = await again.next_events(3)
        live = await post_event(server, number="ZD-000005")
        followed = await again.next_events(1)
    assert [f.id for f in replayed + followed] == [str(i) for i in [*missed, live]]
    async with open_stream(server, ADMIN, params={"last_event_id": str(missed[1])}) as by_query:
        assert [f.id for f in await by_query.next_events(2)] == [str(missed[2]), str(live)]


async def test_a_stream_without_last_event_id_says_it_starts_now(server: str) -> None:
    old = await post_event(server, number="ZD-000001")
    async with open_stream(server, ADMIN) as stream:
        new = await post_event(server, number="ZD-000002")
        got = await stream.next_events(1)
    assert [f.id for f in got] == [str(new)]
    assert stream.opening is not None
    assert stream.opening.id == str(old)
    assert any("new events only" in c for c in stream.opening.comments)


async def test_idle_streams_get_heartbeats_and_disconnects_are_released(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "HEARTBEAT_SECONDS", 0.1)
    before = REGISTRY.get_sample_value("zonedesk_event_streams") or 0
    async with open_stream(server, ADMIN) as stream:
        async with asyncio.timeout(20):
            async for frame in stream._frames:
                if any(c.startswith("ping") for c in frame.comments):
                    break
        assert (REGISTRY.get_sample_value("zonedesk_event_streams") or 0) == before + 1
    async with asyncio.timeout(20):
        while (REGISTRY.get_sample_value("zonedesk_event_streams") or 0) != before:
            await asyncio.sleep(0.05)
