"""/start, the main menu, /lang, /cancel and the optional enterprise binding."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.i18n import I18n, get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Lang, Menu
from bot.client import ApiClient, ApiError, ApiNotFound, ApiRejected
from bot.prefs import LOCALES, UserPrefs
from bot.render import greeting, help_text, language_menu, main_menu, staff_menu
from bot.settings import BotSettings
from bot.validate import normalise_credit_code
from common.roles import Role

router = Router(name="start")


class Binding(StatesGroup):
    """Binding the Telegram user to an enterprise: 统一社会信用代码, then the zone's binding code."""

    credit_code = State()
    binding_code = State()


async def send_greeting(message: Message, prefs: UserPrefs, api: ApiClient) -> None:
    """The /start greeting and the menu that fits the account: staff get their desk, enterprises the main menu."""
    name = message.from_user.first_name if message.from_user else ""
    try:
        me = await api.me()
    except ApiError:  # the greeting never waits for the API: an enterprise's menu, which needs none
        me = None
    if me is not None and me.role in (Role.STAFF, Role.ADMIN):
        text = _("Hello, {name}! You are signed in as staff member {staff}.").format(
            name=escape(name), staff=escape(me.display_name or me.username or "")
        )
        await message.answer(text, reply_markup=staff_menu())
        return
    await message.answer(greeting(name, await prefs.enterprise()), reply_markup=main_menu())


async def send_help(message: Message, settings: BotSettings) -> None:
    """What the bot does, its commands, and the service hours and hotline from the settings."""
    english = get_i18n().current_locale == "en"
    hours = settings.bot_service_hours_en if english and settings.bot_service_hours_en else settings.bot_service_hours
    await message.answer(help_text(hours=hours, hotline=settings.bot_hotline), reply_markup=main_menu())


@router.message(CommandStart())
async def on_start(message: Message, state: FSMContext, prefs: UserPrefs, api: ApiClient) -> None:
    """Greet in Chinese and show the main menu; binding is offered, never forced."""
    await state.clear()
    await send_greeting(message, prefs, api)


@router.message(Command("help"))
async def on_help(message: Message, settings: BotSettings) -> None:
    """/help: what the bot does, service hours and hotline."""
    await send_help(message, settings)


@router.message(Command("menu"))
async def on_menu(message: Message) -> None:
    """Show the main menu again."""
    await message.answer(_("What would you like to do?"), reply_markup=main_menu())


@router.message(Command("cancel"))
async def on_cancel(message: Message, state: FSMContext) -> None:
    """Leave whatever flow the user is in."""
    await state.clear()
    await message.answer(_("Cancelled."), reply_markup=ReplyKeyboardRemove())
    await message.answer(_("What would you like to do?"), reply_markup=main_menu())


@router.message(Command("lang"))
async def on_lang(message: Message) -> None:
    """Offer Chinese or English."""
    await message.answer(_("Choose a language / 选择语言"), reply_markup=language_menu())


@router.callback_query(Lang.filter(F.locale.in_(LOCALES)))
async def on_lang_chosen(query: CallbackQuery, callback_data: Lang, prefs: UserPrefs, i18n: I18n) -> None:
    """Switch the interface language for this user."""
    await prefs.set_locale(callback_data.locale)
    with i18n.use_locale(callback_data.locale):
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(_("Language switched."), reply_markup=main_menu())


@router.callback_query(Menu.filter(F.action == "ask"))
async def on_menu_ask(query: CallbackQuery, state: FSMContext) -> None:
    """Policy questions: any text the user types is a question."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_("Please type your question, for example: 外资研发中心有什么补贴？"))


async def _start_binding(reply_to: Message, state: FSMContext) -> None:
    await state.set_state(Binding.credit_code)
    await reply_to.answer(
        _("Please enter your enterprise's 18-character unified social credit code (统一社会信用代码), or /cancel.")
    )


@router.message(Command("bind"))
async def on_bind_command(message: Message, state: FSMContext) -> None:
    """Start binding from the command."""
    await _start_binding(message, state)


@router.callback_query(Menu.filter(F.action == "bind"))
async def on_menu_bind(query: CallbackQuery, state: FSMContext) -> None:
    """Start binding from the menu."""
    await query.answer()
    if isinstance(query.message, Message):
        await _start_binding(query.message, state)


@router.message(Binding.credit_code, F.text)
async def on_bind_code(message: Message, state: FSMContext) -> None:
    """Check the code's check character locally, then ask for the binding code."""
    code = normalise_credit_code(message.text or "")
    if code is None:
        await message.answer(_("The unified social credit code is not valid (18 characters, check digit). Try again."))
        return
    await state.update_data(uscc=code)
    await state.set_state(Binding.binding_code)
    await message.answer(_("Please enter the binding code the zone gave your enterprise."))


@router.message(Binding.binding_code, F.text)
async def on_binding_code(message: Message, state: FSMContext, api: ApiClient, prefs: UserPrefs) -> None:
    """Bind through the API; a wrong pair is refused without saying which part was wrong."""
    uscc = str((await state.get_data()).get("uscc", ""))
    try:
        me = await api.bind_enterprise(uscc=uscc, binding_code=(message.text or "").strip())
    except (ApiRejected, ApiNotFound) as exc:
        await state.set_state(Binding.credit_code)
        await message.answer(_("Binding was refused: {detail}").format(detail=exc.detail))
        await message.answer(_("Please enter the unified social credit code again, or /cancel."))
        return
    await state.clear()
    name = me.enterprise.name if me.enterprise else uscc
    await prefs.set_enterprise(name)
    await message.answer(_("Bound to {name}.").format(name=name), reply_markup=main_menu())


@router.message(StateFilter(Binding), ~F.text)
async def on_bind_not_text(message: Message) -> None:
    """Binding takes typed text only."""
    await message.answer(_("Please type the answer as text (or /cancel)."))
