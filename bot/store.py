"""Small key-value state of the bot: user preferences, update dedup, rate counters, the event cursor.

Redis when configured (shared by every bot replica), otherwise process memory; lasting values (the
event cursor, preferences, which chat follows which ticket) then go to a small JSON file, so a
restart resumes the event stream where it stopped.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis

PREFIX = "zonedesk:bot:"


class Store(Protocol):
    """What the bot needs from its key-value store."""

    async def get(self, key: str) -> Any:
        """The JSON value at key, or None."""

    async def set(self, key: str, value: Any, *, ttl: float | None = None) -> None:
        """Store a JSON value, optionally expiring."""

    async def add_once(self, key: str, *, ttl: float) -> bool:
        """True the first time key is added within ttl seconds, False after."""

    async def incr(self, key: str, *, ttl: float) -> int:
        """Increment a counter that expires ttl seconds after its creation."""

    async def close(self) -> None:
        """Release connections."""


class MemoryStore:
    """Process-local store; values without expiry (cursor, preferences, ticket chats) also go to a JSON file."""

    def __init__(self, persist_file: Path | None = None) -> None:
        self._values: dict[str, tuple[Any, float | None]] = {}
        self._file = persist_file
        if persist_file is not None and persist_file.exists():
            for key, value in json.loads(persist_file.read_text(encoding="utf-8")).items():
                self._values[key] = (value, None)

    def _live(self, key: str) -> tuple[Any, float | None] | None:
        entry = self._values.get(key)
        if entry is not None and entry[1] is not None and entry[1] <= time.monotonic():
            del self._values[key]
            return None
        return entry

    async def get(self, key: str) -> Any:
        entry = self._live(key)
        return None if entry is None else entry[0]

    async def set(self, key: str, value: Any, *, ttl: float | None = None) -> None:
        self._values[key] = (value, None if ttl is None else time.monotonic() + ttl)
        if self._file is not None and ttl is None:
            persisted = {k: v for k, (v, expires) in self._values.items() if expires is None}
            self._file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._file.with_suffix(".tmp")
            tmp.write_text(json.dumps(persisted), encoding="utf-8")
            tmp.replace(self._file)

    async def add_once(self, key: str, *, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        self._values[key] = (True, time.monotonic() + ttl)
        return True

    async def incr(self, key: str, *, ttl: float) -> int:
        entry = self._live(key)
        count = 1 if entry is None else int(entry[0]) + 1
        expires = time.monotonic() + ttl if entry is None else entry[1]
        self._values[key] = (count, expires)
        return count

    async def close(self) -> None:
        return None


class RedisStore:
    """Store in Redis, shared by replicas; keys prefixed `zonedesk:bot:`."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        """Connect lazily to the Redis at url."""
        return cls(Redis.from_url(url))

    async def get(self, key: str) -> Any:
        raw = await self._redis.get(PREFIX + key)
        return None if raw is None else json.loads(raw)

    async def set(self, key: str, value: Any, *, ttl: float | None = None) -> None:
        px = None if ttl is None else int(ttl * 1000)
        await self._redis.set(PREFIX + key, json.dumps(value), px=px)

    async def add_once(self, key: str, *, ttl: float) -> bool:
        return bool(await self._redis.set(PREFIX + key, b"1", nx=True, px=int(ttl * 1000)))

    async def incr(self, key: str, *, ttl: float) -> int:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(PREFIX + key)
            pipe.pexpire(PREFIX + key, int(ttl * 1000), nx=True)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()
