"""Free text outside a flow is a question: the answer card and its buttons."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import CardAction, ClarifyPick
from bot.card import answer_card, chitchat_text, clarify_card, handover_markup, out_of_scope_card
from bot.categories import CategoryCatalogue
from bot.client import ApiClient, ApiNotFound, ApiRejected, AskResult
from bot.files import what_i_take
from bot.handlers.interview import start_interview
from bot.handlers.request import start_handover, start_request
from bot.prefs import AskedQuestion, UserPrefs
from bot.render import main_menu, measure_text
from bot.send import answer_long
from common.ask import Intent, PickChoice

router = Router(name="ask")
log = logging.getLogger(__name__)
QUESTION_LIMIT = 500
# Typed on its own, one of these asks for a person: the handover starts, the text is no question.
HANDOVER_WORDS = frozenset(
    {
        "转人工",
        "人工",
        "人工服务",
        "人工客服",
        "找人工",
        "找客服",
        "客服",
        "转客服",
        "human",
        "agent",
        "talk to a person",
    }
)
# In a short message (我要转人工, 请帮我找客服) these ask for a person too.
HANDOVER_PHRASES = ("转人工", "人工客服", "人工服务", "找人工", "找客服", "转客服")
HANDOVER_MESSAGE_LIMIT = 10


def wants_person(text: str) -> bool:
    """Whether the text only asks for a person (转人工, 找客服, 我要转人工…)."""
    bare = text.strip(" 。，！!？?~～.").casefold()
    if bare in HANDOVER_WORDS:
        return True
    return len(bare) <= HANDOVER_MESSAGE_LIMIT and any(phrase in bare for phrase in HANDOVER_PHRASES)


@router.message(StateFilter(None), F.text.startswith("/"))
async def on_unknown_command(message: Message) -> None:
    """An unknown command: show the menu instead of treating it as a question."""
    await message.answer(_("Unknown command. What would you like to do?"), reply_markup=main_menu())


@router.message(StateFilter(None), F.text)
async def on_question(
    message: Message, state: FSMContext, api: ApiClient, prefs: UserPrefs, categories: CategoryCatalogue
) -> None:
    """Answer by intent: a greeting and the menu, a polite out-of-scope, 「您想问的是：」, or the answer card."""
    text = (message.text or "").strip()[:QUESTION_LIMIT]
    if wants_person(text):
        await start_handover(message, state, categories)
        return
    if message.bot is not None:
        await message.bot.send_chat_action(message.chat.id, "typing")
    result = await api.ask(text)
    if result.intent is Intent.CHITCHAT:
        await message.answer(chitchat_text(result), reply_markup=main_menu())
        return
    if result.intent is Intent.OUT_OF_SCOPE:
        card, markup = out_of_scope_card(result)
    elif result.clarify:
        card, markup = clarify_card(result)
    else:
        card, markup = answer_card(result, checkable=await _checkable(api, result))
    sent = await message.answer(card, reply_markup=markup)
    top = result.top if result.intent is not Intent.OUT_OF_SCOPE else None
    asked = AskedQuestion(
        text=text,
        measure_id=top.measure_id if top else None,
        category=result.category,
        offered=[choice.measure_id for choice in result.clarify],
        intent=result.intent,
    )
    await prefs.remember_question(sent.message_id, asked)


@router.callback_query(ClarifyPick.filter())
async def on_clarify_pick(
    query: CallbackQuery,
    callback_data: ClarifyPick,
    state: FSMContext,
    api: ApiClient,
    prefs: UserPrefs,
    categories: CategoryCatalogue,
) -> None:
    """A choice under 「您想问的是：」: record it; a measure is answered at once, 转人工 hands the question over."""
    message = query.message if isinstance(query.message, Message) else None
    asked = await prefs.question_of(message.message_id) if message else None
    if message is None or asked is None:
        await query.answer(_("This question has expired; please ask again."))
        return
    choice = PickChoice(callback_data.choice)
    measure_id = None
    if choice is PickChoice.MEASURE:
        if not 0 <= callback_data.index < len(asked.offered):
            await query.answer(_("This question has expired; please ask again."))
            return
        measure_id = asked.offered[callback_data.index]
    try:
        picked = await api.pick(text=asked.text, choice=choice, measure_id=measure_id, offered=asked.offered)
    except ApiRejected:  # the measure left the library since the question was asked
        await query.answer(_("That measure is no longer available."))
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    if picked.result is not None:
        card, markup = answer_card(picked.result, checkable=await _checkable(api, picked.result))
        sent = await message.answer(card, reply_markup=markup)
        await prefs.remember_question(sent.message_id, asked.model_copy(update={"measure_id": measure_id}))
    elif choice is PickChoice.STAFF:
        await message.answer(_("I will pass your question to a member of staff."))
        await start_request(message, state, categories, category=asked.category or "other", body=asked.text)
    else:
        text = _("Noted. You can ask again in other words, or hand the question over to staff.")
        sent = await message.answer(text, reply_markup=handover_markup())
        await prefs.remember_question(sent.message_id, asked)


@router.callback_query(CardAction.filter(F.action == "source"))
async def on_source(query: CallbackQuery, callback_data: CardAction, api: ApiClient) -> None:
    """Show the measure's original text."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        measure = await api.measure(callback_data.measure)
    except ApiNotFound:
        await query.message.answer(_("That measure is no longer available."))
        return
    await answer_long(query.message, measure_text(measure))


