"""`zonedesk bot`: run the Telegram bot (long polling, or a webhook when ZONEDESK_WEBHOOK_URL is set)."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from bot.settings import BotNotConfigured, get_settings


def bot(
    polling: Annotated[
        bool, typer.Option("--polling", help="long polling even if ZONEDESK_WEBHOOK_URL is set")
    ] = False,
) -> None:
    """Run the Telegram bot against the API at ZONEDESK_API_URL."""
    from bot.runner import run
    from common.logmask import install_log_masking

    settings = get_settings()
    if settings.bot_token is None:
        raise BotNotConfigured("未配置 ZONEDESK_BOT_TOKEN (ZONEDESK_BOT_TOKEN is not set)")
    if polling:
        settings = settings.model_copy(update={"webhook_url": None})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_masking()
    asyncio.run(run(settings, handle_signals=True))
