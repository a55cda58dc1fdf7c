"""Staff work a ticket from Telegram: reply, ask for more, resolve, transfer — each confirmed before it is sent."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import Menu, StaffAction, StaffConfirm, StaffMaterial, StaffTransfer
from bot.categories import CategoryCatalogue
from bot.client import ApiClient, ApiConflict, ApiNotFound, ApiRejected
from bot.render import category_label, claim_keyboard
from bot.send import answer_long
from bot.ticket_view import staff_actions_keyboard, staff_ticket_text

router = Router(name="desk")
COMPOSED = ("reply", "wait", "resolve")


class StaffCompose(StatesGroup):
    """A staff member writing a reply, a request for more, or a closing note; then confirming it."""

    writing = State()
    confirm = State()


def _prompt(action: str, number: str) -> str:
    prompts = {
        "reply": _("Type your reply to the enterprise on {number} (or /cancel)."),
        "wait": _("Type what the enterprise should add to {number}; its time limit pauses until they answer."),
        "resolve": _("Type the resolution the enterprise will read for {number} (or /cancel)."),
    }
    return prompts[action].format(number=escape(number))


def _confirm_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Confirm"), callback_data=StaffConfirm(action="send"))
    builder.button(text=_("Cancel"), callback_data=StaffConfirm(action="cancel"))
    return builder.as_markup()


def _materials_keyboard(offered: list[str], chosen: list[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, name in enumerate(offered):
        builder.button(text=("✅ " if name in chosen else "▫️ ") + name, callback_data=StaffMaterial(index=index))
    builder.adjust(1)
    return builder.as_markup()


@router.callback_query(StaffAction.filter(F.action.in_(COMPOSED)))
async def on_compose(query: CallbackQuery, callback_data: StaffAction, state: FSMContext, api: ApiClient) -> None:
    """Reply / ask for more / resolve: the next text is the message, confirmed before it goes out.

    Asking for more offers the 办事指南's materials not yet received, to be listed under the message.
    """
    await query.answer()
    await state.clear()
    await state.set_state(StaffCompose.writing)
    await state.update_data(number=callback_data.number, action=callback_data.action)
    if not isinstance(query.message, Message):
        return
    prompt = _prompt(callback_data.action, callback_data.number)
    if callback_data.action == "wait":
        guide = (await api.staff_ticket(callback_data.number)).guide
        offered = list(guide.missing) if guide is not None else []
        if offered:
            await state.update_data(offered=offered, missing=[])
            prompt += "\n" + _(
                "Tap the materials of the service guide that are still missing; they are listed under it."
            )
            await query.message.answer(prompt, reply_markup=_materials_keyboard(offered, []))
            return
    await query.message.answer(prompt)


@router.callback_query(StaffCompose.writing, StaffMaterial.filter())
async def on_material(query: CallbackQuery, callback_data: StaffMaterial, state: FSMContext) -> None:
    """Tick (or untick) a missing material of the request for more."""
    data = await state.get_data()
    offered, chosen = list(data.get("offered", [])), list(data.get("missing", []))
    if not 0 <= callback_data.index < len(offered):
        await query.answer()
        return
    name = offered[callback_data.index]
    chosen = [item for item in chosen if item != name] if name in chosen else [*chosen, name]
    await state.update_data(missing=[item for item in offered if item in chosen])
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=_materials_keyboard(offered, chosen))


@router.callback_query(StaffMaterial.filter())
async def on_stale_material(query: CallbackQuery) -> None:
    """A material of a request for more already sent or dropped."""
    await query.answer(_("This was already sent or dropped."), show_alert=True)


@router.message(StaffCompose.writing, F.text)
async def on_composed(message: Message, state: FSMContext) -> None:
    """Show what will be sent, whole, and ask for confirmation."""
    text = (message.text or "").strip()
    data = await state.update_data(text=text)
    await state.set_state(StaffCompose.confirm)
    heads = {
        "reply": _("Send this reply on {number}?"),
        "wait": _("Ask the enterprise for more on {number}?"),
        "resolve": _("Resolve {number} with this note?"),
    }
    head = heads[str(data["action"])].format(number=escape(str(data["number"])))
    missing = [str(name) for name in data.get("missing", [])] if data["action"] == "wait" else []
    listed = (
        "\n" + _("Missing materials:") + "\n" + "\n".join(f"· {escape(name)}" for name in missing) if missing else ""
    )
    await answer_long(message, f"<b>{head}</b>\n\n{escape(text)}{listed}", reply_markup=_confirm_keyboard())


@router.callback_query(StaffAction.filter(F.action == "transfer"))
async def on_transfer(
    query: CallbackQuery, callback_data: StaffAction, api: ApiClient, categories: CategoryCatalogue
) -> None:
    """Transfer: choose the category whose queue should handle the ticket."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    ticket = await api.staff_ticket(callback_data.number)
    builder = InlineKeyboardBuilder()
    for item in await categories.all():
        if item.category != ticket.category:
            label = category_label(item.category, item.name)
            builder.button(text=label, callback_data=StaffTransfer(number=ticket.number, category=item.category))
    builder.adjust(2)
    await query.message.answer(
        _("Transfer {number} ({category}) to which category's desk?").format(
            number=escape(ticket.number), category=escape(category_label(ticket.category, ticket.category_name))
        ),
        reply_markup=builder.as_markup(),
    )


