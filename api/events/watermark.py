"""How far the outbox can be read without ever skipping an id, with event writers that never wait for each other.

PostgreSQL hands out outbox ids (a sequence) as rows are inserted, so two concurrent transactions may
commit ids 11 then 10, and a reader that moved past 11 would never deliver 10. Writers used to queue on
one exclusive lock until their commit; now each takes a *shared* advisory lock before its event takes
an id (`writer_lock`), so writers run side by side, and the reader finds a watermark: every id up to
the sequence's last value read at one moment is final once every transaction then holding the lock has
ended (a writer that took such an id held the lock before taking it). `safe_head` reads the last
value, then the lock's holders, waits for those holders to end (a few milliseconds: a writer holds it
from its event's insert to its commit), and answers that last value. SQLite serialises writers by
itself: there the highest committed id is final.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import ColumnElement, func, text
from sqlmodel import Session, select

from api.events.models import OutboxEvent

log = logging.getLogger(__name__)

WRITERS_LOCK_KEY = 7_349_201
WAIT_SECONDS = 5.0  # a writer holds the lock for milliseconds; one stuck longer only delays the reader
_POLL_SECONDS = (0.001, 0.05)  # first and longest pause between looks at the lock's holders (doubling)
_HOLDERS = text(
    "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND classid = 0 AND objid = :key AND objsubid = 1"
)
_LAST_TAKEN = text("SELECT pg_sequence_last_value(pg_get_serial_sequence('outbox_events', 'id')::regclass)")


def writer_lock() -> ColumnElement[Any]:
    """The SQL expression an event writer evaluates before its event row takes an id (PostgreSQL)."""
    return func.pg_advisory_xact_lock_shared(WRITERS_LOCK_KEY)


def take_writer_lock(session: Session) -> None:
    """Hold the writers' lock (shared) in the session's transaction until it ends (PostgreSQL; no-op elsewhere)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(writer_lock()))


def committed_head(session: Session) -> int:
    """The highest committed outbox id, 0 for an empty outbox (final on SQLite only)."""
    return session.exec(select(func.max(OutboxEvent.id))).one() or 0


def _holders(session: Session) -> set[str]:
    return {row[0] for row in session.execute(_HOLDERS, {"key": WRITERS_LOCK_KEY})}


def safe_head(session: Session, *, wait: float = WAIT_SECONDS) -> int | None:
    """An id up to which every outbox row is committed or never will be (None: writers held it past `wait` s).

    The caller's next statement sees every such row (read committed: each statement sees what committed
    before it began)."""
    if session.get_bind().dialect.name != "postgresql":
        return committed_head(session)
    last = session.execute(_LAST_TAKEN).scalar_one_or_none() or 0  # ids taken so far; then, who may hold one
    holders = _holders(session)
    deadline = time.monotonic() + wait
    pause, longest = _POLL_SECONDS
    while holders:
        if time.monotonic() >= deadline:
            return None
        time.sleep(pause)
        pause = min(pause * 2, longest)  # pg_locks is not free: a writer held long is looked at less often
        holders &= _holders(session)  # one that ended never returns; new holders take ids after `last`
    return int(last)


def start_head(session: Session) -> int:
    """Where a reader starts: the safe head, or (writers stuck past the wait) the highest committed id."""
    head = safe_head(session)
    if head is None:
        log.warning("outbox writers held their lock past %.0f s: starting at the highest committed id", WAIT_SECONDS)
        return committed_head(session)
    return head
