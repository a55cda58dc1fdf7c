"""Middlewares: drop redelivered updates, inject the API client and preferences, throttle floods."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import gettext as _

from bot.client import ApiClient
from bot.prefs import UserPrefs
from bot.store import Store

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)
SEEN_UPDATE_TTL = 24 * 3600  # Telegram gives up redelivering an update well within a day


class DedupMiddleware(BaseMiddleware):
    """Handle each update id once, even when Telegram (or a second replica) delivers it again."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            bot_id = data["bot"].id
            if not await self.store.add_once(f"update:{bot_id}:{event.update_id}", ttl=SEEN_UPDATE_TTL):
                log.info("dropping redelivered update %s", event.update_id)
                return None
        return await handler(event, data)


class ContextMiddleware(BaseMiddleware):
    """Give handlers `api` (acting for the user) and `prefs` (their remembered choices)."""

    def __init__(self, api: ApiClient, store: Store) -> None:
        self.api = api
        self.store = store

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is not None:
            data["api"] = self.api.as_user(user.id)
            data["prefs"] = UserPrefs(self.store, user.id)
        else:
            data["api"] = self.api
        data["store"] = self.store
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """At most `burst` messages per `burst / rate` seconds per user; one polite notice, then silence."""

    def __init__(self, store: Store, *, rate: float, burst: int) -> None:
        self.store = store
        self.burst = max(1, burst)
        self.window = self.burst / max(rate, 0.001)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        slot = int(time.time() / self.window)
        count = await self.store.incr(f"throttle:{user.id}:{slot}", ttl=self.window * 2)
        if count <= self.burst:
            return await handler(event, data)
        if count == self.burst + 1:
            notice = _("You are sending messages too quickly. Please wait a moment and try again.")
            if isinstance(event, Message):
                await event.answer(notice)
            elif isinstance(event, CallbackQuery):
                await event.answer(notice, show_alert=True)
        elif isinstance(event, CallbackQuery):
            await event.answer()
        return None
