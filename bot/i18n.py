"""The message catalogue: gettext (Babel-compiled) zh_CN and en, chosen per user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.prefs import DEFAULT_LOCALE, UserPrefs

LOCALES_DIR = Path(__file__).parent / "locales"


def create_i18n() -> I18n:
    """The catalogue of bot texts; Chinese unless the user asked for English."""
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LOCALE, domain="messages")


class PrefsI18nMiddleware(I18nMiddleware):
    """Use the locale the user chose with /lang (kept in their preferences)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:  # noqa: ARG002
        prefs: UserPrefs | None = data.get("prefs")
        return await prefs.locale() if prefs is not None else self.i18n.default_locale
