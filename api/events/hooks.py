"""Publishing a wake-up when a session commits outbox events.

The desk opens its sessions as usual and attaches the app's bus once::

    with Session(engine) as session:
        attach_bus(session, request.app.state.event_bus)
        yield session

From then on every commit of that session that wrote an `OutboxEvent` publishes one wake-up after
the commit (never before: a streamer woken early would read nothing and sleep). A rollback
publishes nothing. Code that writes events without a session of its own can call
`bus.publish_wakeup()` after committing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from api.events import metrics
from api.events.bus import EventBus
from api.events.models import OutboxEvent

_BUS_KEY = "zonedesk.events.bus"
_PENDING_KEY = "zonedesk.events.pending"


def attach_bus(session: Session, bus: EventBus) -> None:
    """Make `session` publish a wake-up on `bus` after each commit that wrote outbox events."""
    session.info[_BUS_KEY] = bus


def note_emitted(session: Session, *types: str) -> None:
    """Record events written without the ORM (a Core insert) so the commit publishes them like ORM rows."""
    session.info.setdefault(_PENDING_KEY, []).extend(types)


@event.listens_for(Session, "after_flush")
def _note_outbox_rows(session: Session, _flush_context: Any) -> None:
    # `session.new` still lists the rows just inserted while after_flush runs.
    types = [obj.type for obj in session.new if isinstance(obj, OutboxEvent)]
    if types:
        session.info.setdefault(_PENDING_KEY, []).extend(types)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    types: list[str] = session.info.pop(_PENDING_KEY, [])
    for type_ in types:
        metrics.EVENTS_EMITTED.labels(type=type_).inc()
    bus: EventBus | None = session.info.get(_BUS_KEY)
    if types and bus is not None:
        bus.publish_wakeup()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
