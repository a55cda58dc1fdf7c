"""Two bot replicas on one Redis and one API: one follows the event stream, each notice arrives once.

Real Redis, the real API in-process, the fake Telegram server. The first replica is a whole bot;
the second its event follower alone (see `running_follower`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as redis
from bot_harness import (
    COLLEAGUE_TELEGRAM_ID,
    STAFF_TELEGRAM_ID,
    RealApi,
    draft_request,
    make_settings,
    running_follower,
    running_replica,
)
from fake_telegram import FakeTelegram, FakeUser

from bot.client import Event
from bot.lease import stop_task
from bot.notifier import CURSOR_KEY, FOLLOWERS_KEY
from bot.settings import BotSettings
from bot.store import PREFIX

LEASE_SECONDS = 1.0  # a dead holder's lease expires within a second; the standby checks every third


@pytest.fixture
def settings(telegram: FakeTelegram, real_api: RealApi, tmp_path: Path, redis_url: str) -> BotSettings:
    """Settings shared by the replicas: the same Redis, a short lease."""
    return make_settings(telegram, real_api.url, tmp_path, redis_url=redis_url, bot_events_lease_seconds=LEASE_SECONDS)


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


async def submit(user: FakeUser) -> str:
    draft = await draft_request(user)
    await user.click(draft, "确认提交")
    await user.expect("ZD-000001", kind="editMessageText")
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
        await asyncio.wait_for(first.follower.lease.held.wait(), 10)
        async with running_follower(settings) as second:
            number = await submit(user)
            assert await raw_redis.hget(PREFIX + FOLLOWERS_KEY, str(user.user_id)) == '"enterprise"'
            await real_api.staff_reply(number, "第一条回复")
            await user.expect("第一条回复", kind="sendMessage")
            assert first.follower.lease.held.is_set()
            assert not second.follower.lease.held.is_set()
            await first.stop()  # released: the standby takes over at its next try
            await asyncio.wait_for(second.follower.lease.held.wait(), 10)
            await real_api.staff_reply(number, "第二条回复")
            await user.expect("第二条回复", kind="sendMessage")
            cursor = await raw_redis.get(PREFIX + CURSOR_KEY)
    assert len(sent_to(telegram, user.user_id, "工作人员回复")) == 2
    assert cursor is not None
    assert len(sent_to(telegram, user.user_id, "第一条回复")) == 1


async def test_killed_holder_mid_event_loses_and_repeats_nothing(
    settings: BotSettings, telegram: FakeTelegram, real_api: RealApi
) -> None:
    staff = [FakeUser(telegram, STAFF_TELEGRAM_ID), FakeUser(telegram, COLLEAGUE_TELEGRAM_ID)]
    user = FakeUser(telegram, 1001)
    async with running_replica(settings) as first, contextlib.AsyncExitStack() as stack:
        await asyncio.wait_for(first.follower.lease.held.wait(), 10)
        second = await stack.enter_async_context(running_follower(settings))
        for member in staff:
            await member.say("/alerts on")
            await member.expect("新工单将在这里提醒", kind="sendMessage")

        # The holder tells the first staff chat about the new ticket, then freezes before the second.
        frozen = asyncio.Event()
        notify = first.follower._notify

        async def notify_then_freeze(chat_id: int, event: Event, *, as_staff: bool) -> None:
            await notify(chat_id, event, as_staff=as_staff)
            if as_staff and event.event == "ticket.created":
                frozen.set()
                await asyncio.Event().wait()

        first.follower._notify = notify_then_freeze  # type: ignore[method-assign]
        number = await submit(user)
        await asyncio.wait_for(frozen.wait(), 10)
        await first.kill()  # no release: the standby waits for the lease to expire
        await real_api.staff_reply(number, "宕机期间的回复")

        await asyncio.wait_for(second.follower.lease.held.wait(), 10)
        for member in staff:
            await member.expect("新工单", number, kind="sendMessage")
        await user.expect("宕机期间的回复", kind="sendMessage")
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
                await asyncio.wait_for(replica.follower.positioned.wait(), 10)
            number = await submit(user)
            for body in ("回复一", "回复二", "回复三"):
                await real_api.staff_reply(number, body)
            for body in ("回复一", "回复二", "回复三"):
                await user.expect(body, kind="sendMessage")
            marker = await real_api.act(number, "resolve", body="已办结")
            await user.expect("已办结", kind="sendMessage")
            handled = [r.follower.handled for r in (first, second)]
        finally:
            for stream in streams:
                await stop_task(stream)
    assert marker["status"] == "resolved"
    assert all(count > 1 for count in handled)  # both streams saw the events
    assert len(sent_to(telegram, user.user_id, "工作人员回复")) == 3
    assert len(sent_to(telegram, user.user_id, "已办结")) == 1
