"""The wake-up bus: tells event streamers that the outbox has new rows.

The bus carries no events, only "look again": the outbox table is the source of truth and every
streamer reads it. So a lost wake-up costs latency, never an event — streamers also poll on a
timer, fast (`fallback_poll_interval`) whenever wake-ups cannot be trusted (Redis down), slow
(`live_poll_interval`) as a safety net while they can.

- `InProcessBus` (no `ZONEDESK_REDIS_URL`): wakes the streamers of this process.
- `RedisBus`: also publishes on the Redis channel `zonedesk:events` and subscribes to it, so every
  replica wakes. Publishing never fails the request; the subscriber reconnects with backoff.

`publish_wakeup()` is thread-safe and non-blocking: call it after a commit that wrote events,
from any thread (sync routes commit in worker threads). `api.events.hooks.attach_bus` makes a
session call it by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import uuid
import weakref
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from api.events import metrics
from api.settings import Settings

logger = logging.getLogger(__name__)

CHANNEL = "zonedesk:events"
LIVE_POLL_INTERVAL = 15.0
FALLBACK_POLL_INTERVAL = 1.0
# Without Redis a second process sharing the database (another replica, the CLI) wakes nobody
# here, so the in-process bus polls often enough for that to stay unnoticeable.
IN_PROCESS_POLL_INTERVAL = 2.0


class EventBus(Protocol):
    """What streamers and writers need from a wake-up bus."""

    @property
    def generation(self) -> int:
        """A counter bumped by every wake-up; pass it to `wait_for_wakeup(after=...)`."""
        ...

    @property
    def poll_interval(self) -> float:
        """How long a streamer may wait before reading the outbox again anyway."""
        ...

    def publish_wakeup(self) -> None:
        """Wake every streamer (of every replica); thread-safe, never raises."""
        ...

    async def wait_for_wakeup(self, timeout: float, *, after: int | None = None) -> bool:
        """Wait until a wake-up newer than `after` (default: now) or the timeout; True if woken."""
        ...

    async def start(self) -> None:
        """Begin background work (subscriptions) on the running loop."""
        ...

    async def stop(self) -> None:
        """End background work and release connections."""
        ...


class LocalFanout:
    """Wakes waiters on every event loop of this process; `fire` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._events: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = weakref.WeakKeyDictionary()

    @property
    def generation(self) -> int:
        """The number of wake-ups so far."""
        return self._generation

    def fire(self) -> None:
        """Bump the generation and wake every waiting loop."""
        with self._lock:
            self._generation += 1
            loops = list(self._events.keys())
        for loop in loops:
            if loop.is_closed():
                continue
            try:
                loop.call_soon_threadsafe(self._wake, loop)
            except RuntimeError:  # the loop closed meanwhile
                continue

    def _wake(self, loop: asyncio.AbstractEventLoop) -> None:
        event = self._events.pop(loop, None)
        if event is not None:
            event.set()

    async def wait(self, timeout: float, *, after: int | None) -> bool:
        """Wait for a wake-up after generation `after`, at most `timeout` seconds."""
        loop = asyncio.get_running_loop()
        # Under the lock a concurrent fire() either bumped the generation already or will see this
        # loop and schedule `_wake`, which runs on this loop only after we are waiting.
        with self._lock:
            if after is not None and self._generation != after:
                return True
            event = self._events.get(loop)
            if event is None:
                event = self._events[loop] = asyncio.Event()
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return after is not None and self._generation != after
        return True


class _FanoutBus:
    """What both buses share: wake-ups fanned out to the waiters of this process."""

    def __init__(self) -> None:
        self._fanout = LocalFanout()

    @property
    def generation(self) -> int:
        """See `EventBus.generation`."""
        return self._fanout.generation

    async def wait_for_wakeup(self, timeout: float, *, after: int | None = None) -> bool:
        """See `EventBus.wait_for_wakeup`."""
        return await self._fanout.wait(timeout, after=after)

    def _wake_local(self) -> None:
        metrics.WAKEUPS_PUBLISHED.inc()
        self._fanout.fire()


class InProcessBus(_FanoutBus):
    """Wake-ups within one process: the embedded mode's bus."""

    def __init__(self, *, poll_interval: float = IN_PROCESS_POLL_INTERVAL) -> None:
        super().__init__()
        self._poll_interval = poll_interval

    @property
    def poll_interval(self) -> float:
        """See `EventBus.poll_interval`."""
        return self._poll_interval

    def publish_wakeup(self) -> None:
        """See `EventBus.publish_wakeup`."""
        self._wake_local()

    async def start(self) -> None:
        """Nothing to start."""
        metrics.BUS_CONNECTED.set(1)

    async def stop(self) -> None:
        """Nothing to stop."""


