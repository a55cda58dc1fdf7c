"""Reading the outbox for one viewer: where a stream starts, the next batch, the SSE frames."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import anyio
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select
from sse_starlette import ServerSentEvent

from api.events import messages, metrics
from api.events.bus import EventBus
from api.events.models import OutboxEvent
from api.events.recipients import Recipients, service_data, telegram_recipients
from api.events.viewer import Viewer, visible_to

BATCH_SIZE = 500
RETRY_MS = 2000  # how long an EventSource waits before reconnecting


@dataclass(frozen=True, slots=True)
class StreamStart:
    """The id a stream continues after, and a sentence saying why."""

    cursor: int
    note: str


@dataclass(frozen=True, slots=True)
class Batch:
    """Visible events after a cursor, and the cursor to continue after."""

    events: tuple[OutboxEvent, ...]
    cursor: int
    more: bool  # the batch was full: read again at once
    recipients: Mapping[int, Recipients] = field(default_factory=dict)  # the service stream's, by event id

    def recipients_of(self, event: OutboxEvent) -> Recipients | None:
        """Whom the service stream names for `event` (None on a user's stream)."""
        return None if event.id is None else self.recipients.get(event.id)


def read_head(session: Session) -> int:
    """The highest committed outbox id, 0 for an empty outbox."""
    return session.exec(select(func.max(OutboxEvent.id))).one() or 0


def resolve_start(engine: Engine, *, last_event_id: int | None, since: datetime | None) -> StreamStart:
    """Where a new stream starts: after `last_event_id`, else at `since`, else at the current head."""
    with Session(engine) as session:
        head = read_head(session)
        if last_event_id is not None:
            if last_event_id > head:
                return StreamStart(head, messages.AHEAD_OF_OUTBOX.format(last_event_id=last_event_id))
            return StreamStart(last_event_id, messages.RESUMING.format(last_event_id=last_event_id))
        if since is not None:
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
            first = session.exec(select(func.min(OutboxEvent.id)).where(col(OutboxEvent.created_at) >= since)).one()
            cursor = head if first is None else first - 1
            return StreamStart(cursor, messages.SINCE.format(since=since.isoformat()))
    return StreamStart(head, messages.NEW_EVENTS_ONLY)


def read_after(engine: Engine, *, viewer: Viewer, cursor: int, limit: int = BATCH_SIZE) -> Batch:
    """The events after `cursor` that `viewer` may see, oldest first, at most `limit`."""
    with Session(engine) as session:
        # `emit` makes ids commit in order, so once `head` is visible every lower id that will ever
        # commit already has: the next statement sees all of them, and the cursor may move to
        # `head` even past rows this viewer may not see.
        head = read_head(session)
        if head <= cursor:
            return Batch((), cursor, more=False)
        query = (
            select(OutboxEvent)
            .where(col(OutboxEvent.id) > cursor, col(OutboxEvent.id) <= head, visible_to(viewer))
            .order_by(col(OutboxEvent.id))
            .limit(limit)
        )
        events = tuple(session.exec(query).all())
        recipients: Mapping[int, Recipients] = {}
        if viewer.service:
            recipients = telegram_recipients(session=session, events=events)
    cursor, more = head, False
    if len(events) == limit:
        last = events[-1].id
        assert last is not None
        cursor, more = last, True
    if viewer.service:  # the bot is sent only what someone on Telegram may see
        events = tuple(event for event in events if event.id is not None and recipients[event.id])
    return Batch(events, cursor, more=more, recipients=recipients)


def to_sse(event: OutboxEvent, recipients: Recipients | None = None) -> ServerSentEvent:
    """One outbox row as an SSE frame: id, event type, JSON data with number and status.

    On the service stream (`recipients` given) the data also names the queue and the recipients.
    """
    data = dict(event.data) if recipients is None else service_data(event, recipients)
    data.setdefault("number", event.ticket_number)
    data.setdefault("status", event.status)
    return ServerSentEvent(json.dumps(data, ensure_ascii=False), id=str(event.id), event=event.type)


async def _wait_for_more(bus: EventBus, seen: int, shutdown: anyio.Event, timeout: float) -> None:
    """Return on a wake-up after `seen`, after `timeout`, or at shutdown."""
    async with anyio.create_task_group() as group:

        async def wake() -> None:
            await bus.wait_for_wakeup(timeout, after=seen)
            group.cancel_scope.cancel()

        async def stop() -> None:
            await shutdown.wait()
            group.cancel_scope.cancel()

        group.start_soon(wake)
        group.start_soon(stop)


async def stream_events(
    *,
    engine: Engine,
    bus: EventBus,
    viewer: Viewer,
    start: StreamStart,
    shutdown: anyio.Event | None = None,
    max_seconds: float = float("inf"),
    batch_size: int = BATCH_SIZE,
) -> AsyncIterator[ServerSentEvent]:
    """Replay the events after `start`, then follow the outbox as the bus signals (or polling finds) more.

    Ends once `shutdown` is set or after `max_seconds` (so a long-lived stream re-checks who may see
    what), with a farewell frame carrying the last id read: the client reconnects, to any replica,
    with that Last-Event-ID and misses nothing.
    """
    shutdown = shutdown or anyio.Event()
    deadline = anyio.current_time() + max_seconds
    metrics.STREAMS_CONNECTED.inc()
    try:
        # An id without data moves the client's Last-Event-ID to where we start, so a reconnect
        # before the first event resumes here rather than at "now" again.
        yield ServerSentEvent(id=str(start.cursor), comment=start.note, retry=RETRY_MS)
        cursor = start.cursor
        while True:
            seen = bus.generation
            batch = await anyio.to_thread.run_sync(
                partial(read_after, engine, viewer=viewer, cursor=cursor, limit=batch_size)
            )
            for event in batch.events:
                yield to_sse(event, batch.recipients_of(event))
                metrics.EVENTS_STREAMED.inc()
            cursor = batch.cursor
            remaining = deadline - anyio.current_time()
            if shutdown.is_set() or remaining <= 0:
                break
            if not batch.more:
                await _wait_for_more(bus, seen, shutdown, min(bus.poll_interval, remaining))
        farewell = messages.SHUTTING_DOWN if shutdown.is_set() else messages.LIFETIME_REACHED
        why = "server shutting down" if shutdown.is_set() else "stream lifetime reached"
        yield ServerSentEvent(id=str(cursor), comment=messages.RECONNECT.format(farewell=farewell, why=why))
    finally:
        metrics.STREAMS_CONNECTED.dec()
