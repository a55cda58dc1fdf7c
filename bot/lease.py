"""A lease naming the one bot replica that runs a background job (the event follower).

The holder renews it every third of its lifetime; a replica that cannot renew stops the job at
once; the others try to take it every third of a lifetime too, so after the holder stops (and frees
it) or dies (and it expires) another replica runs the job within about `ttl * 4 / 3` seconds.
Without Redis the memory store's lease is taken at once: one process needs no coordination.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from redis.exceptions import RedisError

from bot.store import Store

log = logging.getLogger(__name__)
STOP_ATTEMPTS = 10
STOP_WAIT_SECONDS = 0.5


class Lease:
    """One named lease in the store, held by this replica or not."""

    def __init__(self, store: Store, key: str, *, ttl: float, owner: str | None = None) -> None:
        self.store = store
        self.key = key
        self.ttl = ttl
        self.owner = owner or uuid.uuid4().hex
        self.held = asyncio.Event()  # set while this replica holds the lease

    @property
    def period(self) -> float:
        """How often the holder renews and the others try to take over."""
        return self.ttl / 3

    async def acquire(self) -> bool:
        """Take the lease if it is free."""
        taken = await self._answer(self.store.acquire_lease(self.key, self.owner, ttl=self.ttl))
        if taken:
            self.held.set()
        return taken

    async def renew(self) -> bool:
        """Extend the lease; False (and no longer held) when it was lost or the store is down."""
        kept = await self._answer(self.store.renew_lease(self.key, self.owner, ttl=self.ttl))
        if not kept:
            self.held.clear()
        return kept

    async def _answer(self, question: Awaitable[bool]) -> bool:
        """The store's answer; no when it cannot answer (holding a lease nobody can see is unsafe)."""
        try:
            return await question
        except (RedisError, OSError) as exc:
            log.warning("lease %s: store unavailable (%s)", self.key, exc)
            return False

    async def release(self) -> None:
        """Give the lease up so another replica takes over now, not when it expires."""
        self.held.clear()
        try:
            await self.store.release_lease(self.key, self.owner)
        except (RedisError, OSError) as exc:  # it expires by itself
            log.warning("lease %s: could not release (%s)", self.key, exc)


async def stop_task(task: asyncio.Task[None]) -> None:
    """Cancel a task and wait until it has ended.

    httpx/anyio may swallow a cancellation that lands while a stream closes inside a shielded
    scope, so cancel again until the task is done.
    """
    for _attempt in range(STOP_ATTEMPTS):
        if task.done():
            return
        task.cancel()
        await asyncio.wait({task}, timeout=STOP_WAIT_SECONDS)
    log.warning("task %s did not stop", task.get_name())


async def run_leased(lease: Lease, job: Callable[[], Awaitable[None]]) -> None:
    """Run `job` whenever this replica holds `lease`, until cancelled; stop it when the lease is lost."""
    while True:
        if not await lease.acquire():
            await asyncio.sleep(lease.period)
            continue
        log.info("lease %s taken by %s", lease.key, lease.owner)
        task = asyncio.create_task(_run(job), name=f"leased:{lease.key}")
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=lease.period)
                if not task.done() and not await lease.renew():
                    log.warning("lease %s lost by %s; stopping its job", lease.key, lease.owner)
                    break
        finally:
            await stop_task(task)
            await lease.release()
        await asyncio.sleep(lease.period)  # the job ended or the lease was lost: give the others a turn


async def _run(job: Callable[[], Awaitable[None]]) -> None:
    try:
        await job()
    except Exception:
        log.exception("leased job failed")
