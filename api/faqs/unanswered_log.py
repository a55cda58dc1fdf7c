"""The unanswered-question log's writer: questions are queued in memory and written in batches.

`/ask` only queues (`add`, no database work on the request path); a background thread writes what
is queued every `interval` seconds in one unit of work, counting repeats of one normalised text
together. A failed write (the database down) keeps the batch queued for the next try, and `stop`
(the app's shutdown) writes whatever is left, so a question is never lost while the process ends
cleanly. Readers in this process call `flush` first to see every question asked so far.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.db import utcnow
from api.faqs.service import record_unanswered
from api.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

FLUSH_INTERVAL_SECONDS = 1.0


@dataclass(slots=True)
class _Pending:
    text: str
    times: int
    last_seen: dt.datetime


class UnansweredLog:
    """A thread-safe queue of unanswered questions, written to the database in batches."""

    def __init__(self, engine: Callable[[], Engine | None], *, interval: float = FLUSH_INTERVAL_SECONDS) -> None:
        self._engine = engine
        self._interval = interval
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one batch at a time, so a batch's rows are never raced by the next
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, *, text: str, normalized_text: str, now: dt.datetime | None = None) -> None:
        """Queue one asking of a question (keyed by its normalised text); never touches the database."""
        seen = now or utcnow()
        with self._lock:
            pending = self._pending.get(normalized_text)
            if pending is None:
                self._pending[normalized_text] = _Pending(text, 1, seen)
            else:
                pending.times += 1
                pending.last_seen = max(pending.last_seen, seen)

    def flush(self) -> int:
        """Write every queued question now (one transaction); the number of distinct questions written.

        On failure the batch goes back to the queue and the error propagates.
        """
        with self._write_lock:
            with self._lock:
                batch, self._pending = self._pending, {}
            if not batch:
                return 0
            engine = self._engine()
            try:
                if engine is None:
                    raise RuntimeError("the unanswered log has no database yet")
                with Session(engine, expire_on_commit=False) as session, UnitOfWork(session):
                    for normalized_text, pending in batch.items():
                        record_unanswered(
                            session=session,
                            text=pending.text,
                            normalized_text=normalized_text,
                            now=pending.last_seen,
                            times=pending.times,
                        )
            except BaseException:
                self._requeue(batch)
                raise
            return len(batch)

    def _requeue(self, batch: dict[str, _Pending]) -> None:
        with self._lock:
            for normalized_text, pending in batch.items():
                newer = self._pending.get(normalized_text)
                if newer is not None:
                    pending.times += newer.times
                    pending.last_seen = max(pending.last_seen, newer.last_seen)
                self._pending[normalized_text] = pending

    def start(self) -> None:
        """Write queued questions every `interval` seconds in a daemon thread until `stop`."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="zonedesk-unanswered-log", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and write what is left (logged, not raised, when the database is unreachable)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._flush_logged()

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self._flush_logged()

    def _flush_logged(self) -> None:
        try:
            self.flush()
        except Exception:
            logger.exception("writing the unanswered log failed; the questions stay queued")
