"""Photos and documents: kept with a request draft, attached to a ticket as a follow-up or for staff who asked."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.client import ApiClient, ApiRejected
from bot.files import attach_sent_file, sent_file, what_i_take
from bot.handlers.my import FollowUp, notice_reply
from bot.handlers.request import RequestFlow
from bot.notifier import EventFollower
from common.tickets import TicketStatus

router = Router(name="files")
FILE = F.photo | F.document
DRAFT_FILES_LIMIT = 10


@router.message(StateFilter(*RequestFlow.__states__), FILE)
async def on_draft_file(message: Message, state: FSMContext) -> None:
    """A file inside a request draft: kept, and attached once the request is submitted."""
    sent = sent_file(message)
    files = list((await state.get_data()).get("files", []))
    if sent is None or len(files) >= DRAFT_FILES_LIMIT:
        await message.answer(_("A request takes at most {limit} files.").format(limit=DRAFT_FILES_LIMIT))
        return
    files.append({"file_id": sent.file_id, "name": sent.name, "size": sent.size, "content_type": sent.content_type})
    await state.update_data(files=files)
    await message.answer(
        _("{name} will be attached when you submit the request. Carry on with the step above.").format(
            name=escape(sent.name)
        )
    )


@router.message(FollowUp.writing, FILE)
async def on_follow_up_file(
    message: Message, state: FSMContext, bot: Bot, api: ApiClient, follower: EventFollower
) -> None:
    """A file as the follow-up the user was writing: attached to that ticket."""
    number = str((await state.get_data()).get("number", ""))
    await state.clear()
    await _attach(message, bot, api, follower, number)


@router.message(StateFilter(None), FILE, notice_reply)
async def on_file_reply_to_notice(
    message: Message, number: str, bot: Bot, api: ApiClient, follower: EventFollower
) -> None:
    """A file sent as a Telegram reply to a ticket notification: attached to that ticket."""
    await _attach(message, bot, api, follower, number)


@router.message(StateFilter(None), FILE)
async def on_file(message: Message, bot: Bot, api: ApiClient, follower: EventFollower) -> None:
    """A file outside any flow: for the request whose materials staff asked for, else say what the bot takes."""
    try:
        page = await api.my_requests(limit=10)
    except ApiRejected:  # staff have no requests of their own
        page = None
    waiting = [t for t in page.items if t.status == TicketStatus.WAITING_ENTERPRISE] if page else []
    if not waiting:
        await message.answer(what_i_take())
        return
    await _attach(message, bot, api, follower, waiting[0].number)


async def _attach(message: Message, bot: Bot, api: ApiClient, follower: EventFollower, number: str) -> None:
    sent = sent_file(message)
    if sent is None:
        return
    if await attach_sent_file(bot, message, api, number, sent):
        await follower.follow(message.chat.id)
        if message.caption:
            await api.add_message(number, message.caption)
