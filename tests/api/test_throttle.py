"""The credential throttle on both stores: memory (one process) and Redis (every replica)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import redis
from fastapi import FastAPI

from api.auth.throttle import LOGIN_PER_USERNAME, Limit, MemoryStore, RedisStore, Throttle, TooManyAttempts


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def throttled_by_fake_clock(app: FastAPI) -> Iterator[FakeClock]:
    """Give `app` a fresh in-memory throttle on a hand-moved clock; put the old one back after."""
    clock, old = FakeClock(), app.state.throttle
    app.state.throttle = Throttle(MemoryStore(), clock=clock)
    try:
        yield clock
    finally:
        app.state.throttle = old


ThrottleFactory = Callable[[FakeClock], Throttle]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
def make_throttle(request: pytest.FixtureRequest) -> Iterator[ThrottleFactory]:
    """Throttles over one shared store (as replicas share Redis), each with the given clock."""
    if request.param == "memory":
        store = MemoryStore()
        yield lambda clock: Throttle(store, clock=clock)
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    yield lambda clock: Throttle(RedisStore(client), clock=clock)
    client.close()


SMALL = Limit("test", attempts=3, window=60)


def test_key_is_refused_after_its_limit_until_the_window_passes(make_throttle: ThrottleFactory) -> None:
    clock = FakeClock()
    throttle = make_throttle(clock)
    for _ in range(3):
        assert throttle.retry_after(SMALL, "alice") is None
        throttle.fail(SMALL, "alice")
        clock.advance(10)
    # failures at t=0, 10, 20; now t=30: the oldest leaves the window at t=60
    assert throttle.retry_after(SMALL, "alice") == 30
    assert throttle.retry_after(SMALL, "bob") is None
    with pytest.raises(TooManyAttempts) as raised:
        throttle.check([(SMALL, "bob"), (SMALL, "alice")], "稍后再试")
    assert raised.value.retry_after == 30
    clock.advance(29.5)
    assert throttle.retry_after(SMALL, "alice") == 1
    clock.advance(0.5)
    assert throttle.retry_after(SMALL, "alice") is None


def test_clear_forgets_the_failures(make_throttle: ThrottleFactory) -> None:
    throttle = make_throttle(FakeClock())
    for _ in range(3):
        throttle.fail(SMALL, "alice")
    throttle.clear(SMALL, "alice")
    assert throttle.retry_after(SMALL, "alice") is None


def test_replicas_sharing_a_store_share_the_count(make_throttle: ThrottleFactory) -> None:
    clock = FakeClock()
    first, second = make_throttle(clock), make_throttle(clock)
    for _ in range(5):
        first.fail(LOGIN_PER_USERNAME, "root")
        second.fail(LOGIN_PER_USERNAME, "root")
    assert first.retry_after(LOGIN_PER_USERNAME, "root") == 600
    assert second.retry_after(LOGIN_PER_USERNAME, "root") == 600


def test_separate_memory_stores_count_alone() -> None:
    clock = FakeClock()
    first, second = Throttle(MemoryStore(), clock=clock), Throttle(MemoryStore(), clock=clock)
    for _ in range(3):
        first.fail(SMALL, "alice")
    assert first.retry_after(SMALL, "alice") is not None
    assert second.retry_after(SMALL, "alice") is None


@pytest.mark.integration
def test_redis_keys_expire_with_the_window(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    Throttle(RedisStore(client), clock=FakeClock()).fail(SMALL, "alice")
    assert 0 < client.ttl(f"{RedisStore.PREFIX}:test:alice") <= 60
    client.close()
