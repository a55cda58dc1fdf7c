"""Service request: category → details → contact → confirm → ticket number."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Category, Confirm, Menu
from bot.categories import CategoryCatalogue
from bot.client import ApiClient, Guide, ServiceCategory
from bot.files import SentFile, attach_sent_file
from bot.notifier import EventFollower
from bot.prefs import UserPrefs
from bot.render import category_label, category_menu, contact_keyboard, edit_field_menu, main_menu, request_draft
from bot.validate import normalise_phone, parse_contact

router = Router(name="request")
SUBJECT_LIMIT = 40
BODY_LIMIT = 2000


class RequestFlow(StatesGroup):
    """The steps of drafting a service request."""

    category = State()
    details = State()
    contact = State()
    confirm = State()


def subject_of(body: str) -> str:
    """The request's subject: its first line, shortened."""
    first = body.strip().splitlines()[0] if body.strip() else ""
    return first if len(first) <= SUBJECT_LIMIT else first[: SUBJECT_LIMIT - 1] + "…"


async def _choose(state: FSMContext, chosen: ServiceCategory) -> None:
    guide = chosen.guide.model_dump() if chosen.guide is not None else None
    await state.update_data(category=chosen.category, category_name=chosen.name, guide=guide)


async def start_request(
    reply_to: Message,
    state: FSMContext,
    categories: CategoryCatalogue,
    *,
    category: str | None = None,
    body: str | None = None,
) -> None:
    """Begin a request; with a known category and text (an escalated question) go straight to contact."""
    await state.clear()
    if body:
        await state.update_data(body=body[:BODY_LIMIT], subject=subject_of(body))
    known = await categories.get(category)
    if known is not None and body:
        await _choose(state, known)
        label = escape(category_label(known.category, known.name))
        await reply_to.answer(
            "\n".join(
                [
                    _("Category: {category}").format(category=label),
                    _("Subject: {subject}").format(subject=escape(subject_of(body))),
                ]
            )
        )
        await _ask_contact(reply_to, state)
        return
    await state.set_state(RequestFlow.category)
    await reply_to.answer(
        _("What is your request about? Choose a category, or describe it in a sentence and I will suggest one."),
        reply_markup=category_menu(await categories.all(), known.category if known else None),
    )


async def start_handover(reply_to: Message, state: FSMContext, categories: CategoryCatalogue) -> None:
    """转人工 without a question: ask what it is about first, so no ticket is titled with a greeting."""
    await state.clear()
    await state.set_state(RequestFlow.category)
    await reply_to.answer(
        _(
            "I will put you through to a member of staff. What is it about? "
            "Describe it in a sentence, or choose a category."
        ),
        reply_markup=category_menu(await categories.all()),
    )


async def _ask_details(reply_to: Message, state: FSMContext) -> None:
    await state.set_state(RequestFlow.details)
    await reply_to.answer(_("Please describe your request: what you need, for whom, and any deadline."))


async def _ask_contact(reply_to: Message, state: FSMContext) -> None:
    await state.set_state(RequestFlow.contact)
    await reply_to.answer(
        _("How can staff reach you? Tap the button to share your phone number, or type it."),
        reply_markup=contact_keyboard(),
    )


