"""Two bot replicas on one Redis and one API: one follows the event stream, each notice arrives once.

Real Redis, the real API in-process, the fake Telegram server. The first replica is a whole bot;
the second its event follower alone (see `running_follower`).

Deterministic under load: the lease outlives any test (renewals never race the clock), a hand-over
is made explicit by stopping the holder or deleting the lease key (its expiry), the standby checks
for a free lease often, and every wait is a bounded poll that says what it waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis
from bot_harness import (
    COLLEAGUE_TELEGRAM_ID,
    STAFF_TELEGRAM_ID,
    RealApi,
    Replica,
    draft_request,
    make_settings,
    running_follower,
    running_replica,
    stop_within,
    wait_until,
)
from fake_telegram import FakeTelegram, FakeUser

from bot.client import Event, ServiceEventData
from bot.notifier import CURSOR_KEY, FOLLOWERS_KEY, LEASE_KEY
from bot.settings import BotSettings
from bot.store import PREFIX

LEASE_SECONDS = 600.0  # never expires by itself during a test: renewals cannot starve into a hand-over
STANDBY_SECONDS = 0.05  # how often the standby looks for a free lease
SLOW = 30.0  # bound on each wait for a Telegram message on a loaded machine


@pytest.fixture
def settings(telegram: FakeTelegram, real_api: RealApi, tmp_path: Path, redis_url: str) -> BotSettings:
    """Settings shared by the replicas: the same Redis, a lease that only a test hands over."""
    return make_settings(
        telegram,
        real_api.url,
        tmp_path,
        redis_url=redis_url,
        bot_events_lease_seconds=LEASE_SECONDS,
        bot_events_standby_seconds=STANDBY_SECONDS,
    )


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


async def holds_lease(replica: Replica) -> None:
    await wait_until(replica.follower.lease.held.is_set, f"{replica.name} to hold the event lease")


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText", timeout=SLOW)
    return "ZD-000001"


def sent_to(telegram: FakeTelegram, chat_id: int, *needles: str) -> list[str]:
    return [
        r.text
        for r in telegram.records
        if r.kind == "sendMessage" and r.chat_id == chat_id and all(n in r.text for n in needles)
    ]


async def test_two_replicas_deliver_each_reply_once_and_the_other_takes_over_on_stop(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi, raw_redis: redis.Redis
) -> None:
    user = FakeUser(telegram, 1001)
    async with running_replica(settings) as first:
        await holds_lease(first)
        async with running_follower(settings) as second:
            number = await submit(user)
            assert await raw_redis.hget(PREFIX + FOLLOWERS_KEY, str(user.user_id)) == '"enterprise"'
            await real_api.staff_reply(number, "第一条回复")
            await user.expect("第一条回复", kind="sendMessage", timeout=SLOW)
            assert first.follower.lease.held.is_set()
            assert not second.follower.lease.held.is_set()
            await first.stop()  # released: the standby takes over at its next look
            await holds_lease(second)
            await real_api.staff_reply(number, "第二条回复")
            await user.expect("第二条回复", kind="sendMessage", timeout=SLOW)
            cursor = await raw_redis.get(PREFIX + CURSOR_KEY)
    assert len(sent_to(telegram, user.user_id, "工作人员回复")) == 2
    assert cursor is not None
    assert len(sent_to(telegram, user.user_id, "第一条回复")) == 1


def leased_jobs() -> list[asyncio.Task[Any]]:
    """The running event-follower jobs of every replica in this process (one per lease holder)."""
    return [t for t in asyncio.all_tasks() if t.get_name() == f"leased:{LEASE_KEY}"]


async def test_holder_stopped_mid_event_finishes_it_and_the_standby_goes_on(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = [FakeUser(telegram, STAFF_TELEGRAM_ID), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID)]
    user = FakeUser(telegram, 1001)
    async with running_replica(settings) as first, contextlib.AsyncExitStack() as stack:
        await holds_lease(first)
        second = await stack.enter_async_context(running_follower(settings))  # the standby
        for member in staff:
            await member.say("/alerts on")
            await member.expect("新工单将在这里提醒", kind="sendMessage", timeout=SLOW)

        # The holder has claimed its alert to the second staff chat (the send guard) and is sending it.
        paused, go_on = asyncio.Event(), asyncio.Event()
        send = first.follower.bot.send_message

        async def send_after_pause(chat_id: int, text: str, **options: Any) -> Any:
            if chat_id == COLLEAGUE_TELEGRAM_ID and "新工单" in text:
                paused.set()
                await go_on.wait()
            return await send(chat_id, text, **options)

        first.follower.bot.send_message = send_after_pause  # type: ignore[method-assign]
        number = await submit(user)
        await wait_until(paused.is_set, "the holder to be sending the second staff alert")
        [job] = leased_jobs()  # the holder's: the standby runs none
        stopping = asyncio.create_task(first.stop())  # SIGTERM mid-event
        await wait_until(lambda: job.cancelling() > 0 or job.done(), "the holder's follower to be asked to stop")
        go_on.set()
        await stopping
        await holds_lease(second)
        await real_api.staff_reply(number, "接手后的回复")
        await user.expect("接手后的回复", kind="sendMessage", timeout=SLOW)
    for member in staff:
        assert len(sent_to(telegram, member.user_id, "新工单", number)) == 1
    assert len(sent_to(telegram, user.user_id, "接手后的回复")) == 1


async def test_killed_holder_mid_event_loses_and_repeats_nothing(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi, raw_redis: redis.Redis
) -> None:
    staff = [FakeUser(telegram, STAFF_TELEGRAM_ID), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID)]
    user = FakeUser(telegram, 1001)
    async with running_replica(settings) as first, contextlib.AsyncExitStack() as stack:
        await holds_lease(first)
        second = await stack.enter_async_context(running_follower(settings))
        for member in staff:
            await member.say("/alerts on")
            await member.expect("新工单将在这里提醒", kind="sendMessage", timeout=SLOW)

        # The holder tells the first staff chat about the new ticket, then hangs before the second.
        hung = asyncio.Event()
        notify = first.follower._notify

        async def notify_then_hang(chat_id: int, event: Event, data: ServiceEventData, *, as_staff: bool) -> None:
            await notify(chat_id, event, data, as_staff=as_staff)
            if as_staff and event.event == "ticket.created":
                hung.set()
                await asyncio.Event().wait()

        first.follower._notify = notify_then_hang  # type: ignore[method-assign]
        number = await submit(user)
        await wait_until(hung.is_set, "the holder to hang after its first staff alert")
        await first.kill()  # no release: the lease stays until it expires
        await real_api.staff_reply(number, "宕机期间的回复")
        assert not second.follower.lease.held.is_set()

        await raw_redis.delete(PREFIX + LEASE_KEY)  # the dead holder's lease expires
        await holds_lease(second)
        for member in staff:
            await member.expect("新工单", number, kind="sendMessage", timeout=SLOW)
        await user.expect("宕机期间的回复", kind="sendMessage", timeout=SLOW)
        await real_api.resolve(number)  # a marker: anything repeated would have come before it
        await user.expect("已办结", kind="sendMessage", timeout=SLOW)
    for member in staff:
        assert len(sent_to(telegram, member.user_id, "新工单", number)) == 1
    assert len(sent_to(telegram, user.user_id, "宕机期间的回复")) == 1


async def test_two_streams_at_once_still_send_each_notice_once(
    telegram: FakeTelegram, real_api: RealApi, tmp_path: Path, redis_url: str
) -> None:
    """A holder that lost its lease may still be mid-stream when the next one starts: the guard holds."""
    settings = make_settings(telegram, real_api.url, tmp_path, redis_url=redis_url, bot_follow_events=False)
    user = FakeUser(telegram, 1001)
    async with running_replica(settings) as first, running_follower(settings, follow=False) as second:
        streams = [asyncio.create_task(r.follower._follow_stream()) for r in (first, second)]
        try:
            for replica in (first, second):
                await wait_until(replica.follower.positioned.is_set, f"the stream of {replica.name} to start")
            number = await submit(user)
            for body in ("回复一", "回复二", "回复三"):
                await real_api.staff_reply(number, body)
            for body in ("回复一", "回复二", "回复三"):
                await user.expect(body, kind="sendMessage", timeout=SLOW)
            marker = await real_api.act(number, "resolve", body="已办结")
            await user.expect("已办结", kind="sendMessage", timeout=SLOW)
            handled = [r.follower.handled for r in (first, second)]
        finally:
            for stream, replica in zip(streams, (first, second), strict=True):
                await stop_within(stream, f"the stream of {replica.name}")
    assert marker["status"] == "resolved"
    assert all(count > 1 for count in handled)  # both streams saw the events
    assert len(sent_to(telegram, user.user_id, "工作人员回复")) == 3
    assert len(sent_to(telegram, user.user_id, "已办结")) == 1
