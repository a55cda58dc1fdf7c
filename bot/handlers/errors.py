"""Errors by type: the API being down gets a polite "try again later", never silence."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.client import ApiError, ApiUnavailable
from bot.render import try_later

router = Router(name="errors")
log = logging.getLogger(__name__)


async def _tell_user(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


@router.errors(ExceptionTypeFilter(ApiUnavailable))
async def on_api_unavailable(event: ErrorEvent) -> None:
    """API down, timing out or failing."""
    log.warning("API unavailable: %s", event.exception)
    await _tell_user(event, try_later())


@router.errors(ExceptionTypeFilter(ApiError))
async def on_api_error(event: ErrorEvent) -> None:
    """A refusal no handler expected: show its Chinese-first detail."""
    log.warning("API refused: %s", event.exception)
    exc = event.exception
    if isinstance(exc, ApiError) and exc.status == 403:  # e.g. a clerk tapping an enterprise-only entry
        await _tell_user(event, _("This is not available to your account. Send /start for the menu that fits it."))
        return
    await _tell_user(event, exc.detail if isinstance(exc, ApiError) else try_later())