async def _show_draft(reply_to: Message, state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_state(RequestFlow.confirm)
    await reply_to.answer(_("Thank you."), reply_markup=ReplyKeyboardRemove())
    label = category_label(data.get("category"), data.get("category_name", ""))
    guide = Guide.model_validate(data["guide"]) if data.get("guide") else None
    text, markup = request_draft(label, data["subject"], data["body"], data["contact"], guide)
    await reply_to.answer(text, reply_markup=markup)


def in_request(step: str | None) -> bool:
    """Whether an FSM state is a step of drafting a request."""
    return bool(step) and str(step).startswith(f"{RequestFlow.__name__}:")


async def resume_step(reply_to: Message, state: FSMContext, categories: CategoryCatalogue) -> None:
    """Ask again for whatever the draft still needs (or show it for confirmation)."""
    step = await state.get_state()
    if step == RequestFlow.confirm.state:
        await _show_draft(reply_to, state)
    elif step == RequestFlow.contact.state:
        await _ask_contact(reply_to, state)
    elif step == RequestFlow.details.state:
        await _ask_details(reply_to, state)
    else:
        await state.set_state(RequestFlow.category)
        await reply_to.answer(
            _("What is your request about? Choose a category, or describe it in a sentence and I will suggest one."),
            reply_markup=category_menu(await categories.all(), (await state.get_data()).get("category")),
        )


async def open_request(reply_to: Message, state: FSMContext, prefs: UserPrefs, categories: CategoryCatalogue) -> None:
    """/request and 办事申请: carry on with a draft the user left for another command, else start afresh."""
    kept = await prefs.take_draft()
    if kept is None or not in_request(kept[0]):
        await start_request(reply_to, state, categories)
        return
    step, data = kept
    await state.set_state(step)
    await state.set_data(data)
    await reply_to.answer(_("Here is the request draft you kept; carry on where you left off (or /cancel)."))
    await resume_step(reply_to, state, categories)


@router.message(Command("request"))
async def on_request_command(
    message: Message, state: FSMContext, prefs: UserPrefs, categories: CategoryCatalogue
) -> None:
    """Start (or resume a kept draft of) a request from the command; inside a flow, bot.handlers.commands acts."""
    await open_request(message, state, prefs, categories)


@router.callback_query(Menu.filter(F.action.in_({"request", "human"})))
async def on_request_menu(
    query: CallbackQuery, callback_data: Menu, state: FSMContext, prefs: UserPrefs, categories: CategoryCatalogue
) -> None:
    """Start (or resume) a request from the menu; 人工服务 explains that staff answer here."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.action == "human":
        await query.message.answer(_("A member of staff will answer you here in this chat during office hours."))
    await open_request(query.message, state, prefs, categories)


@router.callback_query(RequestFlow.category, Category.filter())
async def on_category(
    query: CallbackQuery, callback_data: Category, state: FSMContext, categories: CategoryCatalogue
) -> None:
    """Category chosen: ask for details, unless the user already described the request."""
    chosen = await categories.get(callback_data.key)
    if chosen is None:  # a button of an older menu, for a category the API no longer offers
        await query.answer(_("This category is no longer offered. Please choose another."), show_alert=True)
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=category_menu(await categories.all()))
        return
    await _choose(state, chosen)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    label = category_label(chosen.category, chosen.name)
    await query.message.edit_text(_("Category: {category}").format(category=escape(label)))
    data = await state.get_data()
    if data.get("contact"):  # editing one field of a finished draft
        await _show_draft(query.message, state)
    elif data.get("body"):
        await _ask_contact(query.message, state)
    else:
        await _ask_details(query.message, state)


@router.message(RequestFlow.category, F.text)
async def on_category_described(
    message: Message, state: FSMContext, api: ApiClient, categories: CategoryCatalogue
) -> None:
    """Free text instead of a category: keep it as the details and suggest a category."""
    text = (message.text or "").strip()[:BODY_LIMIT]
    await state.update_data(body=text, subject=subject_of(text))
    # a draft may hold ID and phone numbers: matched for its category only, never logged for review
    suggested = await categories.get((await api.ask(text, log=False)).category)
    if suggested is not None:
        prompt = _("This looks like: {category}. Tap it to confirm, or choose another.").format(
            category=escape(category_label(suggested.category, suggested.name))
        )
    else:
        prompt = _("Please choose the category that fits best.")
    menu = category_menu(await categories.all(), suggested.category if suggested else None)
    await message.answer(prompt, reply_markup=menu)


@router.message(RequestFlow.details, F.text)
async def on_details(message: Message, state: FSMContext) -> None:
    """Take the description; ask for contact."""
    text = (message.text or "").strip()
    if len(text) < 5:
        await message.answer(_("Please describe the request in a little more detail (at least 5 characters)."))
        return
    await state.update_data(body=text[:BODY_LIMIT], subject=subject_of(text))
    if (await state.get_data()).get("contact"):  # editing one field of a finished draft
        await _show_draft(message, state)
    else:
        await _ask_contact(message, state)


@router.message(RequestFlow.contact, F.contact)
async def on_contact_shared(message: Message, state: FSMContext) -> None:
    """A shared Telegram contact: accept the user's own number."""
    contact = message.contact
    if contact is None or (message.from_user and contact.user_id not in (None, message.from_user.id)):
        await message.answer(_("Please share your own contact, or type your phone number."))
        return
    phone = normalise_phone(contact.phone_number) or "+" + contact.phone_number.lstrip("+")
    await state.update_data(contact=phone)
    await _show_draft(message, state)


@router.message(RequestFlow.contact, F.text)
async def on_contact_typed(message: Message, state: FSMContext) -> None:
    """A typed contact: a phone number (+country code, extension) with the names around it kept."""
    contact = parse_contact(message.text or "")
    if contact is None:
        await message.answer(
            _(
                "I could not find a valid phone number. Type a mobile number, a landline such as 028-12345678 "
                "(extension: 028-12345678 转 8021), or an international number with +, e.g. 王经理 13912345678."
            )
        )
        return
    await state.update_data(contact=contact)
    await _show_draft(message, state)


@router.callback_query(RequestFlow.confirm, Confirm.filter(F.action == "submit"))
async def on_submit(query: CallbackQuery, state: FSMContext, api: ApiClient, follower: EventFollower) -> None:
    """File the request; the draft message's id keys it, so a redelivered or repeated tap makes no twin."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    data = await state.get_data()
    key = f"tg-{query.message.chat.id}-{query.message.message_id}"
    await follower.follow(query.message.chat.id)  # positioned first, so no change to the ticket is missed
    ticket = await api.submit_request(
        category=data.get("category"),
        subject=data["subject"],
        body=data["body"],
        contact=data["contact"],
        idempotency_key=key,
    )
    await state.clear()
    await query.answer()
    await query.message.edit_text(
        _("Your request has been submitted. Number: <b>{number}</b>. We will notify you here.").format(
            number=ticket.number
        )
    )
    if query.bot is not None:
        for kept in data.get("files", []):
            await attach_sent_file(query.bot, query.message, api, ticket.number, SentFile(**kept))
    await query.message.answer(_("What else can I do for you?"), reply_markup=main_menu())


@router.callback_query(RequestFlow.confirm, Confirm.filter(F.action == "edit"))
async def on_edit(query: CallbackQuery) -> None:
    """Which field to change: the others stay as they are."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=edit_field_menu())


@router.callback_query(RequestFlow.confirm, Confirm.filter(F.action.startswith("edit_")))
async def on_edit_field(
    query: CallbackQuery, callback_data: Confirm, state: FSMContext, categories: CategoryCatalogue
) -> None:
    """Ask again for one field of the draft; the draft comes back for confirmation after it."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)
    if callback_data.action == "edit_category":
        await state.set_state(RequestFlow.category)
        current = (await state.get_data()).get("category")
        await query.message.answer(
            _("Choose the new category."), reply_markup=category_menu(await categories.all(), current)
        )
    elif callback_data.action == "edit_contact":
        await _ask_contact(query.message, state)
    else:
        await _ask_details(query.message, state)


@router.callback_query(Confirm.filter(F.action == "cancel"))
async def on_cancel_request(query: CallbackQuery, state: FSMContext) -> None:
    """Drop the draft."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("The request was cancelled."))


@router.callback_query(Confirm.filter())
@router.callback_query(Category.filter())
async def on_stale_request_button(query: CallbackQuery) -> None:
    """A button of a draft that was already submitted or dropped."""
    await query.answer(_("This draft is no longer open."), show_alert=True)


@router.message(RequestFlow.category)
@router.message(RequestFlow.details)
@router.message(RequestFlow.contact)
@router.message(RequestFlow.confirm)
async def on_unexpected(message: Message) -> None:
    """Anything else during the request flow."""
    await message.answer(_("Please follow the step above, or /cancel to leave the request."))