class RedisBus(_FanoutBus):
    """Wake-ups across replicas through Redis pub/sub, with local fan-out and polling fallback."""

    def __init__(
        self,
        url: str,
        *,
        channel: str = CHANNEL,
        live_poll_interval: float = LIVE_POLL_INTERVAL,
        fallback_poll_interval: float = FALLBACK_POLL_INTERVAL,
        min_backoff: float = 0.2,
        max_backoff: float = 5.0,
    ) -> None:
        super().__init__()
        self._url = url
        self._channel = channel
        self._live_poll_interval = live_poll_interval
        self._fallback_poll_interval = fallback_poll_interval
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._node = uuid.uuid4().hex.encode()
        self._client: Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._subscribed = False
        self._publish_failing = False

    @property
    def connected(self) -> bool:
        """Whether the subscription is up, so wake-ups from other replicas arrive."""
        return self._subscribed

    @property
    def poll_interval(self) -> float:
        """Slow while subscribed, fast while Redis is unreachable."""
        return self._live_poll_interval if self._subscribed else self._fallback_poll_interval

    def publish_wakeup(self) -> None:
        """Wake local streamers now and ask the publisher task to tell the other replicas."""
        self._wake_local()
        loop, pending = self._loop, self._pending
        if loop is None or pending is None or loop.is_closed():
            return  # not started: other replicas find the event by polling
        try:
            loop.call_soon_threadsafe(pending.set)
        except RuntimeError:
            return  # the loop is shutting down

    async def start(self) -> None:
        """Connect lazily and start the subscriber and publisher tasks."""
        self._loop = asyncio.get_running_loop()
        self._pending = asyncio.Event()
        # No client-side retries: our loops own reconnection, with backoff, and a failed publish must
        # return at once rather than hold the publisher for seconds.
        self._client = Redis.from_url(
            self._url,
            socket_connect_timeout=1.0,
            socket_timeout=2.0,
            socket_keepalive=True,
            health_check_interval=10,
            retry=Retry(NoBackoff(), 0),
        )
        metrics.BUS_CONNECTED.set(0)
        self._tasks = [
            asyncio.create_task(self._subscribe_forever(), name="zonedesk-events-subscriber"),
            asyncio.create_task(self._publish_forever(), name="zonedesk-events-publisher"),
        ]

    async def stop(self) -> None:
        """Cancel the tasks and close the connections."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self._loop = None
        self._subscribed = False
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _backoff(self, attempt: int) -> float:
        delay: float = min(self._max_backoff, self._min_backoff * 2**attempt)
        return delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography

    async def _publish_forever(self) -> None:
        assert self._pending is not None
        assert self._client is not None
        attempt = 0
        while True:
            await self._pending.wait()
            # Cleared before PUBLISH: a commit after this point sets it again and gets its own
            # message; a commit before it is covered by this one. So wake-ups coalesce safely.
            self._pending.clear()
            try:
                await self._client.publish(self._channel, self._node)
            except Exception as exc:  # Redis errors mostly; nothing may stop the publisher
                metrics.WAKEUP_PUBLISH_FAILURES.inc()
                if not self._publish_failing:
                    logger.warning("Redis publish failed, other replicas will poll: %s", exc)
                self._publish_failing = True
                self._pending.set()  # retry until Redis is back, so replicas catch up at once
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
                continue
            if self._publish_failing:
                logger.info("Redis publish works again")
            self._publish_failing = False
            attempt = 0

    async def _subscribe_forever(self) -> None:
        assert self._client is not None
        attempt = 0
        while True:
            pubsub = self._client.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                self._set_subscribed(True)
                attempt = 0
                # Whatever was written while we were deaf: look now rather than at the next poll.
                self._fanout.fire()
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                    if message is not None and message.get("data") != self._node:
                        self._fanout.fire()
            except Exception as exc:  # Redis errors mostly; nothing may stop the subscriber
                if self._subscribed or attempt == 0:
                    logger.warning("Redis subscription lost, streamers poll the outbox: %s", exc)
                self._set_subscribed(False)
                self._fanout.fire()  # waiters re-arm with the fast poll interval
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _set_subscribed(self, value: bool) -> None:
        if value and not self._subscribed:
            logger.info("Redis subscription to %s is up", self._channel)
        self._subscribed = value
        metrics.BUS_CONNECTED.set(1 if value else 0)


def create_bus(settings: Settings) -> InProcessBus | RedisBus:
    """The bus the settings ask for: Redis when `redis_url` is set, else in-process."""
    if settings.redis_url:
        return RedisBus(settings.redis_url)
    return InProcessBus()
