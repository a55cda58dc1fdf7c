"""The eligibility interview: one question at a time, back, skip, why, stop and resume, then grouped verdicts.

The API decides everything — the clauses in focus (`measure_id`), the next question (never a `skipped`
fact) and each verdict; this module only renders what `POST /eligibility/check` returns.
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import FactAnswer, InterviewNav, MeasureCheck, Menu
from bot.client import ApiClient, EligibilityResult, Profile, Verdict
from bot.notifier import EventFollower
from bot.render import MESSAGE_LIMIT, bool_options, localized, notice_message, question_step
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
    profile = await api.profile()
    if measure_id is not None and not (await api.check_eligibility(profile, measure_id=measure_id)).verdicts:
        builder = InlineKeyboardBuilder()
        builder.button(text=_("Eligibility self-check"), callback_data=Menu(action="check"))
        await reply_to.answer(_("This measure has no self-check yet."), reply_markup=builder.as_markup())
        return
    await state.set_state(Interview.answering)
    await state.update_data(profile=profile, history=[], skipped=[], measure_id=measure_id)
    await reply_to.answer(_("Let's check which incentives apply to you. Answer a few questions; you can skip any."))
    text, markup = await _next_step(state, api)
    await reply_to.answer(text, reply_markup=markup)


async def _check(state: FSMContext, api: ApiClient) -> tuple[dict[str, Any], EligibilityResult]:
    data: dict[str, Any] = await state.get_data()
    profile: Profile = dict(data.get("profile") or {})
    result = await api.check_eligibility(
        profile, measure_id=data.get("measure_id"), skipped=list(data.get("skipped") or [])
    )
    return data, result


def _verdict_title(verdict: Verdict) -> str:
    title = escape(verdict.benefit or verdict.title)
    return f"{title}（{escape(verdict.amount)}）" if verdict.amount else title


def _verdict_lines(verdicts: list[Verdict], fact_names: dict[str, str]) -> list[str]:
    """One line per eligible or open clause; one line for all clauses ruled out by the same answer."""
    lines: list[str] = []
    for verdict in verdicts:
        unit = escape(verdict.lead_unit)
        if verdict.status is VerdictStatus.ELIGIBLE:
            line = _("{benefit} — likely eligible (lead unit: {unit})")
            lines.append("✅ " + line.format(benefit=_verdict_title(verdict), unit=unit))
        elif verdict.status is VerdictStatus.NEEDS_INFO:
            missing = "、".join(escape(fact_names.get(fact, fact)) for fact in verdict.missing)
            line = _("{benefit} — still unknown, depends on: {missing} (lead unit: {unit})")
            lines.append("❔ " + line.format(benefit=_verdict_title(verdict), missing=missing, unit=unit))
    ruled_out: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if verdict.status is VerdictStatus.INELIGIBLE:
            reason = "；".join(verdict.reasons) or _("a condition is not met")
            ruled_out.setdefault(reason, []).append(verdict)
    for reason, group in ruled_out.items():
        titles = "、".join(_verdict_title(v) for v in group)
        if len(group) == 1:
            line = _("{benefit} — not eligible: {reason} (lead unit: {unit})")
            lines.append("❌ " + line.format(benefit=titles, reason=escape(reason), unit=escape(group[0].lead_unit)))
        else:
            line = _("{count} incentives are ruled out by one answer: {reason} ({titles})")
            lines.append("❌ " + line.format(count=len(group), reason=escape(reason), titles=titles))
    return lines


def _summary(result: EligibilityResult, fact_names: dict[str, str]) -> tuple[str, InlineKeyboardMarkup]:
    """Eligible, still unknown, then not eligible grouped by the answer that rules them out."""
    lines = [_("<b>Self-check result</b>"), *_verdict_lines(result.verdicts, fact_names), ""]
    lines.append(_("The lead unit's implementing rules decide. Your answers are saved and reused next time."))
    text = "\n".join(lines)
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 1] + "…"
    builder = InlineKeyboardBuilder()
    if result.next_question is not None:
        builder.button(text=_("Continue the self-check"), callback_data=InterviewNav(action="resume"))
    builder.button(text=_("Start over"), callback_data=InterviewNav(action="restart"))
    builder.button(text=_("Talk to a person"), callback_data=Menu(action="human"))
    builder.adjust(1)
    return text, builder.as_markup()


async def _fact_names(api: ApiClient) -> dict[str, str]:
    return {fact.name: localized(fact.label or fact.question, fact.label_en) for fact in await api.facts()}


async def _next_step(state: FSMContext, api: ApiClient) -> tuple[str, InlineKeyboardMarkup]:
    """Check the profile so far; the API's next question, or the summary when nothing is left to ask."""
    data, result = await _check(state, api)
    question = result.next_question
    if question is None:
        await state.set_state(None)
        await api.save_profile(dict(data.get("profile") or {}))
        return _summary(result, await _fact_names(api))
    await state.update_data(current=question.fact, help=question.help)
    if not question.options and question.type is FactType.BOOL:
        question = bool_options(question)
    history = list(data.get("history") or [])
    text, markup = question_step(question, answered=len(history), can_go_back=bool(history))
    why = InlineKeyboardBuilder()
    why.button(text=_("Why this question?"), callback_data=InterviewNav(action="why"))
    return text, InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, *why.as_markup().inline_keyboard])


