"""Reading the outbox for one viewer: where a stream starts, the next batch, the SSE frames."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import anyio
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select
from sse_starlette import ServerSentEvent

from api.events import messages, metrics
from api.events.bus import EventBus
from api.events.cap import StreamCap
from api.events.models import OutboxEvent
from api.events.reader import READ_BATCH, OutboxReader, shared_reader
from api.events.recipients import Recipients, service_data, telegram_recipients
from api.events.viewer import Viewer, may_see, narrows, visible_to
from api.events.watermark import safe_head, start_head

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


def resolve_start(engine: Engine, *, last_event_id: int | None, since: datetime | None) -> StreamStart:
    """Where a new stream starts: after `last_event_id`, else at `since`, else at the current head."""
    with Session(engine) as session:
        head = start_head(session)
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


def read_after(engine: Engine, *, viewer: Viewer, cursor: int, limit: int = READ_BATCH) -> Batch:
    """The events after `cursor` that `viewer` may see, oldest first, at most `limit`."""
    with Session(engine) as session:
        # Every id up to the safe head that will ever commit already has (api.events.watermark): the
        # next statement sees all of them, and the cursor may move to `head` even past rows this
        # viewer may not see.
        head = safe_head(session)
        if head is None or head <= cursor:
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


def filter_held(engine: Engine, *, viewer: Viewer, held: tuple[OutboxEvent, ...], cursor: int) -> Batch:
    """The rows the shared reader holds, filtered for `viewer` in memory (the bot's also named recipients)."""
    events = tuple(event for event in held if may_see(viewer, event))
    if not viewer.service or not events:
        return Batch(events, cursor, more=False)
    with Session(engine) as session:
        recipients = telegram_recipients(session=session, events=events)
    events = tuple(event for event in events if event.id is not None and recipients[event.id])
    return Batch(events, cursor, more=False, recipients=recipients)


async def next_batch(engine: Engine, reader: OutboxReader, *, viewer: Viewer, cursor: int, batch_size: int) -> Batch:
    """What `viewer` may see after `cursor`: from the shared reader's rows, else (further behind) a query of its own."""
    held = reader.after(cursor)
    if held is None:
        return await anyio.to_thread.run_sync(
            partial(read_after, engine, viewer=viewer, cursor=cursor, limit=batch_size)
        )
    head = reader.head
    assert head is not None
    cursor = max(cursor, head)
    if viewer.service and any(may_see(viewer, event) for event in held):
        return await anyio.to_thread.run_sync(partial(filter_held, engine, viewer=viewer, held=held, cursor=cursor))
    return filter_held(engine, viewer=viewer, held=held, cursor=cursor)


AccessCheck = Callable[[], Awaitable[Viewer | None]]
"""Who the caller is now: their viewer afresh (queues may have changed), or None once access is gone."""

ACCESS_RECHECK_SECONDS = 4.0  # DESIGN.md "Limits": ends within 5 s of access ending, the check itself included


async def _wait_for_more(
    reader: OutboxReader, cursor: int, viewer: Viewer, stops: tuple[anyio.Event, ...], timeout: float
) -> None:
    """Return once the reader holds a row after `cursor` for `viewer`, after `timeout`, or once a stop is set."""
    with anyio.move_on_after(timeout):
        async with anyio.create_task_group() as group:

            async def wake() -> None:
                await reader.wait_past(cursor, viewer)
                group.cancel_scope.cancel()

            async def stop(event: anyio.Event) -> None:
                await event.wait()
                group.cancel_scope.cancel()

            group.start_soon(wake)
            for event in stops:
                group.start_soon(stop, event)


async def stream_events(
    *,
    engine: Engine,
    bus: EventBus,
    viewer: Viewer,
    start: StreamStart,
    shutdown: anyio.Event | None = None,
    max_seconds: float = float("inf"),
    batch_size: int = READ_BATCH,
    access: AccessCheck | None = None,
    recheck_seconds: float = ACCESS_RECHECK_SECONDS,
    cap: StreamCap | None = None,
) -> AsyncIterator[ServerSentEvent]:
    """Replay the events after `start`, then follow the outbox through the process's shared reader.

    Ends once `shutdown` is set or after `max_seconds`, with a farewell frame carrying the last id
    read: the client reconnects, to any replica, with that Last-Event-ID and misses nothing. Every
    `recheck_seconds` it asks `access` who the caller is now and ends when they may see less (token
    revoked or expired, account disabled, a queue taken away), widening in place when they may see
    more. Opening more streams than `cap` allows a user ends the oldest.
    """
    shutdown = shutdown or anyio.Event()
    deadline = anyio.current_time() + max_seconds
    reader = shared_reader(engine, bus)
    reader.subscribe()
    caller = viewer  # the cap counts streams by the caller who opened them
    ousted = cap.open(caller) if cap is not None else anyio.Event()
    metrics.STREAMS_CONNECTED.inc()
    try:
        # An id without data moves the client's Last-Event-ID to where we start, so a reconnect
        # before the first event resumes here rather than at "now" again.
        yield ServerSentEvent(id=str(start.cursor), comment=start.note, retry=RETRY_MS)
        cursor = start.cursor
        next_check = anyio.current_time() + recheck_seconds
        farewell, why = messages.LIFETIME_REACHED, "stream lifetime reached"
        while True:
            if access is not None and anyio.current_time() >= next_check:
                current = await access()
                # Less access ends the stream (the client reconnects and learns its new view); more
                # (a queue added) widens it in place.
                if current is None or narrows(current, viewer):
                    farewell, why = messages.ACCESS_ENDED, "access ended"
                    break
                viewer, next_check = current, anyio.current_time() + recheck_seconds
            batch = await next_batch(engine, reader, viewer=viewer, cursor=cursor, batch_size=batch_size)
            for event in batch.events:
                yield to_sse(event, batch.recipients_of(event))
                metrics.EVENTS_STREAMED.inc()
            cursor = batch.cursor
            now = anyio.current_time()
            if shutdown.is_set():
                farewell, why = messages.SHUTTING_DOWN, "server shutting down"
                break
            if ousted.is_set():  # no "reconnect" here: reconnecting would push out the next stream
                yield ServerSentEvent(id=str(cursor), comment=messages.TOO_MANY_STREAMS)
                return
            if deadline <= now:
                break
            if not batch.more:
                wait = deadline - now if access is None else min(deadline, next_check) - now
                await _wait_for_more(reader, cursor, viewer, (shutdown, ousted), wait)
        yield ServerSentEvent(id=str(cursor), comment=messages.RECONNECT.format(farewell=farewell, why=why))
    finally:
        metrics.STREAMS_CONNECTED.dec()
        if cap is not None:
            cap.close(caller, ousted)
        reader.unsubscribe()
