"""The event follower's fan-out on its own: who is told, once, and what a Telegram failure does."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import SendMessage

from bot.client import ApiUnavailable, Event
from bot.i18n import create_i18n
from bot.notifier import FOLLOWERS_KEY, EventFollower
from bot.store import MemoryStore


class StubBot:
    """Records sends; fails the next one with `failure` when set."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.failure: Exception | None = None

    async def send_message(self, chat_id: int, text: str, reply_markup: Any = None) -> Any:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure
        self.sent.append((chat_id, text))
        return SimpleNamespace(message_id=len(self.sent))


class UnreadableApi:
    """An API whose tickets cannot be read: alerts fall back to what the event carries."""

    def as_user(self, telegram_user_id: int) -> UnreadableApi:
        return self

    async def staff_ticket(self, number: str) -> Any:
        raise ApiUnavailable(503, "down")


def reply_event(
    event_id: str = "5",
    *,
    enterprise: list[int],
    staff: list[int],
    kind: str = "ticket.message",
    internal: bool = False,
) -> Event:
    data = {"number": "ZD-000001", "status": "claimed", "author_role": "staff", "excerpt": "请补充材料",
            "queue": "talent", "internal": internal,
            "recipients": {"enterprise": enterprise, "staff": staff}}  # fmt: skip
    return Event(id=event_id, event=kind, data=data)


@pytest.fixture
async def follower() -> EventFollower:
    store = MemoryStore()
    for chat, role in (("1001", "enterprise"), ("1002", "enterprise"), ("7001", "staff")):
        await store.hash_set(FOLLOWERS_KEY, chat, role)
    return EventFollower(StubBot(), UnreadableApi(), store, create_i18n())  # type: ignore[arg-type]


def sent(follower: EventFollower) -> list[int]:
    return [chat for chat, _ in follower.bot.sent]  # type: ignore[attr-defined]


async def test_only_named_followers_are_told_once(follower: EventFollower) -> None:
    event = reply_event(enterprise=[1001, 3003], staff=[7001])  # 3003 follows nothing
    await follower.handle(event)
    await follower.handle(event)  # handled again: after a crash, or by a second stream
    assert sent(follower) == [1001]  # staff get no alert for a reply; 1002 was not named


async def test_a_refused_send_is_retried_and_then_sent_once(follower: EventFollower) -> None:
    event = reply_event(enterprise=[1001, 1002], staff=[])
    follower.bot.failure = TelegramRetryAfter(SendMessage(chat_id=1002, text="x"), "Too Many Requests", 0)  # type: ignore[attr-defined]
    with pytest.raises(TelegramRetryAfter):
        await follower.handle(event)
    await follower.handle(event)
    await follower.handle(event)
    assert sent(follower) == [1001, 1002]


async def test_a_send_that_may_have_arrived_is_never_repeated(follower: EventFollower) -> None:
    event = reply_event(enterprise=[1001], staff=[])
    follower.bot.failure = TelegramNetworkError(SendMessage(chat_id=1001, text="x"), "timeout")  # type: ignore[attr-defined]
    await follower.handle(event)
    await follower.handle(event)
    assert sent(follower) == []


@pytest.mark.parametrize("kind", ["ticket.note", "ticket.message"])
async def test_an_internal_event_never_reaches_an_enterprise_chat_even_when_named(
    follower: EventFollower, kind: str
) -> None:
    await follower.handle(reply_event(kind=kind, internal=True, enterprise=[1001, 1002], staff=[7001]))
    expected = [7001] if kind == "ticket.note" else []  # staff are alerted of notes, not of replies
    assert sent(follower) == expected


async def test_a_staff_alert_names_the_queue_the_event_carries(follower: EventFollower) -> None:
    created = reply_event(kind="ticket.created", enterprise=[1001], staff=[7001])
    created.data["subject"] = "人才公寓申请"
    await follower.handle(created)
    [(chat, text)] = follower.bot.sent  # type: ignore[attr-defined]
    assert chat == 7001
    assert "talent" in text
    assert "人才公寓申请" in text
