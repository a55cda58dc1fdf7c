"""Staff alerts (opt-in): /alerts on|off, and claiming a new ticket from its alert."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Claim
from bot.client import ApiClient, ApiConflict, ApiNotFound, ApiRejected

router = Router(name="staff")


@router.message(Command("alerts"))
async def on_alerts(message: Message, command: CommandObject, api: ApiClient) -> None:
    """`/alerts on [CODE]` or `/alerts off`: new tickets of the staff member's queues arrive here."""
    words = (command.args or "").split()
    if not words or words[0] not in ("on", "off"):
        await message.answer(_("Staff: send /alerts on CODE (the code from the staff console) or /alerts off."))
        return
    enabled = words[0] == "on"
    try:
        await api.set_staff_alerts(enabled=enabled, link_code=words[1] if len(words) > 1 else None)
    except (ApiRejected, ApiNotFound) as exc:
        await message.answer(_("Alerts could not be changed: {detail}").format(detail=exc.detail))
        return
    if enabled:
        await message.answer(_("New tickets of your queues will be announced here."))
    else:
        await message.answer(_("Ticket alerts are off."))


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
