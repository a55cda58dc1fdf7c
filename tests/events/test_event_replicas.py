"""Two API processes on one database: a change written through one is streamed by the other.

Real uvicorn subprocesses of the real app (`api.main:create_app`) on loopback ports, one migrated
PostgreSQL, and Redis — the shared one, a Redis the test stops mid-way, or none (then the second
process finds events by polling).
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from itertools import count

import httpx
import pytest
from outbox_helpers import RedisServer
from sqlalchemy import create_engine
from sqlmodel import Session
from sse_client import ApiProcess, api_processes, open_stream

from api.schema import prepare_database
from common.roles import Role
from tests.factories import auth_header, make_enterprise, make_token, make_user, reset_database

pytestmark = pytest.mark.integration

REQUEST = {"category": "housing", "subject": "人才公寓", "body": "申请人才公寓", "contact": "13800000000"}
_keys = count(1)


@dataclass
class Deployment:
    """A migrated PostgreSQL the processes share, and bearer headers of its admin and an enterprise user."""

    database_url: str
    admin: dict[str, str]
    firm: dict[str, str]


@pytest.fixture
def deployment(postgres_url: str) -> Deployment:
    """The session's PostgreSQL, migrated and emptied, with an admin and an enterprise user."""
    engine = create_engine(postgres_url)
    prepare_database(engine)
    reset_database(engine)
    with Session(engine) as session:
        admin = make_token(session, make_user(session, Role.ADMIN))
        firm = make_token(session, make_user(session, Role.ENTERPRISE, enterprise=make_enterprise(session)))
        session.commit()
    engine.dispose()
    return Deployment(postgres_url, auth_header(admin), auth_header(firm))


async def submit(process: ApiProcess, firm: dict[str, str]) -> str:
    """Submit a request through `process` (a `ticket.created` event); its number."""
    async with httpx.AsyncClient(base_url=process.url, timeout=30) as client:
        response = await client.post(
            "/api/v1/requests", json=REQUEST, headers={**firm, "Idempotency-Key": f"replica-{next(_keys)}"}
        )
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


async def bus_connected(process: ApiProcess) -> bool:
    """The process's `zonedesk_event_bus_connected` gauge: 1 while Redis wake-ups arrive."""
    async with httpx.AsyncClient(base_url=process.url, timeout=30) as client:
        metrics = (await client.get("/metrics")).text
    values = [line.split()[-1] for line in metrics.splitlines() if line.startswith("zonedesk_event_bus_connected ")]
    return values == ["1.0"]


async def wait_for_bus(process: ApiProcess, connected: bool) -> None:
    async with asyncio.timeout(30):
        while await bus_connected(process) != connected:
            await asyncio.sleep(0.05)


async def test_without_redis_an_event_written_through_one_process_is_streamed_by_the_other(
    deployment: Deployment,
) -> None:
    with api_processes(2, {"ZONEDESK_DATABASE_URL": deployment.database_url}) as (a, b):
        async with open_stream(b.url, deployment.admin) as stream:
            written = [await submit(a, deployment.firm) for _ in range(3)]
            got = await stream.next_events(3)
    assert [(f.event, f.json["number"]) for f in got] == [("ticket.created", number) for number in written]
    assert [int(f.id or 0) for f in got] == sorted({int(f.id or 0) for f in got})


async def test_through_redis_across_an_outage_no_event_is_lost(deployment: Deployment, own_redis: RedisServer) -> None:
    env = {"ZONEDESK_DATABASE_URL": deployment.database_url, "ZONEDESK_REDIS_URL": own_redis.url}
    admin, firm = deployment.admin, deployment.firm
    with api_processes(2, env) as (a, b):
        await wait_for_bus(b, connected=True)
        async with open_stream(b.url, admin) as stream:
            before = await submit(a, firm)  # written through A, streamed by B
            (first,) = await stream.next_events(1)
            assert first.json["number"] == before
            own_redis.stop()
            await wait_for_bus(b, connected=False)
            during = [await submit(a, firm) for _ in range(5)]  # all accepted
            own_redis.start()
            await wait_for_bus(a, connected=True)
            await wait_for_bus(b, connected=True)
            after = [await submit(a, firm) for _ in range(3)]
            got = await stream.next_events(len(during) + len(after))
        # A client that was away the whole time catches up from its Last-Event-ID.
        async with open_stream(b.url, {**admin, "Last-Event-ID": str(first.id)}) as late:
            replayed = await late.next_events(len(during) + len(after))
    assert [f.json["number"] for f in got] == during + after
    assert [f.id for f in replayed] == [f.id for f in got]


async def test_sigterm_ends_open_streams_and_the_process_exits(deployment: Deployment) -> None:
    with api_processes(1, {"ZONEDESK_DATABASE_URL": deployment.database_url}) as (server,):
        async with open_stream(server.url, deployment.admin) as stream:
            assert (await stream.read_opening()).id is not None
            exit_code = await asyncio.to_thread(server.terminate)
            async with asyncio.timeout(30):
                rest = [frame async for frame in stream._frames]
    # uvicorn re-raises the signal after its graceful shutdown, so the exit status may say SIGTERM;
    # the farewell and the cleanly ended body show the shutdown was graceful.
    assert exit_code in (0, -signal.SIGTERM)
    assert any("reconnect" in comment for frame in rest for comment in frame.comments)
