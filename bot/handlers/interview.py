"""The eligibility interview: one question at a time, back and skip, then a summary of verdicts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import FactAnswer, InterviewNav, Menu
from bot.client import ApiClient, EligibilityResult, Fact, Profile, Question
from bot.render import bool_options, interview_summary, localized, question_step
from common.eligibility import FactType, VerdictStatus

router = Router(name="interview")


class Interview(StatesGroup):
    """The user is answering interview questions."""

    answering = State()


async def start_interview(
    reply_to: Message, state: FSMContext, api: ApiClient, *, measure_id: str | None = None
) -> None:
    """Begin (or resume with the saved answers) an interview, optionally about one measure."""
    await state.clear()
    await state.set_state(Interview.answering)
    await state.update_data(profile=await api.profile(), history=[], skipped=[], measure_id=measure_id)
    await reply_to.answer(_("Let's check which incentives apply to you. Answer a few questions; you can skip any."))
    text, markup = await _next_step(state, api)
    await reply_to.answer(text, reply_markup=markup)


def _pick_question(
    result: EligibilityResult, *, skipped: list[str], measure_id: str | None, order: list[str]
) -> str | None:
    """The fact to ask next: the API's choice unless skipped or off-topic, else the most deciding one.

    Ties go to the earlier fact of the catalogue (the API's interview tie-break order).
    """
    open_verdicts = [
        v
        for v in result.verdicts
        if v.status is VerdictStatus.NEEDS_INFO and (not measure_id or v.measure_id == measure_id)
    ]
    counts = Counter(fact for v in open_verdicts for fact in v.missing if fact not in skipped)
    if not counts:
        return None
    if result.next_question is not None and result.next_question.fact in counts:
        return result.next_question.fact
    rank = {fact: index for index, fact in enumerate(order)}
    return max(counts, key=lambda fact: (counts[fact], -rank.get(fact, len(rank))))


async def _fact_catalogue(api: ApiClient, state: FSMContext) -> dict[str, Fact]:
    data = await state.get_data()
    cached = data.get("facts")
    if isinstance(cached, dict):
        return {name: Fact.model_validate(value) for name, value in cached.items()}
    facts = {fact.name: fact for fact in await api.facts()}
    await state.update_data(facts={name: fact.model_dump(mode="json") for name, fact in facts.items()})
    return facts


def _as_question(fact: Fact) -> Question:
    return Question(
        fact=fact.name, question=fact.question, question_en=fact.question_en, type=fact.type, options=fact.options
    )


def _unknown_question(fact_name: str) -> Question:
    """A fact the catalogue does not describe: asked by its name, as yes/no."""
    return Question(fact=fact_name, question=fact_name, question_en="", type=FactType.BOOL, options=[])


async def _next_step(state: FSMContext, api: ApiClient) -> tuple[str, InlineKeyboardMarkup]:
    """Check the profile so far; the next question, or the summary when nothing is left to ask."""
    data: dict[str, Any] = await state.get_data()
    profile: Profile = dict(data.get("profile") or {})
    skipped: list[str] = list(data.get("skipped") or [])
    measure_id = data.get("measure_id")
    result = await api.check_eligibility(profile)
    facts = await _fact_catalogue(api, state)
    fact_name = _pick_question(result, skipped=skipped, measure_id=measure_id, order=list(facts))
    if fact_name is None:
        await state.set_state(None)
        await api.save_profile(profile)
        names = {name: localized(fact.label or fact.question, fact.label_en) for name, fact in facts.items()}
        return interview_summary(result, measure_id=measure_id, fact_names=names)
    if result.next_question is not None and result.next_question.fact == fact_name:
        question = result.next_question
    else:
        question = _as_question(facts[fact_name]) if fact_name in facts else _unknown_question(fact_name)
    fact = facts.get(fact_name)
    if not question.options and (fact is None or fact.type is FactType.BOOL):
        question = bool_options(question)
    history = list(data.get("history") or [])
    return question_step(question, answered=len(history), can_go_back=bool(history))


def _typed_value(value: str, fact: dict[str, Any] | None) -> str | bool:
    if (fact is not None and fact.get("type") == FactType.BOOL) or value in ("true", "false"):
        return value == "true"
    return value


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)
    await query.answer()


@router.message(Command("check"))
async def on_check_command(message: Message, state: FSMContext, api: ApiClient) -> None:
    """Start the interview from the command."""
    await start_interview(message, state, api)


@router.callback_query(Menu.filter(F.action == "check"))
async def on_check_menu(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Start the interview from the menu."""
    await query.answer()
    if isinstance(query.message, Message):
        await start_interview(query.message, state, api)


@router.callback_query(Interview.answering, FactAnswer.filter())
async def on_fact_answer(query: CallbackQuery, callback_data: FactAnswer, state: FSMContext, api: ApiClient) -> None:
    """Store an answer; ask the next question or show the verdicts."""
    data = await state.get_data()
    facts = data.get("facts") or {}
    profile = dict(data.get("profile") or {})
    profile[callback_data.fact] = _typed_value(callback_data.value, facts.get(callback_data.fact))
    history = [*list(data.get("history") or []), callback_data.fact]
    await state.update_data(profile=profile, history=history)
    await api.save_profile(profile)
    text, markup = await _next_step(state, api)
    await _edit(query, text, markup)


@router.callback_query(Interview.answering, InterviewNav.filter(F.action == "back"))
async def on_back(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Forget the last answer and ask it again."""
    data = await state.get_data()
    history = list(data.get("history") or [])
    profile = dict(data.get("profile") or {})
    skipped = list(data.get("skipped") or [])
    if history:
        last = history.pop()
        profile.pop(last, None)
        skipped = [fact for fact in skipped if fact != last]
    await state.update_data(history=history, profile=profile, skipped=skipped)
    await api.save_profile(profile)
    text, markup = await _next_step(state, api)
    await _edit(query, text, markup)


@router.callback_query(Interview.answering, InterviewNav.filter(F.action == "skip"))
async def on_skip(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Leave the current question unanswered and move on."""
    data = await state.get_data()
    result = await api.check_eligibility(dict(data.get("profile") or {}))
    facts = await _fact_catalogue(api, state)
    current = _pick_question(
        result, skipped=list(data.get("skipped") or []), measure_id=data.get("measure_id"), order=list(facts)
    )
    if current is not None:
        await state.update_data(skipped=[*list(data.get("skipped") or []), current])
    text, markup = await _next_step(state, api)
    await _edit(query, text, markup)


@router.callback_query(Interview.answering, InterviewNav.filter(F.action == "stop"))
async def on_stop(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Stop asking and summarise what is known."""
    data = await state.get_data()
    profile: Profile = dict(data.get("profile") or {})
    result = await api.check_eligibility(profile)
    facts = await _fact_catalogue(api, state)
    await state.clear()
    await api.save_profile(profile)
    names = {name: localized(fact.label or fact.question, fact.label_en) for name, fact in facts.items()}
    text, markup = interview_summary(result, measure_id=data.get("measure_id"), fact_names=names)
    await _edit(query, text, markup)


@router.callback_query(InterviewNav.filter(F.action == "restart"))
async def on_restart(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Forget the saved answers and start again."""
    await api.save_profile({})
    await query.answer()
    if isinstance(query.message, Message):
        await start_interview(query.message, state, api)


@router.message(Interview.answering)
async def on_typed_during_interview(message: Message) -> None:
    """The interview takes button answers; typed text gets a hint."""
    await message.answer(_("Please answer with the buttons above, or /cancel to leave the self-check."))


@router.callback_query(FactAnswer.filter())
@router.callback_query(InterviewNav.filter())
async def on_stale_interview_button(query: CallbackQuery) -> None:
    """A button of an interview that has ended."""
    await query.answer(_("This interview has ended. Start a new one from the menu."), show_alert=True)
