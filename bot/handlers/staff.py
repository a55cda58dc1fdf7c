"""Staff: /link CODE (link this Telegram id to a staff account), alerts (/alerts on|off) and claiming from them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Claim
from bot.client import ApiClient, ApiConflict, ApiNotFound, ApiRejected
from bot.notifier import STAFF_ROLES, EventFollower
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
    """Claim the ticket; the first click wins, a lost race says who was faster."""
    try:
        await api.claim(callback_data.number)
    except ApiConflict:
        await query.answer(_("Someone else has already claimed this ticket."), show_alert=True)
        text = _("{number}: already claimed by a colleague.")
    except (ApiRejected, ApiNotFound) as exc:
        await query.answer(exc.detail, show_alert=True)
        return
    else:
        await query.answer(_("Claimed."))
        text = _("{number}: claimed by you.")
    if isinstance(query.message, Message):
        await query.message.edit_text(
            (query.message.html_text or "") + "\n\n" + text.format(number=callback_data.number)
        )
