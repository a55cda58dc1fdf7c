"""/my requests, follow-up messages on a ticket and the 1–5 rating."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Menu, Rate, TicketAction
from bot.client import ApiClient, ApiNotFound, ApiRejected
from bot.notifier import EventFollower
from bot.prefs import ticket_of_notice
from bot.render import ticket_detail, ticket_list
from bot.store import Store

router = Router(name="my")


class FollowUp(StatesGroup):
    """The user is writing a message for one of their tickets."""

    writing = State()


async def send_my_requests(reply_to: Message, api: ApiClient) -> None:
    """List the user's requests with their status."""
    text, markup = ticket_list(await api.my_requests(limit=10))
    await reply_to.answer(text, reply_markup=markup)


@router.message(Command("my"))
async def on_my_command(message: Message, api: ApiClient) -> None:
    """/my: the user's requests."""
    await send_my_requests(message, api)


@router.callback_query(Menu.filter(F.action == "my"))
async def on_my_menu(query: CallbackQuery, api: ApiClient) -> None:
    """我的申请 from the menu."""
    await query.answer()
    if isinstance(query.message, Message):
        await send_my_requests(query.message, api)


@router.callback_query(TicketAction.filter(F.action == "view"))
async def on_view(query: CallbackQuery, callback_data: TicketAction, api: ApiClient) -> None:
    """One request in detail."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        ticket = await api.request(callback_data.number)
    except ApiNotFound:
        await query.message.answer(_("Request {number} was not found.").format(number=callback_data.number))
        return
    text, markup = ticket_detail(ticket)
    await query.message.answer(text, reply_markup=markup)


@router.callback_query(TicketAction.filter(F.action == "reply"))
async def on_reply_button(query: CallbackQuery, callback_data: TicketAction, state: FSMContext) -> None:
    """Next text the user sends goes to this ticket."""
    await state.set_state(FollowUp.writing)
    await state.update_data(number=callback_data.number)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            _("Type your message for {number} (or /cancel).").format(number=callback_data.number)
        )


async def _add_message(message: Message, api: ApiClient, follower: EventFollower, number: str) -> None:
    try:
        await api.add_message(number, message.text or "")
    except (ApiNotFound, ApiRejected) as exc:
        await message.answer(_("Could not add your message: {detail}").format(detail=exc.detail))
        return
    await follower.follow(message.chat.id)
    await message.answer(_("Your message was added to {number}.").format(number=number))


@router.message(FollowUp.writing, F.text)
async def on_follow_up_text(message: Message, state: FSMContext, api: ApiClient, follower: EventFollower) -> None:
    """Add the typed text to the ticket's thread."""
    number = str((await state.get_data()).get("number", ""))
    await state.clear()
    await _add_message(message, api, follower, number)


async def notice_reply(message: Message, store: Store) -> dict[str, str] | bool:
    """Filter: the message replies to a ticket notification; gives its `number`."""
    replied = message.reply_to_message
    if replied is None:
        return False
    number = await ticket_of_notice(store, message.chat.id, replied.message_id)
    return {"number": number} if number else False


@router.message(StateFilter(None), F.text, notice_reply)
async def on_reply_to_notice(message: Message, number: str, api: ApiClient, follower: EventFollower) -> None:
    """A Telegram reply to a ticket notification joins that ticket's thread."""
    await _add_message(message, api, follower, number)


@router.callback_query(Rate.filter(F.score.in_(range(1, 6))))
async def on_rate(query: CallbackQuery, callback_data: Rate, api: ApiClient) -> None:
    """Record the rating of a resolved request."""
    try:
        await api.rate(callback_data.number, callback_data.score)
    except (ApiRejected, ApiNotFound) as exc:
        await query.answer(exc.detail, show_alert=True)
        return
    await query.answer(_("Thank you for your rating!"))
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _("You rated {number}: {stars}").format(number=callback_data.number, stars="⭐" * callback_data.score)
        )
