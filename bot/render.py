"""Texts and keyboards the handlers send: every label comes from the message catalogue."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    Category,
    Claim,
    Confirm,
    FactAnswer,
    InterviewNav,
    Lang,
    MeasureCheck,
    Menu,
    Rate,
    TicketAction,
)
from bot.client import Guide, Measure, Option, PolicyNotice, Question, ServiceCategory, TicketPage
from common.eligibility import VerdictStatus
from common.tickets import TicketStatus

log = logging.getLogger(__name__)
MESSAGE_LIMIT = 4000  # Telegram's limit is 4096 characters
CALLBACK_DATA_LIMIT = 64  # bytes of an inline button's data, Telegram's limit
SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
ZONE_TIME = ZoneInfo("Asia/Shanghai")  # the zone's office hours and due times are China time
THREAD_PAGE = 5  # messages of a ticket's thread shown at a time


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Escaped text as messages under Telegram's limit, cut after sentence ends (hard cuts only inside a
    sentence longer than a message, never inside an HTML entity)."""
    chunks: list[str] = []
    current = ""
    for piece in SENTENCE_END.split(text):
        while len(piece) > limit:
            if current:
                chunks.append(current)
                current = ""
            cut = limit
            amp = piece.rfind("&", limit - 10, limit)
            if amp != -1 and ";" not in piece[amp:limit]:
                cut = amp
            chunks.append(piece[:cut])
            piece = piece[cut:]
        if len(current) + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current += piece
    if current or not chunks:
        chunks.append(current)
    return [chunk.strip("\n") or chunk for chunk in chunks]


def zone_time(moment: datetime) -> str:
    """A moment as the zone reads it: 2026-12-03 17:30 (China time)."""
    return moment.astimezone(ZONE_TIME).strftime("%Y-%m-%d %H:%M")


def localized(zh: str, en: str) -> str:
    """The API's English text for English users when it has one, else the Chinese."""
    return en if en and get_i18n().current_locale == "en" else zh


def _default_category_labels() -> dict[str, str]:
    """Translations of the default categories' names; the API names every category, these only translate."""
    return {
        "housing": _("Talent housing"),
        "medical_insurance": _("Medical insurance"),
        "schooling": _("School enrolment for children"),
        "work_permit": _("Work permit for foreigners"),
        "residence_permit": _("Residence permit"),
        "business_license": _("Business licences (one-stop online)"),
        "project_approval": _("Investment project approval"),
        "other": _("Other"),
    }


def category_label(key: str | None, name: str = "") -> str:
    """A request category's name: the API's Chinese `name`, translated when it is a default we know."""
    translated = _default_category_labels().get(key or "")
    if translated is not None and (get_i18n().current_locale == "en" or not name):
        return translated
    return name or key or _("Other")


def status_label(status: str) -> str:
    """The user-facing name of a ticket status."""
    labels: dict[str, str] = {
        TicketStatus.NEW: _("Submitted"),
        TicketStatus.CLAIMED: _("Being handled"),
        TicketStatus.WAITING_ENTERPRISE: _("Waiting for your reply"),
        TicketStatus.RESOLVED: _("Resolved"),
        TicketStatus.CLOSED: _("Closed"),
        TicketStatus.CANCELLED: _("Cancelled"),
    }
    return labels.get(status, status)


