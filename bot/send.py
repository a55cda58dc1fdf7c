"""Sending whole texts: a long one goes as several messages, split at sentence ends under Telegram's limit."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup

from bot.render import split_text

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


async def answer_long(reply_to: Message, text: str, *, reply_markup: Markup = None) -> Message:
    """Send `text` whole to the chat of `reply_to`; the buttons go with its last part, which is returned."""
    *first, last = split_text(text)
    for chunk in first:
        await reply_to.answer(chunk)
    return await reply_to.answer(last, reply_markup=reply_markup)


async def send_long(bot: Bot, chat_id: int, text: str, *, reply_markup: Markup = None) -> Message:
    """Send `text` whole to `chat_id`; the buttons go with its last part, which is returned."""
    *first, last = split_text(text)
    for chunk in first:
        await bot.send_message(chat_id, chunk)
    return await bot.send_message(chat_id, last, reply_markup=reply_markup)
