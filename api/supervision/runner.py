"""Running the SLA job beside the routes: every replica ticks, the one holding the lease does the work.

State lives in the database only (alert rows, ticket statuses, the lease), so a restart loses
nothing: the next tick catches up on what came due meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.db import utcnow
from api.events.bus import EventBus
from api.events.hooks import attach_bus
from api.supervision.lease import acquire_lease, release_lease
from api.supervision.sla_job import TickResult, run_sla_tick
from api.unit_of_work import UnitOfWork

JOB_NAME = "sla"
log = logging.getLogger(__name__)


class SlaJob:
    """The SLA job of one replica: `tick()` runs it once if this replica holds (or takes) the lease."""

    def __init__(self, engine: Engine, bus: EventBus | None, *, interval: float, owner: str | None = None) -> None:
        self.engine = engine
        self.bus = bus
        self.interval = interval
        self.owner = owner or uuid.uuid4().hex
        # Three ticks long: a holder that misses two ticks keeps it; a dead one is replaced after three.
        self.ttl = dt.timedelta(seconds=max(interval, 1.0) * 3)
        # A cancelled `asyncio.to_thread` tick runs on in its thread: the lock makes `release` wait for it,
        # and `stopped` keeps a later tick from taking the lease back.
        self._lock = threading.Lock()
        self._stopped = False

    def _session(self) -> Session:
        session = Session(self.engine, expire_on_commit=False)
        if self.bus is not None:
            attach_bus(session, self.bus)  # commits with events wake the event streams
        return session

    def tick(self, now: Callable[[], dt.datetime] = utcnow) -> TickResult | None:
        """Take or renew the lease and run one tick; None when another replica holds the lease (or stopped)."""
        with self._lock, self._session() as session:
            if self._stopped:
                return None
            with UnitOfWork(session):
                held = acquire_lease(session=session, name=JOB_NAME, owner=self.owner, ttl=self.ttl, now=now())
            if not held:
                return None
            with UnitOfWork(session):
                return run_sla_tick(session=session, now=now())

    def release(self) -> None:
        """Stop ticking and give the lease up (after a tick in flight) so another replica takes over at once."""
        with self._lock:
            self._stopped = True
            with self._session() as session, UnitOfWork(session):
                release_lease(session=session, name=JOB_NAME, owner=self.owner)

    async def run(self) -> None:
        """Tick every `interval` seconds until cancelled; a failed tick is logged and retried next time."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await asyncio.to_thread(self.tick)
            except Exception:
                log.exception("SLA job tick failed")


@asynccontextmanager
async def sla_job_running(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's SLA job for the lifespan (not when `sla_job_seconds` is 0); free its lease on shutdown."""
    interval: float = app.state.settings.sla_job_seconds
    if interval <= 0:
        yield
        return
    job = SlaJob(app.state.engine, app.state.event_bus, interval=interval)
    app.state.sla_job = job
    task = asyncio.create_task(job.run(), name="sla-job")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        try:
            await asyncio.to_thread(job.release)
        except Exception:  # it expires by itself
            log.warning("SLA job: could not release the lease", exc_info=True)
