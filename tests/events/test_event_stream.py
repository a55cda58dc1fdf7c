"""The stream generator: order, ids, resumption, start points, and no skipped id under concurrency."""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from outbox_helpers import emit_event
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select
from sse_starlette import ServerSentEvent

from api.events.bus import InProcessBus
from api.events.models import OutboxEvent
from api.events.stream import read_after, resolve_start, stream_events
from api.events.viewer import Viewer
from common.roles import Role

ADMIN = Viewer(role=Role.ADMIN, user_id=1)


async def take(frames: AsyncIterator[ServerSentEvent], count: int) -> list[ServerSentEvent]:
    """The next `count` frames that carry an event (the opening id-only frame is skipped)."""
    got: list[ServerSentEvent] = []
    async with asyncio.timeout(20):
        async for frame in frames:
            if frame.event is not None:
                got.append(frame)
                if len(got) == count:
                    return got
    return got


async def test_stream_delivers_new_events_in_order_with_ids_types_and_data(engine: Engine) -> None:
    emit_event(engine, number="ZD-000000")  # history: not replayed without Last-Event-ID
    bus = InProcessBus()
    start = resolve_start(engine, last_event_id=None, since=None)
    frames = stream_events(engine=engine, bus=bus, viewer=ADMIN, start=start)
    opening = await anext(frames)
    assert opening.id == str(start.cursor)
    assert "Last-Event-ID" in (opening.comment or "")
    written = [
        emit_event(engine, bus=bus, number="ZD-000001", type="ticket.created", status="new"),
        emit_event(engine, bus=bus, number="ZD-000001", type="ticket.claimed", status="claimed"),
        emit_event(engine, bus=bus, number="ZD-000002", type="ticket.created", status="new"),
    ]
    got = await take(frames, 3)
    await frames.aclose()
    assert [f.id for f in got] == [str(i) for i in written]
    assert [f.event for f in got] == ["ticket.created", "ticket.claimed", "ticket.created"]
    assert [json.loads(f.data) for f in got] == [
        {"number": "ZD-000001", "status": "new"},
        {"number": "ZD-000001", "status": "claimed"},
        {"number": "ZD-000002", "status": "new"},
    ]


async def test_resume_after_last_event_id_replays_exactly_the_missed_events_then_follows(engine: Engine) -> None:
    ids = [emit_event(engine, number=f"ZD-{n:06d}") for n in range(1, 7)]
    bus = InProcessBus()
    start = resolve_start(engine, last_event_id=ids[2], since=None)
    frames = stream_events(engine=engine, bus=bus, viewer=ADMIN, start=start)
    replayed = await take(frames, 3)
    later = emit_event(engine, bus=bus, number="ZD-000007")
    live = await take(frames, 1)
    await frames.aclose()
    assert [f.id for f in replayed + live] == [str(i) for i in [*ids[3:], later]]


async def test_full_batches_are_read_back_to_back_without_repeats(engine: Engine) -> None:
    ids = [emit_event(engine, number=f"ZD-{n:06d}") for n in range(1, 12)]
    frames = stream_events(
        engine=engine,
        bus=InProcessBus(),
        viewer=ADMIN,
        start=resolve_start(engine, last_event_id=0, since=None),
        batch_size=4,
    )
    got = await take(frames, 11)
    await frames.aclose()
    assert [f.id for f in got] == [str(i) for i in ids]


async def test_stream_picks_up_events_written_without_a_wakeup_by_polling(engine: Engine) -> None:
    bus = InProcessBus(poll_interval=0.1)  # like a second process writing to the same database
    frames = stream_events(
        engine=engine, bus=bus, viewer=ADMIN, start=resolve_start(engine, last_event_id=None, since=None)
    )
    await anext(frames)
    written = emit_event(engine)  # no bus attached: nobody publishes
    got = await take(frames, 1)
    await frames.aclose()
    assert got[0].id == str(written)


async def test_a_stream_past_its_lifetime_ends_with_the_last_id_read(engine: Engine) -> None:
    ids = [emit_event(engine) for _ in range(3)]
    start = resolve_start(engine, last_event_id=ids[0], since=None)
    frames = [
        f async for f in stream_events(engine=engine, bus=InProcessBus(), viewer=ADMIN, start=start, max_seconds=0)
    ]
    assert [f.id for f in frames] == [str(i) for i in [*ids, ids[-1]]]  # opening, two events, farewell
    assert frames[-1].event is None
    assert "reconnect" in (frames[-1].comment or "")


def test_start_without_last_event_id_is_the_current_head(engine: Engine) -> None:
    ids = [emit_event(engine) for _ in range(3)]
    start = resolve_start(engine, last_event_id=None, since=None)
    assert start.cursor == ids[-1]
    assert "new events only" in start.note


def test_last_event_id_beyond_the_outbox_starts_at_the_head(engine: Engine) -> None:
    ids = [emit_event(engine) for _ in range(2)]
    assert resolve_start(engine, last_event_id=ids[-1] + 100, since=None).cursor == ids[-1]


def test_since_starts_before_the_first_event_created_at_or_after_it(engine: Engine) -> None:
    old, new = emit_event(engine), emit_event(engine)
    with Session(engine) as session:
        past = datetime.now(UTC) - timedelta(days=2)
        session.exec(update(OutboxEvent).where(col(OutboxEvent.id) == old).values(created_at=past))  # type: ignore[call-overload]
        session.commit()
    start = resolve_start(engine, last_event_id=None, since=datetime.now(UTC) - timedelta(days=1))
    assert start.cursor == new - 1
    assert resolve_start(engine, last_event_id=None, since=datetime.now(UTC) + timedelta(days=1)).cursor == new


@pytest.mark.integration
def test_concurrent_writers_never_make_a_tailing_reader_skip_an_id(pg_engine: Engine) -> None:
    writers, per_writer = 8, 40
    done = threading.Event()
    seen: list[int] = []

    def write(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(per_writer):
            # Holding the transaction open after the insert lets a later id commit first: the
            # reader must wait for it, never move past it.
            emit_event(pg_engine, number=f"ZD-{seed:03d}{n:03d}", hold=rng.uniform(0, 0.003))

    def tail() -> None:
        cursor = 0
        while True:
            finished = done.is_set()
            batch = read_after(pg_engine, viewer=ADMIN, cursor=cursor, limit=50)
            seen.extend(e.id for e in batch.events if e.id is not None)
            cursor = batch.cursor
            if finished and not batch.more:
                return

    reader = threading.Thread(target=tail)
    reader.start()
    threads = [threading.Thread(target=write, args=(seed,)) for seed in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join(timeout=60)
    with Session(pg_engine) as session:
        committed = list(session.exec(select(col(OutboxEvent.id)).order_by(col(OutboxEvent.id))).all())
    assert len(committed) == writers * per_writer
    assert seen == committed
