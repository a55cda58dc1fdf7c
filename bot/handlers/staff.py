"""Staff: /link CODE (link this Telegram id to a staff account), alerts (/alerts on|off) and claiming from them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Acknowledge, Claim
from bot.client import ApiClient, ApiConflict, ApiNotFound, ApiRejected
from bot.notifier import STAFF_ROLES, EventFollower
from bot.ticket_view import staff_actions_keyboard
from common.roles import Role

router = Router(name="staff")


@router.message(Command("link"))
async def on_link(message: Message, command: CommandObject, api: ApiClient) -> None:
    """`/link CODE`: the one-time code from the staff console makes this Telegram account act as that staff member."""
    code = (command.args or "").strip()
    if not code:
        await message.answer(
            _("Staff: press 「绑定 Telegram」 in the staff console, then send /link followed by the code shown there.")
        )
        return
    try:
        me = await api.link_telegram(code)
    except (ApiRejected, ApiConflict) as exc:
        await message.answer(exc.detail)
        return
    name = me.display_name or me.username or ""
    await message.answer(_("Linked: this Telegram account now acts as staff member {name}.").format(name=name))


@router.message(Command("alerts"))
async def on_alerts(message: Message, command: CommandObject, api: ApiClient, follower: EventFollower) -> None:
    """`/alerts on` or `/alerts off`: new tickets of a staff member's queues arrive here (opt-in)."""
    choice = (command.args or "").strip().lower()
    if choice not in ("on", "off"):
        await message.answer(
            _("Staff: send /alerts on to receive new tickets of your queues here, /alerts off to stop.")
        )
        return
    if choice == "off":
        await follower.unfollow(message.chat.id)
        await message.answer(_("Ticket alerts are off."))
        return
    me = await api.me()
    if me.role not in STAFF_ROLES:
        await message.answer(_("This Telegram account is not linked to a staff account, so there are no alerts."))
        return
    await follower.follow(message.chat.id, role=Role.STAFF)
    await message.answer(_("New tickets of your queues will be announced here."))


@router.callback_query(Claim.filter(F.number != ""))
async def on_claim(query: CallbackQuery, callback_data: Claim, api: ApiClient) -> None:
    """Claim the ticket; the first click wins. A second click says the truth: who holds it (you, or a colleague)."""
    number = callback_data.number
    mine = _("{number}: claimed by you.").format(number=number)
    markup: InlineKeyboardMarkup | None = staff_actions_keyboard(number)
    try:
        await api.claim(number)
    except ApiConflict:
        ticket = await api.staff_ticket(number)
        me = await api.me()
        if ticket.assignee is not None and ticket.assignee in (me.display_name, me.username):
            await query.answer(_("You have already claimed this ticket."))
            line = mine
        else:
            colleague = ticket.assignee or "—"
            await query.answer(_("{name} has already claimed this ticket.").format(name=colleague), show_alert=True)
            line, markup = _("{number}: already claimed by {name}.").format(number=number, name=colleague), None
    except (ApiRejected, ApiNotFound) as exc:
        await query.answer(exc.detail, show_alert=True)
        return
    else:
        await query.answer(_("Claimed."))
        line = mine
    if isinstance(query.message, Message):
        current = query.message.html_text or ""
        updated = current if current.endswith(line) else current + "\n\n" + line
        await query.message.edit_text(updated, reply_markup=markup)


@router.callback_query(Acknowledge.filter())
async def on_acknowledge(query: CallbackQuery, callback_data: Acknowledge, api: ApiClient) -> None:
    """The assignee acknowledges a 督办; the supervisor hears of it through the event stream."""
    try:
        await api.acknowledge_supervision(callback_data.number, callback_data.supervision)
    except (ApiConflict, ApiRejected, ApiNotFound) as exc:
        await query.answer(exc.detail, show_alert=True)
        return
    await query.answer(_("Acknowledged."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=staff_actions_keyboard(callback_data.number))
