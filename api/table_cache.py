"""Per-process caches of small, rarely written tables (routing, queues, the working calendar).

Every submission reads the routing and the calendar; both change only when an admin edits them. A
cache holds what it loaded for each database (engine) until:
- a session of this process commits a change to a watched table (ORM objects, bulk UPDATE/DELETE
  alike): the cache is dropped at once, and a session holding such an uncommitted change reads the
  tables itself;
- `TTL_SECONDS` pass: what another replica changed is seen within that time.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

T = TypeVar("T")
TTL_SECONDS = 5.0
_CHANGED = "zonedesk.table_cache.changed"  # session.info: the watched tables it changed, uncommitted
_caches: weakref.WeakSet[TableCache[Any]] = weakref.WeakSet()


class TableCache(Generic[T]):
    """`load(session)` cached per engine, dropped when one of `tables` changes (or after the TTL)."""

    def __init__(
        self,
        tables: tuple[type, ...],
        load: Callable[[Session], T],
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tables = tables
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._generation = 0
        self._entries: weakref.WeakKeyDictionary[Engine, tuple[int, float, T]] = weakref.WeakKeyDictionary()
        _caches.add(self)

    def get(self, session: Session) -> T:
        """The cached value for the session's database, loaded with `session` when missing or stale."""
        if session.info.get(_CHANGED, frozenset()) & set(self.tables):
            return self._load(session)  # this transaction changed them: it reads its own writes
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        now = self._clock()
        with self._lock:
            generation = self._generation
            entry = self._entries.get(engine)
        if entry is not None and entry[0] == generation and now < entry[1]:
            return entry[2]
        value = self._load(session)
        with self._lock:
            if self._generation == generation:  # nothing changed while loading
                self._entries[engine] = (generation, now + self._ttl, value)
        return value

    def invalidate(self) -> None:
        """Drop every cached value."""
        with self._lock:
            self._generation += 1
            self._entries.clear()


def invalidate_table_caches() -> None:
    """Drop every cache (after writing watched tables outside the ORM, e.g. emptying a test database)."""
    for cache in list(_caches):
        cache.invalidate()


def _note(session: Session, classes: set[type]) -> None:
    watched = {table for cache in list(_caches) for table in cache.tables}
    changed = classes & watched
    if changed:
        session.info[_CHANGED] = session.info.get(_CHANGED, frozenset()) | changed
        _drop_watching(changed)


def _drop_watching(changed: set[type] | frozenset[type]) -> None:
    for cache in list(_caches):
        if changed & set(cache.tables):
            cache.invalidate()


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    _note(session, {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)})


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        _note(state.session, {mapper.class_ for mapper in state.all_mappers})  # type: ignore[arg-type]


@event.listens_for(Session, "after_commit")
def _drop_after_commit(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        _drop_watching(changed)  # again: a reader may have cached the old rows before the commit


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
