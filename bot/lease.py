"""A lease naming the one bot replica that runs a background job (the event follower).

The holder renews it every third of its lifetime; a replica that cannot renew stops the job at
once; the others (standbys) try to take it every `standby` seconds, so after the holder stops (and
frees it) another replica runs the job within `standby` seconds, after it dies (and the lease
expires) within `ttl + standby`.
Without Redis the memory store's lease is taken at once: one process needs no coordination.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisError

from bot.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)
STOP_SECONDS = 10.0
STOP_WAIT_SECONDS = 0.5
RELEASE_WAIT_SECONDS = 5.0


class Lease:
    """One named lease in the store, held by this replica or not."""

    def __init__(self, store: Store, key: str, *, ttl: float, standby: float, owner: str | None = None) -> None:
        self.store = store
        self.key = key
        self.ttl = ttl
        self.standby = standby  # how often a replica without the lease tries to take it
        self.owner = owner or uuid.uuid4().hex
        self.held = asyncio.Event()  # set while this replica holds the lease

    @property
    def renew_every(self) -> float:
        """How often the holder renews: a third of the lifetime, so two late renewals still keep it."""
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
        """The store's answer; no when it cannot answer in time (holding a lease nobody can see is unsafe)."""
        try:
            async with asyncio.timeout(self.renew_every):
                return await question
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("lease %s: store unavailable (%s)", self.key, exc)
            return False

    async def release(self) -> None:
        """Give the lease up so another replica takes over now, not when it expires."""
        self.held.clear()
        try:
            async with asyncio.timeout(RELEASE_WAIT_SECONDS):
                await self.store.release_lease(self.key, self.owner)
        except (RedisError, OSError, TimeoutError) as exc:  # it expires by itself
            log.warning("lease %s: could not release (%s)", self.key, exc)


async def stop_task(task: asyncio.Task[None], *, within: float = STOP_SECONDS) -> bool:
    """Cancel a task and wait, at most `within` seconds, until it has ended; True if it did.

    httpx/anyio may swallow a cancellation that lands while a stream closes inside a shielded
    scope, and a job may finish its current step first (`finish_first`), so cancel again until the
    task is done.
    """
    deadline = asyncio.get_running_loop().time() + within
    while not task.done():
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            log.warning("task %s did not stop within %ss", task.get_name(), within)
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=min(STOP_WAIT_SECONDS, left))
    return True


async def finish_first(step: Awaitable[T], *, grace: float) -> T:
    """Await `step`; when cancelled meanwhile, give it up to `grace` seconds to end, then re-raise.

    A step cut short could leave a notice half done (claimed but not sent) or a job running on
    after its lease; repeated cancellations during the grace are absorbed.
    """
    inner = asyncio.ensure_future(step)
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while not inner.done() and (left := deadline - loop.time()) > 0:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait({inner}, timeout=left)
        if not inner.done():
            inner.cancel()
        raise


async def run_leased(lease: Lease, job: Callable[[], Awaitable[None]]) -> None:
    """Run `job` whenever this replica holds `lease`, until cancelled; stop it when the lease is lost."""
    while True:
        if not await lease.acquire():
            await asyncio.sleep(lease.standby)
            continue
        log.info("lease %s taken by %s", lease.key, lease.owner)
        task = asyncio.create_task(_run(job), name=f"leased:{lease.key}")
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=lease.renew_every)
                if not task.done() and not await lease.renew():
                    log.warning("lease %s lost by %s; stopping its job", lease.key, lease.owner)
                    break
        finally:
            # the job first, then the lease: freed earlier, another replica would run beside it
            await finish_first(_stop_and_release(task, lease), grace=STOP_SECONDS + RELEASE_WAIT_SECONDS)
        await asyncio.sleep(lease.standby)  # the job ended or the lease was lost: give the others a turn


async def _stop_and_release(task: asyncio.Task[None], lease: Lease) -> None:
    await stop_task(task)
    await lease.release()


async def _run(job: Callable[[], Awaitable[None]]) -> None:
    try:
        await job()
    except Exception:
        log.exception("leased job failed")
