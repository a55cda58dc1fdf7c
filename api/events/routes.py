"""`GET /api/v1/events`: the outbox as server-sent events, filtered for the caller."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query
from sse_starlette import EventSourceResponse

from api.events.deps import AccessCheckDep, EventBusDep, OutboxEngineDep, StreamCapDep, ViewerDep
from api.events.schemas import ServiceEventDataLine
from api.events.stream import ACCESS_RECHECK_SECONDS, resolve_start, stream_events
from api.pagination import MAX_ROW_ID

router = APIRouter(tags=["events"])


class EventStreamResponse(EventSourceResponse):
    """sse-starlette's response, declaring its media type so OpenAPI files the data schema under it."""

    media_type = "text/event-stream"


HEARTBEAT_SECONDS = 15  # proxies drop idle connections after 30-60 s
SEND_TIMEOUT_SECONDS = 30  # a client that stops reading is dropped
SHUTDOWN_GRACE_SECONDS = 2  # time for a stream to say goodbye before it is cancelled
STREAM_MAX_SECONDS = 3600  # then the client reconnects and auth decides afresh what it may see


@router.get(
    "/events",
    response_class=EventStreamResponse,
    responses={
        200: {
            "model": ServiceEventDataLine,
            "description": (
                "Server-sent events: `id` (monotonic), `event` (the type), JSON `data` with at least `number` and"
                " `status`. On the bot's service stream (its service token without X-Telegram-User-Id) every"
                " `data` is a ServiceEventData: plus `queue`, `internal` and `recipients`."
            ),
        }
    },
)
async def get_events(
    viewer: ViewerDep,
    engine: OutboxEngineDep,
    bus: EventBusDep,
    access: AccessCheckDep,
    cap: StreamCapDep,
    last_event_id_header: Annotated[int | None, Header(alias="Last-Event-ID", ge=0, le=MAX_ROW_ID)] = None,
    last_event_id: Annotated[
        int | None, Query(ge=0, le=MAX_ROW_ID, description="the same as the Last-Event-ID header")
    ] = None,
    since: Annotated[datetime | None, Query(description="replay events created from this time")] = None,
) -> EventStreamResponse:
    """Stream the ticket events the caller may see; resume after `Last-Event-ID`, else from now.

    The bot's service token without X-Telegram-User-Id opens the service stream: every event with
    Telegram recipients, its data naming them (`recipients`) and the ticket's queue (`queue`).
    The stream re-checks the caller's access every few seconds and ends once it is gone; a user
    holds at most five open streams per process (opening another ends the oldest).
    """
    resume_after = last_event_id_header if last_event_id_header is not None else last_event_id
    start = await anyio.to_thread.run_sync(partial(resolve_start, engine, last_event_id=resume_after, since=since))
    shutdown = anyio.Event()  # set by sse-starlette when uvicorn is asked to exit
    return EventStreamResponse(
        stream_events(
            engine=engine,
            bus=bus,
            viewer=viewer,
            start=start,
            shutdown=shutdown,
            max_seconds=STREAM_MAX_SECONDS,
            access=access,
            recheck_seconds=ACCESS_RECHECK_SECONDS,
            cap=cap,
        ),
        ping=HEARTBEAT_SECONDS,
        send_timeout=SEND_TIMEOUT_SECONDS,
        shutdown_event=shutdown,
        shutdown_grace_period=SHUTDOWN_GRACE_SECONDS,
    )