def _typed_value(value: str, fact_type: str | None) -> str | bool | int:
    if fact_type == FactType.BOOL or value in ("true", "false"):
        return value == "true"
    if fact_type == FactType.INT and value.lstrip("-").isdigit():
        return int(value)
    return value


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)
    await query.answer()


@router.message(Command("check"))
async def on_check_command(message: Message, state: FSMContext, api: ApiClient, follower: EventFollower) -> None:
    """Start the interview from the command; new policy-match notifications are pushed to this chat from now on."""
    await follower.follow(message.chat.id)
    await deliver_notices(message, api)
    await start_interview(message, state, api)


async def deliver_notices(reply_to: Message, api: ApiClient) -> int:
    """Send the policy-match notifications not yet sent (each once), with a one-tap check; how many."""
    notices = await api.undelivered_notices()
    for notice in notices:
        text, markup = notice_message(notice)
        await reply_to.answer(text, reply_markup=markup)
    if notices:
        await api.mark_delivered([notice.id for notice in notices])
    return len(notices)


@router.message(Command("policies"))
async def on_policies_command(message: Message, api: ApiClient, follower: EventFollower) -> None:
    """我的政策: every clause the enterprise meets or may meet, with benefit, amount, lead unit and what is unknown."""
    await follower.follow(message.chat.id)
    await deliver_notices(message, api)
    policies = await api.my_policies()
    if not policies:
        await message.answer(_("No policies yet: take the self-check (/check) and your answers are saved."))
        return
    lines = [_("<b>My policies</b>")]
    for policy in policies:
        mark = "✅" if policy.status is VerdictStatus.ELIGIBLE else "❔"
        amount = f"（{escape(policy.amount)}）" if policy.amount else ""
        line = f"{mark} {escape(policy.title)}：{escape(policy.benefit)}{amount} · {escape(policy.lead_unit)}"
        if policy.unknown:
            line += "\n    " + _("Still to confirm: {facts}").format(facts=escape("；".join(policy.unknown)))
        lines.append(line)
    text = "\n".join(lines)
    await message.answer(text[: MESSAGE_LIMIT - 1] + "…" if len(text) > MESSAGE_LIMIT else text)


@router.callback_query(MeasureCheck.filter())
async def on_measure_check(
    query: CallbackQuery, callback_data: MeasureCheck, state: FSMContext, api: ApiClient
) -> None:
    """One tap from a notification: the self-check of that measure."""
    await query.answer()
    if isinstance(query.message, Message):
        await start_interview(query.message, state, api, measure_id=callback_data.measure_id)


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
    types = {fact.name: fact.type.value for fact in await api.facts()}
    profile = dict(data.get("profile") or {})
    profile[callback_data.fact] = _typed_value(callback_data.value, types.get(callback_data.fact))
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
    """Leave the current question unanswered and move on (the API never asks it again)."""
    data = await state.get_data()
    current = data.get("current")
    if isinstance(current, str):
        await state.update_data(skipped=[*list(data.get("skipped") or []), current])
    text, markup = await _next_step(state, api)
    await _edit(query, text, markup)


@router.callback_query(Interview.answering, InterviewNav.filter(F.action == "why"))
async def on_why(query: CallbackQuery, state: FSMContext) -> None:
    """Show the current fact's help text."""
    data = await state.get_data()
    help_text = str(data.get("help") or "") or _("This answer decides which incentives apply to you.")
    await query.answer(help_text[:200], show_alert=True)  # Telegram alerts hold at most 200 characters


@router.callback_query(Interview.answering, InterviewNav.filter(F.action == "stop"))
async def on_stop(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Stop asking and summarise what is known; the summary offers to continue."""
    data, result = await _check(state, api)
    await state.set_state(None)  # the answers and skips stay, so "continue" resumes here
    await api.save_profile(dict(data.get("profile") or {}))
    text, markup = _summary(result, await _fact_names(api))
    await _edit(query, text, markup)


@router.callback_query(InterviewNav.filter(F.action == "resume"))
async def on_resume(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
    """Continue after 结束 where the interview stopped (a lost session resumes from the saved answers)."""
    data = await state.get_data()
    if "profile" not in data:
        await state.update_data(profile=await api.profile(), history=[], skipped=[], measure_id=None)
    await state.update_data(skipped=[])
    await state.set_state(Interview.answering)
    text, markup = await _next_step(state, api)
    await _edit(query, text, markup)


@router.callback_query(InterviewNav.filter(F.action == "restart"))
async def on_restart(query: CallbackQuery) -> None:
    """Ask before erasing the saved answers."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes, erase my answers"), callback_data=InterviewNav(action="restart_confirmed"))
    builder.button(text=_("Keep my answers"), callback_data=InterviewNav(action="resume"))
    builder.adjust(1)
    await _edit(query, _("Starting over erases the answers you saved. Continue?"), builder.as_markup())


@router.callback_query(InterviewNav.filter(F.action == "restart_confirmed"))
async def on_restart_confirmed(query: CallbackQuery, state: FSMContext, api: ApiClient) -> None:
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