@router.callback_query(StaffTransfer.filter())
async def on_transfer_target(
    query: CallbackQuery, callback_data: StaffTransfer, state: FSMContext, categories: CategoryCatalogue
) -> None:
    """Ask to confirm the transfer."""
    await query.answer()
    target = await categories.get(callback_data.category)
    if target is None or not isinstance(query.message, Message):
        return
    await state.clear()
    await state.set_state(StaffCompose.confirm)
    await state.update_data(number=callback_data.number, action="transfer", category=target.category)
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(
        _("Transfer {number} to {category}? The enterprise is told it moved.").format(
            number=escape(callback_data.number), category=escape(category_label(target.category, target.name))
        ),
        reply_markup=_confirm_keyboard(),
    )


@router.callback_query(StaffCompose.confirm, StaffConfirm.filter(F.action == "send"))
async def on_send(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Send the confirmed action to the API with the ticket's current version."""
    data = await state.get_data()
    await state.clear()
    number, action = str(data["number"]), str(data["action"])
    payload: dict[str, object] = {"category": data["category"]} if action == "transfer" else {"body": data["text"]}
    if action == "wait" and data.get("missing"):
        payload["missing"] = list(data["missing"])
    if not isinstance(query.message, Message):
        await query.answer()
        return
    await query.message.edit_reply_markup(reply_markup=None)
    try:
        ticket = await api.staff_act(number, action, payload)
    except (ApiConflict, ApiRejected, ApiNotFound) as exc:
        await query.answer()
        await query.message.answer(_("Not sent: {detail}").format(detail=escape(exc.detail)))
        return
    await query.answer(_("Done."))
    done = {
        "reply": _("Reply sent on {number}."),
        "wait": _("The enterprise was asked for more on {number}; you will hear here when they answer."),
        "resolve": _("{number} is resolved; the enterprise is asked to rate it."),
        "transfer": _("{number} was transferred to {queue}."),
    }
    text = done[action].format(number=escape(number), queue=escape(ticket.queue_name))
    await query.message.answer(
        text, reply_markup=staff_actions_keyboard(number) if action in ("reply", "wait") else None
    )


@router.callback_query(StaffConfirm.filter(F.action == "cancel"))
async def on_drop(query: CallbackQuery, state: FSMContext) -> None:
    """Drop what was composed; nothing is sent."""
    if await state.get_state() in (StaffCompose.writing.state, StaffCompose.confirm.state):
        await state.clear()
    await query.answer(_("Nothing was sent."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(StaffConfirm.filter())
async def on_stale_confirm(query: CallbackQuery) -> None:
    """A confirmation of something already sent or dropped."""
    await query.answer(_("This was already sent or dropped."), show_alert=True)


@router.callback_query(StaffAction.filter(F.action == "view"))
async def on_view_ticket(query: CallbackQuery, callback_data: StaffAction, api: ApiClient) -> None:
    """The ticket as staff see it, with what can be done next."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    ticket = await api.staff_ticket(callback_data.number)
    markup = claim_keyboard(ticket.number) if ticket.assignee is None else staff_actions_keyboard(ticket.number)
    await answer_long(query.message, staff_ticket_text(ticket), reply_markup=markup)


@router.callback_query(Menu.filter(F.action == "queue"))
async def on_queue_menu(query: CallbackQuery, api: ApiClient) -> None:
    """Staff menu: the new tickets of the staff member's queues."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    lines: list[str] = []
    builder = InlineKeyboardBuilder()
    for queue in await api.queues():
        page = await api.queue_tickets(queue.key, status="new")
        for ticket in page.items:
            lines.append(f"{escape(ticket.number)} · {escape(queue.name)} · {escape(ticket.subject[:30])}")
            builder.button(text=ticket.number, callback_data=StaffAction(action="view", number=ticket.number))
    builder.adjust(3)
    if not lines:
        await query.message.answer(_("No new tickets in your queues."))
        return
    await query.message.answer(_("<b>New tickets</b>") + "\n" + "\n".join(lines), reply_markup=builder.as_markup())


@router.message(StateFilter(StaffCompose.confirm))
async def on_typed_while_confirming(message: Message) -> None:
    """Text while a confirmation is pending."""
    await message.answer(_("Please confirm or cancel the message above first (or /cancel)."))


@router.message(StaffCompose.writing)
async def on_not_text_while_writing(message: Message) -> None:
    """Anything but text while writing."""
    await message.answer(_("Please type the message as text (or /cancel)."))
