"""Small key-value state of the bot: user preferences, update dedup, rate counters, the event cursor.

Redis when configured (shared by every bot replica), otherwise process memory; lasting values (the
event cursor, preferences, the followed chats) then go to a small JSON file, so a restart resumes
the event stream where it stopped. Hashes hold one field per item (a chat), so a change writes that
field only; leases name the one replica that runs a background job.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis

PREFIX = "zonedesk:bot:"

# Compare-and-act on a lease, so a replica whose lease expired never extends or frees its successor's.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


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

    async def delete(self, key: str) -> None:
        """Forget a key."""

    async def hash_set(self, key: str, field: str, value: Any) -> None:
        """Store a JSON value in one field of a hash."""

    async def hash_delete(self, key: str, field: str) -> None:
        """Remove one field of a hash."""

    async def hash_get(self, key: str, fields: Iterable[str]) -> dict[str, Any]:
        """The JSON values of those fields that exist."""

    async def hash_all(self, key: str) -> dict[str, Any]:
        """Every field of a hash with its JSON value."""

    async def acquire_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        """Take a free lease for ttl seconds (SET NX PX); False while someone holds it."""

    async def renew_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        """Extend a lease `owner` still holds by ttl seconds; False when it was lost."""

    async def release_lease(self, key: str, owner: str) -> None:
        """Give a lease up, if `owner` still holds it."""

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
        if ttl is None:
            self._persist()

    def _persist(self) -> None:
        if self._file is None:
            return
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

    async def delete(self, key: str) -> None:
        entry = self._values.pop(key, None)
        if entry is not None and entry[1] is None:
            self._persist()

    def _hash(self, key: str) -> dict[str, Any]:
        entry = self._live(key)
        return dict(entry[0]) if entry is not None and isinstance(entry[0], dict) else {}

    async def hash_set(self, key: str, field: str, value: Any) -> None:
        await self.set(key, {**self._hash(key), field: value})

    async def hash_delete(self, key: str, field: str) -> None:
        values = self._hash(key)
        if values.pop(field, None) is not None:
            await self.set(key, values)

    async def hash_get(self, key: str, fields: Iterable[str]) -> dict[str, Any]:
        values = self._hash(key)
        return {field: values[field] for field in fields if field in values}

    async def hash_all(self, key: str) -> dict[str, Any]:
        return self._hash(key)

    async def acquire_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        self._values[key] = (owner, time.monotonic() + ttl)
        return True

    async def renew_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        entry = self._live(key)
        if entry is None or entry[0] != owner:
            return False
        self._values[key] = (owner, time.monotonic() + ttl)
        return True

    async def release_lease(self, key: str, owner: str) -> None:
        entry = self._live(key)
        if entry is not None and entry[0] == owner:
            del self._values[key]

    async def close(self) -> None:
        return None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


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

    async def delete(self, key: str) -> None:
        await self._redis.delete(PREFIX + key)

    async def hash_set(self, key: str, field: str, value: Any) -> None:
        await self._redis.hset(PREFIX + key, field, json.dumps(value))

    async def hash_delete(self, key: str, field: str) -> None:
        await self._redis.hdel(PREFIX + key, field)

    async def hash_get(self, key: str, fields: Iterable[str]) -> dict[str, Any]:
        names = list(fields)
        if not names:
            return {}
        raw = await self._redis.hmget(PREFIX + key, names)
        return {name: json.loads(value) for name, value in zip(names, raw, strict=True) if value is not None}

    async def hash_all(self, key: str) -> dict[str, Any]:
        raw = await self._redis.hgetall(PREFIX + key)
        return {_text(name): json.loads(value) for name, value in raw.items()}

    async def acquire_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        return bool(await self._redis.set(PREFIX + key, owner, nx=True, px=int(ttl * 1000)))

    async def renew_lease(self, key: str, owner: str, *, ttl: float) -> bool:
        renewed = await self._redis.eval(_RENEW, 1, PREFIX + key, owner, int(ttl * 1000))
        return bool(renewed)

    async def release_lease(self, key: str, owner: str) -> None:
        await self._redis.eval(_RELEASE, 1, PREFIX + key, owner)

    async def close(self) -> None:
        await self._redis.aclose()
