"""Two API processes on one database: a change written through one is streamed by the other.

Real uvicorn subprocesses on loopback ports, one PostgreSQL, and Redis — the shared one, a Redis
the test stops mid-way, or none (then the second process finds events by polling).
"""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from outbox_helpers import RedisServer
from sse_client import ApiProcess, api_processes, open_stream

pytestmark = pytest.mark.integration

ADMIN = {"X-Role": "admin"}


async def post_event(process: ApiProcess, number: str) -> int:
    async with httpx.AsyncClient(base_url=process.url, timeout=30) as client:
        response = await client.post("/test/events", json={"number": number})
        assert response.status_code == 201
        return int(response.json()["id"])


async def bus_connected(process: ApiProcess) -> bool:
    async with httpx.AsyncClient(base_url=process.url, timeout=30) as client:
        return bool((await client.get("/test/bus")).json()["connected"])


async def wait_for_bus(process: ApiProcess, connected: bool) -> None:
    async with asyncio.timeout(30):
        while await bus_connected(process) != connected:
            await asyncio.sleep(0.05)


async def test_without_redis_an_event_written_through_one_process_is_streamed_by_the_other(
    events_pg_url: str,
) -> None:
    with api_processes(2, {"ZONEDESK_DATABASE_URL": events_pg_url}) as (a, b):
        async with open_stream(b.url, ADMIN) as stream:
            written = [await post_event(a, f"ZD-{n:06d}") for n in range(3)]
            got = await stream.next_events(3)
    assert [f.id for f in got] == [str(i) for i in written]
    assert [f.json["number"] for f in got] == [f"ZD-{n:06d}" for n in range(3)]


async def test_through_redis_across_an_outage_no_event_is_lost(events_pg_url: str, own_redis: RedisServer) -> None:
    env = {"ZONEDESK_DATABASE_URL": events_pg_url, "ZONEDESK_REDIS_URL": own_redis.url}
    with api_processes(2, env) as (a, b):
        await wait_for_bus(b, connected=True)
        async with open_stream(b.url, ADMIN) as stream:
            before = await post_event(a, "ZD-100000")  # written through A, streamed by B
            assert [f.id for f in await stream.next_events(1)] == [str(before)]
            own_redis.stop()
            await wait_for_bus(b, connected=False)
            during = [await post_event(a, f"ZD-1000{n:02d}") for n in range(1, 6)]  # all accepted
            own_redis.start()
            await wait_for_bus(a, connected=True)
            await wait_for_bus(b, connected=True)
            after = [await post_event(a, f"ZD-2000{n:02d}") for n in range(3)]
            got = await stream.next_events(len(during) + len(after))
        # A client that was away the whole time catches up from its Last-Event-ID.
        async with open_stream(b.url, {**ADMIN, "Last-Event-ID": str(before)}) as late:
            replayed = await late.next_events(len(during) + len(after))
    assert [f.id for f in got] == [str(i) for i in during + after]
    assert [f.id for f in replayed] == [str(i) for i in during + after]


async def test_sigterm_ends_open_streams_and_the_process_exits(events_pg_url: str) -> None:
    with api_processes(1, {"ZONEDESK_DATABASE_URL": events_pg_url}) as (server,):
        async with open_stream(server.url, ADMIN) as stream:
            assert (await stream.read_opening()).id is not None
            exit_code = await asyncio.to_thread(server.terminate)
            async with asyncio.timeout(30):
                rest = [frame async for frame in stream._frames]
    # uvicorn re-raises the signal after its graceful shutdown, so the exit status may say SIGTERM;
    # the farewell and the cleanly ended body show the shutdown was graceful.
    assert exit_code in (0, -signal.SIGTERM)
    assert any("reconnect" in comment for frame in rest for comment in frame.comments)
