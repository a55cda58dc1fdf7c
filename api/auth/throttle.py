"""Throttling credential guesses: failures counted per key in a sliding window, in Redis or in memory.

DESIGN.md "Limits": more than 10 failed logins for one username within 10 minutes, or more than 100 from
one client address, and more than 10 failed bindings for one user, → 429 with `Retry-After` until the
window has passed. With Redis every replica sees the same counts; without it each process counts alone.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, cast

import redis

from api.domain_errors import DeskError

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `attempts` failures per key within `window` seconds."""

    scope: str
    attempts: int
    window: float


LOGIN_PER_USERNAME = Limit("login-username", attempts=10, window=600)
LOGIN_PER_ADDRESS = Limit("login-address", attempts=100, window=600)  # a zone office sits behind one NAT
BIND_PER_USER = Limit("bind-user", attempts=10, window=600)
LINK_PER_TELEGRAM_USER = Limit("telegram-link", attempts=10, window=600)
# Questions logged as unanswered per asker (client address, or the Telegram user the bot names).
UNANSWERED_PER_ASKER = Limit("unanswered-asker", attempts=30, window=600)


class TooManyAttempts(DeskError):
    """Too many failures for this key: 429 with `Retry-After`."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FailureStore(Protocol):
    """Where failure times live: the newest `limit.attempts` per key are enough."""

    def newest(self, limit: Limit, key: str) -> list[float]:
        """The kept failure times of `key`, newest first."""

    def add(self, limit: Limit, key: str, at: float) -> None:
        """Record a failure at `at`."""

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of `key`."""


class MemoryStore:
    """Failures in this process (one replica, or tests)."""

    MAX_KEYS = 100_000  # past this, keys whose failures are all outside their window are dropped

    def __init__(self) -> None:
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def newest(self, limit: Limit, key: str) -> list[float]:
        """The kept failure times of `key`, newest first."""
        with self._lock:
            return sorted(self._failures.get((limit.scope, key), ()), reverse=True)

    def add(self, limit: Limit, key: str, at: float) -> None:
        """Record a failure at `at`."""
        with self._lock:
            if len(self._failures) >= self.MAX_KEYS:
                self._sweep(at, limit.window)
            self._failures.setdefault((limit.scope, key), deque(maxlen=limit.attempts)).append(at)

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of `key`."""
        with self._lock:
            self._failures.pop((limit.scope, key), None)

    def _sweep(self, now: float, window: float) -> None:
        stale = [k for k, times in self._failures.items() if not times or max(times) <= now - window]
        for k in stale:
            del self._failures[k]


class RedisStore:
    """Failures in Redis, shared by every replica: a sorted set per key, scored by time, expiring."""

    PREFIX = "zonedesk:throttle"

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def _name(self, limit: Limit, key: str) -> str:
        return f"{self.PREFIX}:{limit.scope}:{key}"

    def newest(self, limit: Limit, key: str) -> list[float]:
        """The kept failure times of `key`, newest first."""
        rows = self._client.zrevrange(self._name(limit, key), 0, limit.attempts - 1, withscores=True)
        return [float(score) for _, score in cast("list[tuple[bytes, float]]", rows)]

    def add(self, limit: Limit, key: str, at: float) -> None:
        """Record a failure at `at`."""
        name = self._name(limit, key)
        with self._client.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {f"{at!r}:{secrets.token_hex(4)}": at})
            pipe.zremrangebyrank(name, 0, -(limit.attempts + 1))  # keep the newest `attempts`
            pipe.expire(name, math.ceil(limit.window))
            pipe.execute()

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of `key`."""
        self._client.delete(self._name(limit, key))


class Throttle:
    """Refuses keys with too many recent failures; the clock is injected so tests need no sleeping."""

    def __init__(self, store: FailureStore, *, clock: Clock = time.time) -> None:
        self._store = store
        self._clock = clock

    def retry_after(self, limit: Limit, key: str) -> int | None:
        """Seconds until `key` may try again, or None when it may try now."""
        times = self._store.newest(limit, key)
        if len(times) < limit.attempts:
            return None
        unblocked_at = times[limit.attempts - 1] + limit.window
        wait = unblocked_at - self._clock()
        return max(1, math.ceil(wait)) if wait > 0 else None

    def check(self, checks: Iterable[tuple[Limit, str]], message: str) -> None:
        """Raise TooManyAttempts when any (limit, key) is over its limit."""
        waits = [wait for limit, key in checks if (wait := self.retry_after(limit, key)) is not None]
        if waits:
            raise TooManyAttempts(message, retry_after=max(waits))

    def fail(self, limit: Limit, key: str) -> None:
        """Count one failure for `key` now."""
        self._store.add(limit, key, self._clock())

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the failures of `key` (after a success)."""
        self._store.clear(limit, key)

    def take(self, limit: Limit, key: str) -> bool:
        """Count one use by `key` and say yes, or say no (counting nothing) once it is over its limit."""
        if self.retry_after(limit, key) is not None:
            return False
        self.fail(limit, key)
        return True


def create_throttle(redis_url: str | None, *, clock: Clock = time.time) -> Throttle:
    """A throttle counting in Redis when `redis_url` is set, else in this process."""
    if redis_url:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        return Throttle(RedisStore(client), clock=clock)
    return Throttle(MemoryStore(), clock=clock)