def main_menu() -> InlineKeyboardMarkup:
    """The five entries of the main menu, plus binding."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Policy questions"), callback_data=Menu(action="ask"))
    builder.button(text=_("Eligibility self-check"), callback_data=Menu(action="check"))
    builder.button(text=_("Service request"), callback_data=Menu(action="request"))
    builder.button(text=_("My requests"), callback_data=Menu(action="my"))
    builder.button(text=_("Talk to a person"), callback_data=Menu(action="human"))
    builder.button(text=_("Bind my enterprise"), callback_data=Menu(action="bind"))
    builder.adjust(2, 2, 1, 1)
    return builder.as_markup()


def language_menu() -> InlineKeyboardMarkup:
    """Choose Chinese or English."""
    builder = InlineKeyboardBuilder()
    builder.button(text="中文", callback_data=Lang(locale="zh_CN"))
    builder.button(text="English", callback_data=Lang(locale="en"))
    return builder.as_markup()


def greeting(first_name: str, enterprise: str | None) -> str:
    """The /start greeting."""
    text = _(
        "Hello, {name}! I am the enterprise service desk of the high-tech zone.\n"
        "Ask me about the zone's policies in your own words, check which incentives your enterprise "
        "qualifies for, or file a service request."
    ).format(name=escape(first_name))
    if enterprise:
        text += "\n" + _("Bound enterprise: {name}").format(name=escape(enterprise))
    else:
        text += "\n" + _("You may bind your enterprise (optional) so that colleagues see the same requests.")
    return text


def help_text(*, hours: str, hotline: str) -> str:
    """/help: what the bot does, its commands, service hours and hotline."""
    return "\n".join(
        [
            _("Type a question about the zone's policies at any time, or use the menu below."),
            _(
                "/request service request · /my my requests · /check eligibility self-check · "
                "/lang language · /cancel leave the current step"
            ),
            _("Service hours: {hours}").format(hours=escape(hours)),
            _("Hotline: {hotline}").format(hotline=escape(hotline)),
        ]
    )


def measure_text(measure: Measure) -> str:
    """The whole original text of a measure (sent split into messages when long)."""
    return f"<b>{escape(measure.label)}{escape(measure.title)}</b>\n\n{escape(measure.body)}"


def question_step(question: Question, *, answered: int, can_go_back: bool) -> tuple[str, InlineKeyboardMarkup]:
    """One interview question with its options, back and skip."""
    builder = InlineKeyboardBuilder()
    options = question.options or []
    for option in options:
        label = localized(option.label, option.label_en)
        builder.button(text=label, callback_data=FactAnswer(fact=question.fact, value=option.key))
    nav = InlineKeyboardBuilder()
    if can_go_back:
        nav.button(text=_("« Back"), callback_data=InterviewNav(action="back"))
    nav.button(text=_("Skip"), callback_data=InterviewNav(action="skip"))
    nav.button(text=_("Stop"), callback_data=InterviewNav(action="stop"))
    builder.adjust(2)
    builder.attach(nav)
    text = _("Question {n}: {question}").format(
        n=answered + 1, question=escape(localized(question.question, question.question_en))
    )
    return text, builder.as_markup()


def bool_options(question: Question) -> Question:
    """A yes/no question gets 是/否 options when the API sent none."""
    if question.options:
        return question
    return question.model_copy(
        update={
            "options": [
                Option(value="true", label=_("Yes"), label_en=""),
                Option(value="false", label=_("No"), label_en=""),
            ]
        }
    )


def category_menu(categories: list[ServiceCategory], suggested: str | None = None) -> InlineKeyboardMarkup:
    """Request categories as buttons, the suggested one first."""
    builder = InlineKeyboardBuilder()
    ordered = sorted(categories, key=lambda item: item.category != suggested)
    for item in ordered:
        data = Category(key=item.category)
        if len(data.pack().encode()) > CALLBACK_DATA_LIMIT:
            log.warning("category %r is too long a key for a Telegram button; not offered", item.category)
            continue
        label = category_label(item.category, item.name)
        if item.category == suggested:
            label = "⭐ " + label
        builder.button(text=label, callback_data=data)
    builder.button(text=_("Cancel"), callback_data=Confirm(action="cancel"))
    builder.adjust(2)
    return builder.as_markup()


def contact_keyboard() -> ReplyKeyboardMarkup:
    """Share the Telegram contact with one tap (or type a number)."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=_("Share my phone number"), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def notice_message(notice: PolicyNotice) -> tuple[str, InlineKeyboardMarkup]:
    """A policy-match notification: the clause and its benefit, with a one-tap check of its measure."""
    line = _("New policy for you: {title} — {benefit}") if notice.status is VerdictStatus.ELIGIBLE else None
    text = (line or _("One answer away from a new policy: {title} — {benefit}")).format(
        title=escape(notice.title), benefit=escape(notice.benefit)
    )
    builder = InlineKeyboardBuilder()
    check = MeasureCheck(measure_id=notice.measure_id)
    if len(check.pack().encode()) <= CALLBACK_DATA_LIMIT:  # Telegram's limit
        builder.button(text=_("Check now"), callback_data=check)
    return text, builder.as_markup()


