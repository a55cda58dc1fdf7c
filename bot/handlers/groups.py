"""Groups and channels: one line pointing to the private chat (requests carry phone numbers and ID numbers)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.store import Store

router = Router(name="groups")
router.message.filter(F.chat.type != ChatType.PRIVATE)
POINTER_EVERY_SECONDS = 600  # a busy group hears the pointer once in a while, not after every message


@router.message()
async def on_group_message(message: Message, store: Store) -> None:
    """Say once in a while that the bot works in private chats, with a link that opens one."""
    if message.bot is None or not await store.add_once(f"group-pointer:{message.chat.id}", ttl=POINTER_EVERY_SECONDS):
        return
    me = await message.bot.me()
    link = f"https://t.me/{me.username}?start=group"
    await message.answer(_("I work in private chats only, to keep your requests private: {link}").format(link=link))