@router.callback_query(CardAction.filter(F.action == "check"))
async def on_check(query: CallbackQuery, callback_data: CardAction, state: FSMContext, api: ApiClient) -> None:
    """Run the self-check about the card's measure."""
    await query.answer()
    if isinstance(query.message, Message):
        await start_interview(query.message, state, api, measure_id=callback_data.measure or None)


@router.callback_query(CardAction.filter(F.action == "human"))
async def on_human(query: CallbackQuery, state: FSMContext, prefs: UserPrefs, categories: CategoryCatalogue) -> None:
    """Hand the question to staff as a service request; without a real question, ask what it is about."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    asked = await prefs.question_of(query.message.message_id)
    if asked is None or asked.intent == Intent.CHITCHAT or wants_person(asked.text):
        await start_handover(query.message, state, categories)
        return
    await query.message.answer(_("I will pass your question to a member of staff."))
    await start_request(
        query.message,
        state,
        categories,
        category=asked.category or "other",
        body=asked.text,
    )


@router.callback_query(CardAction.filter(F.action == "request"))
async def on_card_request(
    query: CallbackQuery, state: FSMContext, prefs: UserPrefs, categories: CategoryCatalogue
) -> None:
    """办事申请 on a service answer: the request prefilled with the answer's category and the question."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    asked = await prefs.question_of(query.message.message_id)
    await start_request(
        query.message, state, categories, category=asked.category if asked else None, body=asked.text if asked else None
    )


@router.callback_query(CardAction.filter(F.action.in_({"up", "down"})))
async def on_feedback(query: CallbackQuery, callback_data: CardAction, api: ApiClient, prefs: UserPrefs) -> None:
    """Record 👍/👎 for the admins."""
    asked = await prefs.question_of(query.message.message_id) if isinstance(query.message, Message) else None
    await api.send_feedback(
        text=asked.text if asked else "",
        measure_id=callback_data.measure or None,
        helpful=callback_data.action == "up",
    )
    await query.answer(_("Thank you for your feedback!"))
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        keep = [
            row
            for row in query.message.reply_markup.inline_keyboard
            if not any(CardAction.unpack(b.callback_data).action in ("up", "down") for b in row if b.callback_data)
        ]
        await query.message.edit_reply_markup(
            reply_markup=query.message.reply_markup.model_copy(update={"inline_keyboard": keep})
        )


async def _checkable(api: ApiClient, result: AskResult) -> bool:
    """Whether the card's measure has clauses to check (看看我是否符合 is offered only then)."""
    top = result.top
    return top is not None and bool(top.measure_id) and await api.has_clauses(top.measure_id)


@router.message()
async def on_not_text(message: Message) -> None:
    """Voice, stickers, locations…: never silence; say what the bot can take."""
    await message.answer(what_i_take())
