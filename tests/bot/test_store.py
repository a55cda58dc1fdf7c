"""The bot's store, in memory (plus the state file) and in Redis: hashes, leases, the legacy followers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.notifier import CURSOR_KEY, FOLLOWERS_KEY, LEGACY_FOLLOWERS_KEY, EventFollower, legacy_cursor_key
from bot.store import MemoryStore, RedisStore, Store


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """Each backend in turn; the memory store persists to a state file."""
    if request.param == "redis":
        made: Store = RedisStore.from_url(request.getfixturevalue("redis_url"))
    else:
        made = MemoryStore(persist_file=tmp_path / "state.json")
    yield made
    await made.close()


async def test_hash_holds_one_field_per_chat(store: Store) -> None:
    await store.hash_set("h", "1001", "enterprise")
    await store.hash_set("h", "7001", "staff")
    await store.hash_set("h", "1001", "staff")
    assert await store.hash_all("h") == {"1001": "staff", "7001": "staff"}
    assert await store.hash_get("h", ["7001", "9999"]) == {"7001": "staff"}
    assert await store.hash_get("h", []) == {}
    await store.hash_delete("h", "1001")
    await store.hash_delete("h", "missing")
    assert await store.hash_all("h") == {"7001": "staff"}
    assert await store.hash_all("nothing") == {}


async def test_memory_hash_survives_a_restart(tmp_path: Path) -> None:
    first = MemoryStore(persist_file=tmp_path / "state.json")
    await first.hash_set(FOLLOWERS_KEY, "1001", "enterprise")
    await first.set(CURSOR_KEY, "42")
    again = MemoryStore(persist_file=tmp_path / "state.json")
    assert await again.hash_all(FOLLOWERS_KEY) == {"1001": "enterprise"}
    assert await again.get(CURSOR_KEY) == "42"


async def test_a_lease_has_one_holder_until_released(store: Store) -> None:
    assert await store.acquire_lease("lease", "a", ttl=30)
    assert not await store.acquire_lease("lease", "b", ttl=30)
    assert await store.renew_lease("lease", "a", ttl=30)
    assert not await store.renew_lease("lease", "b", ttl=30)
    await store.release_lease("lease", "b")  # not b's to free
    assert not await store.acquire_lease("lease", "b", ttl=30)
    await store.release_lease("lease", "a")
    assert await store.acquire_lease("lease", "b", ttl=30)
    assert not await store.renew_lease("lease", "a", ttl=30)


async def test_an_expired_lease_goes_to_the_next_replica(store: Store) -> None:
    assert await store.acquire_lease("lease", "a", ttl=0.2)
    async with asyncio.timeout(30):  # a bound for a loaded machine, not a measurement
        while not await store.acquire_lease("lease", "b", ttl=30):
            await asyncio.sleep(0.05)  # waiting out the lease is the behaviour under test
    assert not await store.renew_lease("lease", "a", ttl=30)


async def test_delete_forgets_a_value_and_frees_a_send_guard(store: Store) -> None:
    await store.set("k", "v")
    assert await store.add_once("guard", ttl=30)
    assert not await store.add_once("guard", ttl=30)
    await store.delete("k")
    await store.delete("guard")
    assert await store.get("k") is None
    assert await store.add_once("guard", ttl=30)


async def test_followers_of_the_per_chat_streams_move_into_the_hash(store: Store) -> None:
    await store.set(LEGACY_FOLLOWERS_KEY, {"1001": "enterprise", "7001": "staff"})
    await store.set(legacy_cursor_key(1001), "17")
    await store.set(legacy_cursor_key(7001), "21")
    none: Any = None
    follower = EventFollower(none, none, store, none)
    await follower._migrate_legacy_state()
    assert await follower.followers() == {1001: "enterprise", 7001: "staff"}
    assert await store.get(CURSOR_KEY) == "21"
    assert await store.get(LEGACY_FOLLOWERS_KEY) is None
    assert await store.get(legacy_cursor_key(1001)) is None
