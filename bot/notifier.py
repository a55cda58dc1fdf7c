"""Follow the API's event stream and tell enterprises and opted-in staff what happened to tickets.

The last handled event id is saved after each event (Redis, or a small file), and the stream is
resumed with `Last-Event-ID`, so a restart neither loses nor repeats a notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.client import ApiClient, ApiError, Event
from bot.prefs import UserPrefs, remember_notice, ticket_chats
from bot.render import claim_keyboard, rating_keyboard, reply_button, status_label
from bot.store import Store

log = logging.getLogger(__name__)
CURSOR_KEY = "cursor:events"
ENTERPRISE_AUTHORS = {"enterprise", "requester", "bot"}
Rendered = tuple[str, InlineKeyboardMarkup | None] | None


class EventFollower:
    """Turns ticket events into Telegram messages, resuming after the last handled event."""

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

    async def last_event_id(self) -> str | None:
        """The id of the last event handled (persisted)."""
        value = await self.store.get(CURSOR_KEY)
        return str(value) if value is not None else None

    async def run(self) -> None:
        """Follow the stream forever, reconnecting with backoff when the API is away."""
        delay = self.retry_delay
        while True:
            try:
                await self.follow_once()
                delay = self.retry_delay
            except ApiError as exc:
                log.warning("event stream unavailable (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
            else:
                await asyncio.sleep(self.retry_delay / 10)

    async def follow_once(self) -> None:
        """One connection: handle events until the server ends the stream."""
        stream = self.api.events(last_event_id=await self.last_event_id())
        async with contextlib.aclosing(stream):
            async for event in stream:
                if event.event:  # an id-only frame just says where the stream starts
                    await self.handle(event)
                await self.store.set(CURSOR_KEY, event.id)
                self.handled += 1

    async def handle(self, event: Event) -> None:
        """Notify the people an event concerns."""
        if event.data.get("internal"):
            return
        if event.event == "ticket.created":
            staff = [int(uid) for uid in event.data.get("staff_telegram_user_ids") or []]
            for chat_id in staff:
                await self._send(chat_id, event, self._staff_alert)
            return
        chats = set(await ticket_chats(self.store, event.number))
        chats.update(int(uid) for uid in event.data.get("telegram_user_ids") or [])
        for chat_id in sorted(chats):
            await self._send(chat_id, event, self._enterprise_notice)

    async def _send(self, chat_id: int, event: Event, render: Callable[[Event], Rendered]) -> None:
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
        subject = escape(str(event.data.get("subject", "")))
        queue = escape(str(event.data.get("queue", "")))
        text = _("🆕 New ticket {number} in queue {queue}: {subject}").format(
            number=escape(event.number), queue=queue, subject=subject
        )
        return text, claim_keyboard(event.number)

    def _enterprise_notice(self, event: Event) -> Rendered:
        number = escape(event.number)
        body = escape(str(event.data.get("body") or event.data.get("text") or ""))
        if event.event == "ticket.message":
            if str(event.data.get("author_role", "staff")) in ENTERPRISE_AUTHORS:
                return None
            if event.status == "waiting_enterprise":
                text = _("Staff need more information for {number}:\n{body}\nReply to this message to answer.")
            else:
                text = _("Staff replied on {number}:\n{body}\nReply to this message to answer.")
            return text.format(number=number, body=body), reply_button(event.number)
        if event.status == "resolved":
            text = _("Your request {number} has been resolved. How satisfied are you? Rate 1–5:").format(number=number)
            return text, rating_keyboard(event.number)
        if event.status == "waiting_enterprise":
            text = _("Staff need more information for {number}. Reply to this message to answer.").format(number=number)
            return text, reply_button(event.number)
        if event.status in ("claimed", "closed", "cancelled"):
            text = _("Request {number}: {status}").format(number=number, status=escape(status_label(event.status)))
            return text, None
        return None
