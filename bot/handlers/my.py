"""/my requests, follow-up messages on a ticket and the 1–5 rating."""

from __future__ import annotations

import contextlib
from html import escape

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import Menu, Rate, TicketAction
from bot.categories import CategoryCatalogue
from bot.client import ApiClient, ApiConflict, ApiError, ApiNotFound, ApiRejected
from bot.handlers.request import start_request
from bot.notifier import EventFollower
from bot.prefs import progress_of, ticket_of_notice
from bot.render import rated_text, status_label, ticket_list
from bot.send import answer_long
from bot.store import Store
from bot.ticket_view import ticket_detail
from common.tickets import TicketStatus

router = Router(name="my")
LOW_SCORE = 2  # 不满意 and 非常不满意 ask why before the rating is recorded
RENEW_TTL = 24 * 3600  # how long a message for a closed request waits for 「提交新申请」


class RatingWhy(StatesGroup):
    """A low score: the user is saying what went wrong."""

    writing = State()


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
async def on_view(query: CallbackQuery, callback_data: TicketAction, api: ApiClient, store: Store) -> None:
    """One request in detail, with a page of its thread (the newest first, earlier ones on request)."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        ticket = await api.request(callback_data.number)
    except ApiNotFound:
        await query.message.answer(_("Request {number} was not found.").format(number=callback_data.number))
        return
    text, markup = ticket_detail(ticket, callback_data.page, await progress_of(store, ticket.number))
    await answer_long(query.message, text, reply_markup=markup)


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


async def _add_message(message: Message, api: ApiClient, follower: EventFollower, store: Store, number: str) -> None:
    text = message.text or ""
    try:
        await api.add_message(number, text)
    except (ApiNotFound, ApiRejected, ApiConflict) as exc:
        if await _offer_new_request(message, api, store, number, text):
            return
        await message.answer(_("Could not add your message: {detail}").format(detail=exc.detail))
        return
    await follower.follow(message.chat.id)
    await message.answer(_("Your message was added to {number}.").format(number=number))


async def _offer_new_request(message: Message, api: ApiClient, store: Store, number: str, text: str) -> bool:
    """A message for a closed request: offer a new request linked to it (the text kept). False: not closed."""
    try:
        ticket = await api.request(number)
    except ApiError:
        return False
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
        return False
    await store.set(f"renew:{message.chat.id}:{number}", text, ttl=RENEW_TTL)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("New request about this"), callback_data=TicketAction(action="renew", number=number))
    await message.answer(
        _(
            "Request {number} is already {status}, so it takes no more messages. "
            "You can file a new request about this; it will refer to {number}."
        ).format(number=escape(number), status=escape(status_label(ticket.status))),
        reply_markup=builder.as_markup(),
    )
    return True


@router.callback_query(TicketAction.filter(F.action == "renew"))
async def on_renew(
    query: CallbackQuery, callback_data: TicketAction, state: FSMContext, store: Store, categories: CategoryCatalogue
) -> None:
    """A new request following a closed one: its text kept, the old number named, its category proposed."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    text = await store.get(f"renew:{query.message.chat.id}:{callback_data.number}")
    link = _("(follows request {number})").format(number=callback_data.number)
    body = f"{text}\n{link}" if isinstance(text, str) and text else None
    await start_request(query.message, state, categories, body=body)


@router.message(FollowUp.writing, F.text)
async def on_follow_up_text(
    message: Message, state: FSMContext, api: ApiClient, follower: EventFollower, store: Store
) -> None:
    """Add the typed text to the ticket's thread."""
    number = str((await state.get_data()).get("number", ""))
    await state.clear()
    await _add_message(message, api, follower, store, number)


@router.message(FollowUp.writing)
async def on_follow_up_not_text(message: Message) -> None:
    """A sticker or voice message as a follow-up: the thread takes text, photos and documents."""
    await message.answer(_("Please type your message, or send a photo or document (or /cancel)."))


async def notice_reply(message: Message, store: Store) -> dict[str, str] | bool:
    """Filter: the message replies to a ticket notification; gives its `number`."""
    replied = message.reply_to_message
    if replied is None:
        return False
    number = await ticket_of_notice(store, message.chat.id, replied.message_id)
    return {"number": number} if number else False


@router.message(StateFilter(None), F.text, notice_reply)
async def on_reply_to_notice(
    message: Message, number: str, api: ApiClient, follower: EventFollower, store: Store
) -> None:
    """A Telegram reply to a ticket notification joins that ticket's thread."""
    await _add_message(message, api, follower, store, number)


@router.callback_query(Rate.filter(F.score.in_(range(1, 6))))
async def on_rate(query: CallbackQuery, callback_data: Rate, state: FSMContext, api: ApiClient) -> None:
    """Record the rating of a resolved request; a low score first asks why (the reason goes with it)."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    if callback_data.score <= LOW_SCORE:
        await query.answer()
        await state.set_state(RatingWhy.writing)
        await state.update_data(number=callback_data.number, score=callback_data.score, prompt=query.message.message_id)
        builder = InlineKeyboardBuilder()
        builder.button(text=_("Skip"), callback_data=Rate(number=callback_data.number, score=-callback_data.score))
        await query.message.answer(
            _(
                "Sorry we did not satisfy you. What went wrong? The desk will put it right and call you back "
                "within 15 working days; your words tell it what to fix."
            ),
            reply_markup=builder.as_markup(),
        )
        return
    if await _post_rating(query.message, api, callback_data.number, callback_data.score, ""):
        await query.answer(_("Thank you for your rating!"))
        await query.message.edit_reply_markup(reply_markup=None)  # the buttons go; every text stays
    else:
        await query.answer()


@router.message(RatingWhy.writing, F.text)
async def on_rating_reason(message: Message, state: FSMContext, api: ApiClient) -> None:
    """The reason for a low score: the rating is recorded with it."""
    data = await state.get_data()
    await state.clear()
    if await _post_rating(message, api, str(data["number"]), int(data["score"]), (message.text or "").strip()):
        await _drop_rating_buttons(message, int(data["prompt"]))


@router.callback_query(Rate.filter(F.score.in_(range(-5, 0))))
async def on_rating_reason_skipped(
    query: CallbackQuery, callback_data: Rate, state: FSMContext, api: ApiClient
) -> None:
    """A low score without a reason."""
    await query.answer()
    data = await state.get_data()
    await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        if await _post_rating(query.message, api, callback_data.number, -callback_data.score, "") and "prompt" in data:
            await _drop_rating_buttons(query.message, int(data["prompt"]))


async def _post_rating(reply_to: Message, api: ApiClient, number: str, score: int, comment: str) -> bool:
    """Send the rating; the stars come as a new message (False, with the reason, when refused)."""
    try:
        await api.rate(number, score, comment)
    except (ApiRejected, ApiNotFound, ApiConflict) as exc:
        await reply_to.answer(_("Could not record your rating: {detail}").format(detail=escape(exc.detail)))
        return False
    text = _("You rated {number}: {stars}").format(number=number, stars=rated_text(score))
    if score <= LOW_SCORE:
        text += "\n" + _(
            "A rectification of {number} follows: staff will call you back within 15 working days."
        ).format(number=number)
    await reply_to.answer(text)
    return True


async def _drop_rating_buttons(reply_to: Message, prompt_id: int) -> None:
    if reply_to.bot is not None:
        with contextlib.suppress(TelegramBadRequest):  # already gone: nothing to do
            await reply_to.bot.edit_message_reply_markup(chat_id=reply_to.chat.id, message_id=prompt_id)
