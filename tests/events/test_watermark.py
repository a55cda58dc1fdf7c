"""Event writers never wait for each other; a reader never passes an id a writer in flight may still commit."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from outbox_helpers import emit_event
from sqlalchemy import Engine
from sqlmodel import Session

from api.events.bus import InProcessBus
from api.events.reader import OutboxReader, read_rows
from api.events.service import emit
from api.events.stream import read_after
from api.events.viewer import Viewer
from api.events.watermark import safe_head
from common.roles import Role
from common.tickets import EventType, TicketStatus

ADMIN = Viewer(role=Role.ADMIN, user_id=1)


def _open_writer(engine: Engine) -> tuple[Session, int]:
    """A transaction that has written one event (its id taken) and not committed."""
    session = Session(engine)
    event = emit(
        session,
        type=EventType.CREATED,
        ticket_number="ZD-000777",
        status=TicketStatus.NEW,
        queue_key="talent",
        enterprise_id=None,
        requester_id=1,
    )
    session.flush()
    assert event.id is not None
    return session, event.id


@pytest.mark.integration
def test_a_later_writer_commits_while_an_earlier_one_is_in_flight(pg_engine: Engine) -> None:
    before = emit_event(pg_engine)
    holder, held = _open_writer(pg_engine)
    try:
        later = emit_event(pg_engine)  # did not wait for the open writer
        assert later > held > before
        with Session(pg_engine) as session:
            assert safe_head(session, wait=0.05) is None  # the open writer's id may still commit
        assert read_after(pg_engine, viewer=ADMIN, cursor=before).events == ()  # not past it
    finally:
        holder.commit()
        holder.close()
    with Session(pg_engine) as session:
        assert safe_head(session, wait=0.05) == later
    assert [e.id for e in read_after(pg_engine, viewer=ADMIN, cursor=before).events] == [held, later]


@pytest.mark.integration
def test_a_reader_waits_for_the_writer_in_flight_and_then_passes_both_in_order(pg_engine: Engine) -> None:
    before = emit_event(pg_engine)
    holder, held = _open_writer(pg_engine)
    later = emit_event(pg_engine)

    def commit_soon() -> None:
        time.sleep(0.3)
        holder.commit()
        holder.close()

    committer = threading.Thread(target=commit_soon)
    committer.start()
    rows = read_rows(pg_engine, cursor=before)  # waits (up to seconds) for the open writer
    committer.join()
    assert [e.id for e in rows.events] == [held, later]
    assert rows.head == later


@pytest.mark.integration
def test_a_writer_that_rolls_back_leaves_a_gap_the_reader_passes(pg_engine: Engine) -> None:
    before = emit_event(pg_engine)
    holder, held = _open_writer(pg_engine)
    later = emit_event(pg_engine)
    holder.rollback()
    holder.close()
    rows = read_rows(pg_engine, cursor=before)
    assert [e.id for e in rows.events] == [later]
    assert held < later


async def test_only_the_streams_a_new_row_concerns_are_woken(engine: Engine) -> None:
    bus = InProcessBus()
    reader = OutboxReader(engine, bus)
    reader.subscribe()
    try:
        async with asyncio.timeout(20):
            while reader.head is None:
                await asyncio.sleep(0.01)
            head = reader.head
            mine = asyncio.create_task(reader.wait_past(head, Viewer(role=Role.ENTERPRISE, user_id=1)))
            other = asyncio.create_task(reader.wait_past(head, Viewer(role=Role.ENTERPRISE, user_id=2)))
            await asyncio.sleep(0)  # both streams are waiting now
            [others_wait] = [w for w, (_, viewer) in reader._waiters.items() if viewer and viewer.user_id == 2]
            emit_event(engine, bus=bus, requester_id=1)
            await mine
            assert not others_wait.done()  # the read that woke `mine` left `other` asleep (no spurious wake-up)
            assert not other.done()
            emit_event(engine, bus=bus, requester_id=2)
            await other
    finally:
        reader.unsubscribe()
