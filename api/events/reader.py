"""One outbox reader per process: it reads new rows once per wake-up and hands them to every stream.

Streams filter what the reader holds in memory (`may_see`) instead of querying the outbox each, so a
commit costs one outbox query however many streams are open. The reader keeps the most recent rows;
a stream further behind (a Last-Event-ID resume) catches up with queries of its own first.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from dataclasses import dataclass
from functools import partial

import anyio
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.events.bus import EventBus
from api.events.models import OutboxEvent
from api.events.viewer import Viewer, may_see
from api.events.watermark import safe_head, start_head

KEEP_EVENTS = 2000  # rows kept for streams that lag a little behind the reader
READ_BATCH = 500


@dataclass(frozen=True, slots=True)
class Rows:
    """Every outbox row after one id up to `head` (possibly a first part of them, then `more`)."""

    events: tuple[OutboxEvent, ...]
    head: int
    more: bool


def read_rows(engine: Engine, *, cursor: int | None, limit: int = READ_BATCH) -> Rows:
    """All rows after `cursor` (None: none, only where the outbox ends), oldest first, at most `limit`.

    Only up to the safe head (`api.events.watermark`): no row that may still commit below it is passed.
    """
    with Session(engine) as session:
        if cursor is None:
            return Rows((), start_head(session), more=False)
        head = safe_head(session)
        if head is None or head <= cursor:
            return Rows((), cursor, more=False)
        query = (
            select(OutboxEvent)
            .where(col(OutboxEvent.id) > cursor, col(OutboxEvent.id) <= head)
            .order_by(col(OutboxEvent.id))
            .limit(limit)
        )
        events = tuple(session.exec(query).all())
    if len(events) == limit and events[-1].id is not None:
        return Rows(events, events[-1].id, more=True)
    return Rows(events, head, more=False)


class OutboxReader:
    """The shared reader of one bus and engine: `after(cursor)` serves streams from memory."""

    def __init__(self, engine: Engine, bus: EventBus, *, keep: int = KEEP_EVENTS) -> None:
        self._engine = engine
        self._bus = bus
        self._rows: deque[OutboxEvent] = deque(maxlen=keep)
        self._floor: int | None = None  # every row in (floor, head] is held
        self._head: int | None = None
        self._waiters: dict[asyncio.Future[None], tuple[int, Viewer | None]] = {}
        self._subscribers = 0
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def head(self) -> int | None:
        """The id up to which the reader has read (None before its first read)."""
        return self._head

    def after(self, cursor: int) -> tuple[OutboxEvent, ...] | None:
        """The held rows after `cursor`, oldest first; None when `cursor` is older than what is held."""
        if self._floor is None or self._head is None or cursor < self._floor:
            return None
        return tuple(event for event in self._rows if event.id is not None and event.id > cursor)

    async def wait_past(self, cursor: int, viewer: Viewer | None = None) -> None:
        """Return once the reader holds a row after `cursor` that `viewer` may see (any row without a viewer),
        or no longer holds every row after it (the caller reads them itself). The caller bounds the wait.

        Only the streams a new row concerns wake: 200 streams of other users cost no wake-up per commit."""
        while True:
            if self._head is not None and self._head > cursor:
                held = self.after(cursor)
                if held is None or viewer is None or any(may_see(viewer, event) for event in held):
                    return
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters[waiter] = (cursor, viewer)
            try:
                await waiter
            finally:
                self._waiters.pop(waiter, None)

    def subscribe(self) -> None:
        """A stream starts using the reader: run it on this loop if it is not running."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (tests, a restarted server): the old one's reader died with it
            self._loop, self._task, self._subscribers = loop, None, 0
            self._waiters.clear()
            self._rows.clear()
            self._floor = self._head = None
        self._subscribers += 1
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._read_forever(), name="zonedesk-outbox-reader")

    def unsubscribe(self) -> None:
        """A stream is done with the reader: stop it when no stream is left."""
        self._subscribers -= 1
        if self._subscribers <= 0 and self._task is not None:
            self._subscribers = 0
            self._task.cancel()
            self._task = None
            self._rows.clear()
            self._floor = self._head = None

    async def _read_forever(self) -> None:
        while True:
            seen = self._bus.generation
            try:
                rows = await anyio.to_thread.run_sync(partial(read_rows, self._engine, cursor=self._head))
            except Exception:  # a database outage: streams wait, the reader tries again at the next poll
                await self._bus.wait_for_wakeup(self._bus.poll_interval, after=seen)
                continue
            self._take(rows)
            if not rows.more:
                await self._bus.wait_for_wakeup(self._bus.poll_interval, after=seen)

    def _take(self, rows: Rows) -> None:
        before = self._head
        if self._floor is None:
            self._floor = rows.head
        for event in rows.events:
            if len(self._rows) == self._rows.maxlen and self._rows[0].id is not None:
                self._floor = self._rows[0].id  # the row about to drop out
            self._rows.append(event)
        self._head = rows.head
        if before != self._head:
            self._wake(rows.events)

    def _wake(self, new: tuple[OutboxEvent, ...]) -> None:
        floor = self._floor if self._floor is not None else 0
        for waiter, (cursor, viewer) in list(self._waiters.items()):
            if waiter.done():
                continue
            if (
                viewer is None
                or cursor < floor
                or any(event.id is not None and event.id > cursor and may_see(viewer, event) for event in new)
            ):
                waiter.set_result(None)


_readers: weakref.WeakKeyDictionary[object, dict[Engine, OutboxReader]] = weakref.WeakKeyDictionary()


def shared_reader(engine: Engine, bus: EventBus) -> OutboxReader:
    """The process's reader for this bus and engine (one per pair)."""
    by_engine = _readers.setdefault(bus, {})
    reader = by_engine.get(engine)
    if reader is None:
        reader = by_engine[engine] = OutboxReader(engine, bus)
    return reader
