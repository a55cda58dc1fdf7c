"""The wake-up bus: local fan-out across threads, the commit hook, Redis across replicas and outages."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable

import pytest
from outbox_helpers import RedisServer, emit_event, free_port
from prometheus_client import REGISTRY
from sqlalchemy import Engine
from sqlmodel import Session

from api.events.bus import InProcessBus, RedisBus
from api.events.hooks import attach_bus
from api.events.service import emit


async def wait_until(predicate: Callable[[], bool], timeout: float = 20) -> None:
    """Poll `predicate` until it holds (a hang guard, not a speed check)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


class CountingBus(InProcessBus):
    def __init__(self) -> None:
        super().__init__()
        self.published = 0

    def publish_wakeup(self) -> None:
        self.published += 1
        super().publish_wakeup()


async def test_wakeup_published_from_another_thread_wakes_every_waiter() -> None:
    bus = InProcessBus()
    seen = bus.generation
    waiters = [asyncio.create_task(bus.wait_for_wakeup(20, after=seen)) for _ in range(5)]
    await asyncio.sleep(0)
    threading.Thread(target=bus.publish_wakeup).start()
    assert await asyncio.gather(*waiters) == [True] * 5


async def test_wakeup_between_read_and_wait_is_not_lost() -> None:
    bus = InProcessBus()
    seen = bus.generation
    bus.publish_wakeup()  # arrives while the streamer is still reading the outbox
    assert await bus.wait_for_wakeup(0, after=seen)
    assert not await bus.wait_for_wakeup(0.01, after=bus.generation)


def test_commit_that_wrote_events_publishes_one_wakeup(sqlite_engine: Engine) -> None:
    bus = CountingBus()
    emit_event(sqlite_engine, bus=bus)
    assert bus.published == 1


def test_rollback_and_commits_without_events_publish_nothing(sqlite_engine: Engine) -> None:
    bus = CountingBus()
    with Session(sqlite_engine) as session:
        attach_bus(session, bus)
        emit(
            session,
            type="ticket.created",
            ticket_number="ZD-000001",
            status="new",
            queue_key="talent",
            enterprise_id=None,
            requester_id=1,
        )
        session.flush()
        session.rollback()
        session.commit()
    assert bus.published == 0


def test_commit_hook_counts_emitted_events_by_type(sqlite_engine: Engine) -> None:
    before = REGISTRY.get_sample_value("zonedesk_events_emitted_total", {"type": "ticket.resolved"}) or 0
    emit_event(sqlite_engine, type="ticket.resolved")
    assert REGISTRY.get_sample_value("zonedesk_events_emitted_total", {"type": "ticket.resolved"}) == before + 1


async def _started(url: str, channel: str, **kwargs: float) -> RedisBus:
    bus = RedisBus(url, channel=channel, **kwargs)
    await bus.start()
    return bus


@pytest.mark.integration
async def test_redis_carries_a_wakeup_to_another_replica(redis_url: str) -> None:
    channel = f"zonedesk:test:{uuid.uuid4().hex}"
    a, b = await _started(redis_url, channel), await _started(redis_url, channel)
    try:
        await wait_until(lambda: a.connected and b.connected)
        assert b.poll_interval == b._live_poll_interval
        seen = b.generation
        a.publish_wakeup()
        assert await b.wait_for_wakeup(20, after=seen)
    finally:
        await a.stop()
        await b.stop()


@pytest.mark.integration
async def test_publishing_without_redis_never_raises_and_streamers_poll_fast(redis_url: str) -> None:
    failures = "zonedesk_event_wakeup_publish_failures_total"
    before = REGISTRY.get_sample_value(failures) or 0
    bus = await _started(f"redis://127.0.0.1:{free_port()}/0", "zonedesk:test:nowhere", fallback_poll_interval=0.5)
    try:
        seen = bus.generation
        bus.publish_wakeup()
        assert await bus.wait_for_wakeup(0, after=seen)  # local streamers still wake at once
        await wait_until(lambda: (REGISTRY.get_sample_value(failures) or 0) > before)
        assert not bus.connected
        assert bus.poll_interval == 0.5
    finally:
        await bus.stop()


@pytest.mark.integration
async def test_subscriber_reconnects_when_redis_comes_back(own_redis: RedisServer) -> None:
    channel = "zonedesk:test:outage"
    a = await _started(own_redis.url, channel, max_backoff=0.5)
    b = await _started(own_redis.url, channel, max_backoff=0.5)
    try:
        await wait_until(lambda: a.connected and b.connected)
        own_redis.stop()
        await wait_until(lambda: not b.connected)
        assert b.poll_interval == b._fallback_poll_interval
        a.publish_wakeup()  # during the outage: no error, retried later
        own_redis.start()
        await wait_until(lambda: a.connected and b.connected)
        seen = b.generation
        a.publish_wakeup()
        assert await b.wait_for_wakeup(20, after=seen)
    finally:
        await a.stop()
        await b.stop()
