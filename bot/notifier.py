"""Follow the API's event stream for each chat that waits on tickets, and tell it what happened.

The API filters `GET /api/v1/events` per caller, so the bot follows one stream per followed chat,
acting for that Telegram user: an enterprise user sees their (enterprise's) tickets, a staff user
the tickets of their queues. The last handled event id is saved per chat after each event (Redis,
or the state file) and sent back as `Last-Event-ID`, so a restart neither loses nor repeats a
notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.client import ApiClient, ApiError, Event
from bot.prefs import UserPrefs, remember_notice
from bot.render import claim_keyboard, rating_keyboard, reply_button, status_label
from bot.store import Store
from common.roles import Role
from common.tickets import EventType

log = logging.getLogger(__name__)
FOLLOWERS_KEY = "followers"
STAFF_ROLES = {Role.STAFF, Role.ADMIN}
STOP_ATTEMPTS = 10
POSITION_WAIT_SECONDS = 5.0
STOP_WAIT_SECONDS = 0.5
Rendered = tuple[str, InlineKeyboardMarkup | None] | None


def cursor_key(chat_id: int) -> str:
    """Where the last handled event id of a chat's stream is kept."""
    return f"cursor:events:{chat_id}"


class EventFollower:
    """Turns ticket events into Telegram messages, one resumable stream per followed chat."""

    def __init__(
        self, bot: Bot, api: ApiClient, store: Store, i18n: I18n, *, retry_delay: float = 1.0, max_delay: float = 30.0
    ) -> None:
        self.bot = bot
        self.api = api
        self.store = store
        self.i18n = i18n
        self.retry_delay = retry_delay
        self.max_delay = max_delay
        self.handled = 0
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._running = False

    async def followers(self) -> dict[int, str]:
        """Followed chats and the role they follow as (enterprise or staff)."""
        value = await self.store.get(FOLLOWERS_KEY)
        return {int(chat): str(role) for chat, role in (value or {}).items()}

    async def follow(self, chat_id: int, *, role: str = Role.ENTERPRISE) -> None:
        """Follow a chat's stream from now on (and after restarts)."""
        followers = await self.followers()
        if followers.get(chat_id) != role:
            followers[chat_id] = role
            await self.store.set(FOLLOWERS_KEY, {str(chat): r for chat, r in followers.items()})
        if self._running and chat_id not in self._tasks:
            self._tasks[chat_id] = asyncio.create_task(self._follow_chat(chat_id))
            await self._until_positioned(chat_id)

    async def _until_positioned(self, chat_id: int) -> None:
        """Wait briefly until a new stream knows where it starts: what happens after `follow` is not missed.

        A stream without a cursor starts at the newest event; a ticket claimed while it connects
        would otherwise fall before that start.
        """
        task = self._tasks[chat_id]
        deadline = asyncio.get_running_loop().time() + POSITION_WAIT_SECONDS
        while await self.store.get(cursor_key(chat_id)) is None and not task.done():
            if asyncio.get_running_loop().time() > deadline:
                log.warning("event stream of chat %s not positioned yet; continuing", chat_id)
                return
            await asyncio.sleep(0.02)

    async def unfollow(self, chat_id: int) -> None:
        """Stop following a chat."""
        followers = await self.followers()
        if followers.pop(chat_id, None) is not None:
            await self.store.set(FOLLOWERS_KEY, {str(chat): r for chat, r in followers.items()})
        task = self._tasks.pop(chat_id, None)
        if task is not None:
            task.cancel()

    async def run(self) -> None:
        """Follow every followed chat until cancelled."""
        self._running = True
        try:
            for chat_id in await self.followers():
                self._tasks.setdefault(chat_id, asyncio.create_task(self._follow_chat(chat_id)))
            await asyncio.Event().wait()
        finally:
            self._running = False
            await self._stop_all()

    async def _stop_all(self) -> None:
        # httpx/anyio may swallow a cancellation that lands while a stream closes inside a shielded
        # scope, so cancel again until every stream task has ended (and `_running` stops the loops).
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for _attempt in range(STOP_ATTEMPTS):
            pending = [task for task in tasks if not task.done()]
            if not pending:
                return
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=STOP_WAIT_SECONDS)
        log.warning("%d event streams did not stop", sum(not task.done() for task in tasks))

    async def _follow_chat(self, chat_id: int) -> None:
        delay = self.retry_delay
        while self._running:
            try:
                await self.follow_once(chat_id)
                delay = self.retry_delay
            except ApiError as exc:
                log.warning("event stream of chat %s unavailable (%s); retrying in %.0fs", chat_id, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
            else:
                await asyncio.sleep(self.retry_delay / 10)

    async def follow_once(self, chat_id: int) -> None:
        """One connection for one chat: handle events until the server ends the stream."""
        last = await self.store.get(cursor_key(chat_id))
        stream = self.api.as_user(chat_id).events(last_event_id=str(last) if last is not None else None)
        async with contextlib.aclosing(stream):
            async for event in stream:
                if event.event:  # an id-only frame just says where the stream starts
                    await self.handle(chat_id, event)
                await self.store.set(cursor_key(chat_id), event.id)
                self.handled += 1

    async def handle(self, chat_id: int, event: Event) -> None:
        """Notify the chat about one event, in its language."""
        if event.data.get("internal"):
            return
        role = (await self.followers()).get(chat_id, Role.ENTERPRISE)
        render = self._staff_alert if role in STAFF_ROLES else self._enterprise_notice
        locale = await UserPrefs(self.store, chat_id).locale()
        with self.i18n.context(), self.i18n.use_locale(locale):
            rendered = render(event)
            if rendered is None:
                return
            text, markup = rendered
            try:
                sent = await self.bot.send_message(chat_id, text, reply_markup=markup)
            except TelegramAPIError as exc:  # blocked the bot, chat gone: nothing to retry
                log.warning("could not notify chat %s about %s: %s", chat_id, event.number, exc)
                return
        if markup is not None and event.number:
            await remember_notice(self.store, chat_id, sent.message_id, event.number)

    def _staff_alert(self, event: Event) -> Rendered:
        if event.event is not EventType.CREATED:
            return None
        text = _("🆕 New ticket {number} in queue {queue}: {subject}").format(
            number=escape(event.number),
            queue=escape(str(event.data.get("queue") or event.data.get("category") or "")),
            subject=escape(str(event.data.get("subject", ""))),
        )
        return text, claim_keyboard(event.number)

    def _enterprise_notice(self, event: Event) -> Rendered:
        number = escape(event.number)
        body = escape(str(event.data.get("excerpt") or event.data.get("body") or ""))
        by_staff = str(event.data.get("author_role", Role.STAFF)) in STAFF_ROLES
        if event.event is EventType.MESSAGE and by_staff:
            text = _("Staff replied on {number}:\n{body}\nReply to this message to answer.")
            return text.format(number=number, body=body), reply_button(event.number)
        if event.event is EventType.WAITING:
            text = _("Staff need more information for {number}:\n{body}\nReply to this message to answer.")
            return text.format(number=number, body=body), reply_button(event.number)
        if event.event is EventType.RESOLVED:
            text = _("Your request {number} has been resolved. How satisfied are you? Rate 1–5:").format(number=number)
            if body:
                text = f"{text}\n{body}"
            return text, rating_keyboard(event.number)
        if event.event in (EventType.CLAIMED, EventType.CANCELLED, EventType.TRANSFERRED):
            text = _("Request {number}: {status}").format(number=number, status=escape(status_label(event.status)))
            return text, None
        return None
