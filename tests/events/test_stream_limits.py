"""DESIGN.md "Limits" for event streams: one shared outbox read per commit, at most five streams per user."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from outbox_helpers import emit_event
from sqlalchemy import Engine, event
from sse_starlette import ServerSentEvent

from api.events.bus import InProcessBus
from api.events.cap import MAX_STREAMS_PER_USER, StreamCap
from api.events.stream import resolve_start, stream_events
from api.events.viewer import Viewer
from common.roles import Role

STAFF = Viewer(role=Role.STAFF, user_id=7, queue_keys=frozenset({"talent"}))
FIRM = Viewer(role=Role.ENTERPRISE, user_id=8, enterprise_id=3)


async def next_event(frames: AsyncIterator[ServerSentEvent]) -> ServerSentEvent:
    """The next frame that carries an event."""
    async with asyncio.timeout(20):
        async for frame in frames:
            if frame.event is not None:
                return frame
    raise AssertionError("the stream ended")


@pytest.fixture
def outbox_reads(engine: Engine) -> Iterator[list[str]]:
    """The SELECTs of outbox rows that `engine` runs while the test does."""
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM outbox_events" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    yield reads
    event.remove(engine, "before_cursor_execute", note)


async def test_open_streams_share_one_outbox_query_per_commit(engine: Engine, outbox_reads: list[str]) -> None:
    bus = InProcessBus(poll_interval=600)  # only the wake-ups read
    start = resolve_start(engine, last_event_id=None, since=None)
    viewers = [STAFF, FIRM, *(Viewer(role=Role.STAFF, user_id=n, queue_keys=frozenset({"talent"})) for n in (9, 10))]
    streams = [stream_events(engine=engine, bus=bus, viewer=viewer, start=start) for viewer in viewers]
    for stream in streams:
        await anext(stream)
    first = emit_event(engine, bus=bus, enterprise_id=3)
    assert [(await next_event(stream)).id for stream in streams] == [str(first)] * len(streams)
    outbox_reads.clear()
    internal = emit_event(engine, bus=bus, enterprise_id=3, internal=True)
    second = emit_event(engine, bus=bus, enterprise_id=3)
    got = [await next_event(stream) for stream in streams]
    for stream in streams:
        await stream.aclose()
    assert [frame.id for frame in got] == [str(internal), str(second), str(internal), str(internal)]
    assert len(outbox_reads) <= 2  # one read per commit, however many streams


async def test_a_sixth_stream_of_one_user_closes_the_oldest(engine: Engine) -> None:
    bus, cap = InProcessBus(), StreamCap()
    start = resolve_start(engine, last_event_id=None, since=None)
    streams = [
        stream_events(engine=engine, bus=bus, viewer=STAFF, start=start, cap=cap)
        for _ in range(MAX_STREAMS_PER_USER + 1)
    ]
    other = stream_events(engine=engine, bus=bus, viewer=FIRM, start=start, cap=cap)
    for stream in [*streams, other]:
        await anext(stream)
    async with asyncio.timeout(20):
        rest = [frame async for frame in streams[0]]
    assert [frame.event for frame in rest] == [None]
    assert "过多" in (rest[0].comment or "")
    written = emit_event(engine, bus=bus, enterprise_id=3)
    assert [(await next_event(stream)).id for stream in [*streams[1:], other]] == [str(written)] * 6
    for stream in [*streams[1:], other]:
        await stream.aclose()