def guide_lines(guide: Guide, *, received: Sequence[str] | None = None) -> list[str]:
    """办事指南 in words: materials (ticked when `received` is given), 承诺时限 and fee."""
    lines = [_("<b>Service guide</b>")]
    if guide.materials:
        lines.append(_("Materials to prepare:"))
        for name in guide.materials:
            mark = "· " if received is None else ("✅ " if name in received else "▫️ ")
            lines.append(mark + escape(name))
    lines.append(_("Promised time limit: {days} working days").format(days=guide.promised_days))
    lines.append(_("Fee: {fee}").format(fee=escape(guide.fee or _("free of charge"))))
    return lines


def request_draft(
    category: str, subject: str, body: str, contact: str, guide: Guide | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The request as it will be filed (`category`: its label) and its 办事指南, with submit / edit / cancel."""
    lines = [
        _("<b>Please confirm your request</b>"),
        _("Category: {category}").format(category=escape(category)),
        _("Subject: {subject}").format(subject=escape(subject)),
        _("Details: {body}").format(body=escape(body)),
        _("Contact: {contact}").format(contact=escape(contact)),
    ]
    if guide is not None:
        lines += ["", *guide_lines(guide)]
    text = "\n".join(lines)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Submit"), callback_data=Confirm(action="submit"))
    builder.button(text=_("Edit"), callback_data=Confirm(action="edit"))
    builder.button(text=_("Cancel"), callback_data=Confirm(action="cancel"))
    builder.adjust(1, 2)
    return text, builder.as_markup()


def edit_field_menu() -> InlineKeyboardMarkup:
    """Which field of a draft to change."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Category"), callback_data=Confirm(action="edit_category"))
    builder.button(text=_("Details"), callback_data=Confirm(action="edit_details"))
    builder.button(text=_("Contact"), callback_data=Confirm(action="edit_contact"))
    builder.button(text=_("Cancel"), callback_data=Confirm(action="cancel"))
    builder.adjust(3, 1)
    return builder.as_markup()


def ticket_list(page: TicketPage) -> tuple[str, InlineKeyboardMarkup | None]:
    """The user's requests with their status."""
    if not page.items:
        return _("You have no requests yet."), None
    lines = [_("<b>My requests</b> ({total})").format(total=page.total)]
    builder = InlineKeyboardBuilder()
    for ticket in page.items:
        lines.append(
            f"{escape(ticket.number)} · {escape(status_label(ticket.status))} · "
            f"{escape(category_label(ticket.category, ticket.category_name))} · {escape(ticket.subject[:30])}"
        )
        builder.button(text=ticket.number, callback_data=TicketAction(action="view", number=ticket.number))
    builder.adjust(3)
    return "\n".join(lines), builder.as_markup()


def reply_button(number: str) -> InlineKeyboardMarkup:
    """A button to add a message to a ticket."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=_("Reply"), callback_data=TicketAction(action="reply", number=number).pack())]
        ]
    )


def score_label(score: int) -> str:
    """The 好差评 level of a score: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意."""
    labels = {
        5: _("Very satisfied"),
        4: _("Satisfied"),
        3: _("Fairly satisfied"),
        2: _("Dissatisfied"),
        1: _("Very dissatisfied"),
    }
    return labels.get(score, str(score))


def rated_text(score: int) -> str:
    """A score as the user sees it: its stars and its level."""
    return f"{'⭐' * score} {score_label(score)}"


def rating_keyboard(number: str) -> InlineKeyboardMarkup:
    """The five 好差评 levels for a resolved request, one per row with its label."""
    builder = InlineKeyboardBuilder()
    for score in range(1, 6):
        builder.button(text=rated_text(score), callback_data=Rate(number=number, score=score))
    builder.adjust(1)
    return builder.as_markup()


def claim_keyboard(number: str) -> InlineKeyboardMarkup:
    """Staff alert: claim the ticket."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Claim"), callback_data=Claim(number=number))
    return builder.as_markup()


def staff_menu() -> InlineKeyboardMarkup:
    """The main menu of a staff member: their queues' new tickets, policy questions, alerts."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("New tickets of my queues"), callback_data=Menu(action="queue"))
    builder.button(text=_("Policy questions"), callback_data=Menu(action="ask"))
    builder.adjust(1)
    return builder.as_markup()


def try_later() -> str:
    """What the user sees when the API is down."""
    return _("Sorry, the service is temporarily unavailable. Please try again later.")
