"""Typed inline-button payloads (Telegram allows 64 bytes of callback data)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Menu(CallbackData, prefix="menu"):
    """A main-menu entry: ask, check, request, my, human, bind."""

    action: str


class Lang(CallbackData, prefix="lang"):
    """Switch the interface language."""

    locale: str


class CardAction(CallbackData, prefix="card"):
    """A button on an answer card: source, check, human, request, up, down."""

    action: str
    measure: str = ""


class ClarifyPick(CallbackData, prefix="cl"):
    """A choice under 「您想问的是：」: an offered measure (by its place), none of these, or staff."""

    choice: str  # measure | none | staff (bot.client.PickChoice)
    index: int = 0  # the offered measure's place; measure ids may not fit Telegram's 64 bytes


class FactAnswer(CallbackData, prefix="fa"):
    """An answer to an interview question."""

    fact: str
    value: str


class InterviewNav(CallbackData, prefix="iv"):
    """Back, skip, restart or stop in the interview."""

    action: str


class Category(CallbackData, prefix="cat"):
    """A service request category."""

    key: str


class Confirm(CallbackData, prefix="req"):
    """Submit, edit or cancel a drafted request."""

    action: str


class TicketAction(CallbackData, prefix="tk"):
    """View (a page of its thread), reply to, or file a follow-up of one of the user's tickets."""

    action: str
    number: str
    page: int = 0


class Rate(CallbackData, prefix="rate"):
    """A 1–5 rating of a resolved ticket; a negative score records that low score without a reason (跳过)."""

    number: str
    score: int


class Claim(CallbackData, prefix="claim"):
    """Staff: claim a new ticket from an alert."""

    number: str


class StaffAction(CallbackData, prefix="sa"):
    """Staff on a ticket from Telegram: view, reply, wait (ask for more), resolve, transfer."""

    action: str
    number: str


class StaffMaterial(CallbackData, prefix="sm"):
    """Staff asking for more: tick one of the guide's materials not yet received (by its place)."""

    index: int


class Acknowledge(CallbackData, prefix="ack"):
    """Staff acknowledge a 督办 of a ticket."""

    number: str
    supervision: int


class StaffTransfer(CallbackData, prefix="st"):
    """Staff: transfer a ticket to the queue of another category."""

    number: str
    category: str


class StaffConfirm(CallbackData, prefix="sc"):
    """Staff: send what was composed, or drop it."""

    action: str  # send | cancel


class MeasureCheck(CallbackData, prefix="mchk"):
    """Check one measure's clauses (the button of a policy-match notification)."""

    measure_id: str
