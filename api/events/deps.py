"""Dependencies of the event routes: the bus, the database engine and the viewer."""

from __future__ import annotations

import threading
from functools import partial
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from api.deps import DbDep, SettingsDep, get_current_user, is_bot_service
from api.domain_errors import DeskError
from api.events.bus import EventBus
from api.events.cap import StreamCap
from api.events.stream import AccessCheck
from api.events.viewer import SERVICE_VIEWER, Viewer
from api.queues.service import visible_queues
from api.settings import Settings
from api.unit_of_work import end_read
from common.roles import Role

_engine_lock = threading.Lock()


def get_event_bus(request: Request) -> EventBus:
    """The app's wake-up bus (created by `create_app`, started by its lifespan)."""
    bus: EventBus = request.app.state.event_bus
    return bus


def create_outbox_engine(url: str) -> Engine:
    """An engine for reading the outbox from worker threads."""
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def get_outbox_engine(request: Request) -> Engine:
    """The app's database engine (`app.state.engine`), or one of our own until the desk provides it."""
    state = request.app.state
    engine: Engine | None = getattr(state, "engine", None) or getattr(state, "events_engine", None)
    if engine is None:
        with _engine_lock:
            engine = getattr(state, "events_engine", None)
            if engine is None:
                engine = state.events_engine = create_outbox_engine(state.settings.effective_database_url)
    return engine


def viewer_of(request: Request, session: Session, settings: Settings) -> Viewer:
    """The caller as a `Viewer`: role, account, bound enterprise and the queues they work.

    The bot's service token without X-Telegram-User-Id is the bot itself: the service viewer,
    whose stream carries every event someone on Telegram may see, naming them.
    """
    if is_bot_service(request, settings):
        return SERVICE_VIEWER
    user = get_current_user(request, session, settings)
    queue_keys: frozenset[str] = frozenset()
    if user.role != Role.ENTERPRISE:
        queue_keys = frozenset(queue.key for queue in visible_queues(session=session, user=user))
    end_read(session)  # a stream lives long: hold no transaction (nor a pooled connection) while it runs
    # A Telegram user the desk has not seen yet (id None) owns no ticket: minus their Telegram id is no
    # account's id, and keeps one such viewer apart from another (per-user stream caps).
    user_id = user.id if user.id is not None else -(user.telegram_user_id or 0)
    return Viewer(role=user.role, user_id=user_id, enterprise_id=user.enterprise_id, queue_keys=queue_keys)


EventBusDep = Annotated[EventBus, Depends(get_event_bus)]
OutboxEngineDep = Annotated[Engine, Depends(get_outbox_engine)]


def get_viewer(request: Request, session: DbDep, settings: SettingsDep) -> Viewer:
    """The caller of the event stream as a `Viewer` (see `viewer_of`)."""
    return viewer_of(request, session, settings)


def recheck_viewer(request: Request, engine: Engine) -> Viewer | None:
    """The stream's caller afresh, by the credentials it opened with; None once they no longer give access."""
    settings: Settings = request.app.state.settings  # the bot's token is checked against the current settings
    with Session(engine, expire_on_commit=False) as session:  # the rows read stay loaded past `end_read`
        try:
            return viewer_of(request, session, settings)
        except DeskError:  # token revoked or expired, account disabled, ...
            return None


# Rechecks take at most this many worker threads: 200 streams opened together recheck together, and must
# not take every thread the routes need (a recheck is one or two short queries).
_RECHECKS = anyio.CapacityLimiter(4)


def get_access_check(request: Request, engine: OutboxEngineDep) -> AccessCheck:
    """How an open stream re-checks its caller: `recheck_viewer` in a worker thread."""

    async def check() -> Viewer | None:
        return await anyio.to_thread.run_sync(partial(recheck_viewer, request, engine), limiter=_RECHECKS)

    return check


def get_stream_cap(request: Request) -> StreamCap:
    """The app's per-user cap on open streams (one per process)."""
    state = request.app.state
    cap: StreamCap | None = getattr(state, "stream_cap", None)
    if cap is None:
        with _engine_lock:
            cap = getattr(state, "stream_cap", None)
            if cap is None:
                cap = state.stream_cap = StreamCap()
    return cap


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
AccessCheckDep = Annotated[AccessCheck, Depends(get_access_check)]
StreamCapDep = Annotated[StreamCap, Depends(get_stream_cap)]
