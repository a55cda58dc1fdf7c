"""The transaction policy: reads never commit; a write is one `UnitOfWork`, the only place that commits.

A request's session first reads (the caller, the ticket…) in plain transactions that `end_read` closes
before the request moves to another worker thread; a read that left changes behind is rolled back, so
nothing a dependency or a failed check did is ever written. A write route does the work that needs no
lock first (matching, category suggestion, validation, password hashing), then::

    with uow:                       # BEGIN (IMMEDIATE on SQLite): the write lock from here…
        ticket = service.claim_ticket(session=uow.session, ...)
    return detail(uow.session, ticket)  # …to the commit; the response is built after it

Any exception inside the block (a 4xx domain error included) rolls the whole unit back, and a failed
commit propagates, so a client never sees success for something not committed. Services add to the
session and never commit; outbox events join the unit and are published after its commit
(`api.events.hooks`).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from api.db import WRITE_TRANSACTION

_FLUSHED = "zonedesk.unit_of_work.flushed"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context: Any) -> None:
    session.info[_FLUSHED] = True


def _wrote(session: Session) -> bool:
    return bool(session.new or session.dirty or session.deleted or session.info.get(_FLUSHED))


def end_read(session: Session) -> None:
    """End the session's read transaction and release its connection; changes a read left are dropped."""
    if session.in_transaction():
        if _wrote(session):
            session.rollback()  # a read never writes: whatever it added is discarded (rows reload on use)
        else:
            session.commit()  # nothing to write: ends the snapshot and keeps the rows read loaded
    session.info.pop(_FLUSHED, None)


class UnitOfWork:
    """One write transaction on `session`: begun on entry, committed once on a clean exit, else rolled back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.committed = False
        self._entered = False

    def __enter__(self) -> Session:
        if self._entered:
            raise RuntimeError("a unit of work runs once; start another for a second write")
        self._entered = True
        if _wrote(self.session):
            self.session.rollback()
            raise RuntimeError("changes made before the unit of work began would escape it: make them inside")
        # A write begins its own transaction: on SQLite a read transaction could not be upgraded to a
        # write without risking SQLITE_BUSY.
        end_read(self.session)
        self.session.connection(execution_options={WRITE_TRANSACTION: True})
        return self.session

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is not None:
                self.session.rollback()
                return
            try:
                self.session.commit()
            except BaseException:
                self.session.rollback()
                raise
            self.committed = True
        finally:
            self.session.info.pop(_FLUSHED, None)  # what the unit flushed is now committed or gone
