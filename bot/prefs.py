"""What the bot remembers about a Telegram user across flows: language, enterprise, asked questions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.store import Store

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
ASKED_TTL = 7 * 24 * 3600  # how long an answer card's 👍/👎 and 转人工 still know the question
DRAFT_TTL = 7 * 24 * 3600  # how long a request draft left for another command is kept


class AskedQuestion(BaseModel):
    """A question the user asked and what it matched."""

    text: str
    measure_id: str | None = None
    category: str | None = None
    offered: list[str] = []  # the measures offered under 「您想问的是：」, in button order
    intent: str | None = None  # chitchat is never handed over as the request's text


class UserPrefs:
    """Per-user preferences, kept outside the FSM so that finishing a flow does not forget them."""

    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self.user_id = user_id

    async def _load(self) -> dict[str, Any]:
        value = await self._store.get(f"user:{self.user_id}")
        return value if isinstance(value, dict) else {}

    async def _update(self, **changes: Any) -> None:
        data = await self._load()
        data.update(changes)
        await self._store.set(f"user:{self.user_id}", data)

    async def locale(self) -> str:
        """The chosen locale, Chinese unless the user switched."""
        value = (await self._load()).get("locale")
        return value if value in LOCALES else DEFAULT_LOCALE

    async def set_locale(self, locale: str) -> None:
        """Remember the chosen locale."""
        await self._update(locale=locale)

    async def enterprise(self) -> str | None:
        """The name of the bound enterprise, if any."""
        value = (await self._load()).get("enterprise")
        return value if isinstance(value, str) else None

    async def set_enterprise(self, name: str) -> None:
        """Remember the bound enterprise's name."""
        await self._update(enterprise=name)

    async def remember_question(self, card_message_id: int, asked_question: AskedQuestion) -> None:
        """Keep the question behind an answer card, for 👍/👎 and 转人工 on that card."""
        key = f"asked:{self.user_id}:{card_message_id}"
        await self._store.set(key, asked_question.model_dump(), ttl=ASKED_TTL)

    async def question_of(self, card_message_id: int) -> AskedQuestion | None:
        """The question (and measure) behind an answer card."""
        entry = await self._store.get(f"asked:{self.user_id}:{card_message_id}")
        return AskedQuestion.model_validate(entry) if isinstance(entry, dict) else None

    async def keep_draft(self, step: str, data: dict[str, Any]) -> None:
        """Keep a request draft the user left for another command, with the step it was at."""
        await self._store.set(f"draft:{self.user_id}", {"step": step, "data": data}, ttl=DRAFT_TTL)

    async def take_draft(self) -> tuple[str, dict[str, Any]] | None:
        """The kept request draft (step and data), forgotten once taken."""
        key = f"draft:{self.user_id}"
        entry = await self._store.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
            return None
        await self._store.delete(key)
        return str(entry.get("step", "")), dict(entry["data"])


async def remember_notice(store: Store, chat_id: int, message_id: int, number: str) -> None:
    """Map a notification message to its ticket, so a reply to it joins the ticket's thread."""
    await store.set(f"notice:{chat_id}:{message_id}", number, ttl=90 * 24 * 3600)


async def ticket_of_notice(store: Store, chat_id: int, message_id: int) -> str | None:
    """The ticket a notification message was about."""
    value = await store.get(f"notice:{chat_id}:{message_id}")
    return value if isinstance(value, str) else None


PROGRESS_TTL = 180 * 24 * 3600  # a ticket's progress is kept this long after its last change
PROGRESS_LIMIT = 30


async def record_progress(store: Store, number: str, event_type: str, at: str) -> None:
    """Note a step of a ticket's progress (submitted, taken up, transferred…) as the event stream told it."""
    key = f"progress:{number}"
    steps = await store.get(key)
    steps = steps if isinstance(steps, list) else []
    if steps and steps[-1].get("event") == event_type:
        return  # one step told twice (a transfer is told to the queue it left as well)
    steps.append({"event": event_type, "at": at})
    await store.set(key, steps[-PROGRESS_LIMIT:], ttl=PROGRESS_TTL)


async def progress_of(store: Store, number: str) -> list[tuple[str, str]]:
    """A ticket's recorded steps, oldest first: (event type, ISO time)."""
    steps = await store.get(f"progress:{number}")
    if not isinstance(steps, list):
        return []
    return [(str(step.get("event", "")), str(step.get("at", ""))) for step in steps if isinstance(step, dict)]
