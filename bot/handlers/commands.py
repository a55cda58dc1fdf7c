"""Commands typed in the middle of a flow: leave it cleanly (a request draft is kept), then do the command."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _

from bot.categories import CategoryCatalogue
from bot.client import ApiClient
from bot.handlers.interview import start_interview
from bot.handlers.my import send_my_requests
from bot.handlers.request import in_request, open_request, resume_step
from bot.handlers.start import send_greeting, send_help
from bot.prefs import UserPrefs
from bot.settings import BotSettings

router = Router(name="commands")


async def leave_flow(message: Message, state: FSMContext, prefs: UserPrefs) -> None:
    """End the current flow; a request draft is kept for /request, and the user is told so."""
    step = await state.get_state()
    if in_request(step):
        await prefs.keep_draft(str(step), await state.get_data())
        notice = _("Your request draft is kept: send /request to carry on with it.")
    else:
        notice = _("You left the previous step.")
    await state.clear()
    await message.answer(notice, reply_markup=ReplyKeyboardRemove())


@router.message(~StateFilter(None), Command("start", "help", "my", "request", "check"))
async def on_command_in_flow(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    prefs: UserPrefs,
    api: ApiClient,
    categories: CategoryCatalogue,
    settings: BotSettings,
) -> None:
    """A command always works: the flow is left (its draft kept), then the command runs."""
    if command.command == "request" and in_request(await state.get_state()):
        await resume_step(message, state, categories)
        return
    await leave_flow(message, state, prefs)
    if command.command == "start":
        await send_greeting(message, prefs, api)
    elif command.command == "help":
        await send_help(message, settings)
    elif command.command == "my":
        await send_my_requests(message, api)
    elif command.command == "request":
        await open_request(message, state, prefs, categories)
    else:
        await start_interview(message, state, api)
