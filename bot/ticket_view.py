"""Texts and keyboards of tickets: the requester's view with its history and thread, staff's view and actions."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import StaffAction, TicketAction
from bot.client import StaffTicket, Ticket, TicketDetail
from bot.render import THREAD_PAGE, category_label, guide_lines, status_label, zone_time
from common.tickets import EventType, TicketStatus


def status_story(ticket: Ticket) -> str:
    """Where the request stands, in words."""
    department = ticket.department or ticket.queue_name
    stories: dict[str, str] = {
        TicketStatus.NEW: _("Submitted; waiting for {department} to take it up."),
        TicketStatus.CLAIMED: _("{department} has taken it up and is handling it."),
        TicketStatus.WAITING_ENTERPRISE: _(
            "Staff need more information from you: reply below. The time limit pauses until you answer."
        ),
        TicketStatus.RESOLVED: _("Resolved. Please rate the service."),
        TicketStatus.CLOSED: _("Closed."),
        TicketStatus.CANCELLED: _("Cancelled."),
    }
    return stories.get(ticket.status, status_label(ticket.status)).format(department=escape(department))


def progress_lines(progress: list[tuple[str, str]]) -> list[str]:
    """A ticket's history in words, one line per step (a transfer says why the status went back)."""
    words = {
        EventType.CREATED: _("submitted"),
        EventType.CLAIMED: _("taken up by staff"),
        EventType.WAITING: _("staff asked you for more information"),
        EventType.TRANSFERRED: _(
            "transferred to the department responsible, so it waits to be taken up again (status: Submitted)"
        ),
        EventType.RESOLVED: _("resolved"),
        EventType.CLOSED: _("closed"),
        EventType.CANCELLED: _("cancelled"),
    }
    lines = []
    for event_type, at in progress:
        word = words.get(EventType(event_type)) if event_type in set(EventType) else None
        if word is None:
            continue
        try:
            when = zone_time(datetime.fromisoformat(at))
        except ValueError:
            when = ""
        lines.append(f"· {when} {word}".rstrip())
    return lines


def ticket_detail(
    ticket: TicketDetail, page: int = 0, progress: list[tuple[str, str]] | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """One request: status in words, department, due time, history, its text, and a page of its thread."""
    lines = [
        f"<b>{escape(ticket.number)}</b> · {escape(status_label(ticket.status))}",
        status_story(ticket),
        _("Category: {category}").format(category=escape(category_label(ticket.category, ticket.category_name))),
        _("Handled by: {department}").format(department=escape(ticket.department or ticket.queue_name)),
    ]
    if ticket.created_at is not None:
        lines.append(_("Submitted: {time}").format(time=zone_time(ticket.created_at)))
    if ticket.resolved_at is not None:
        lines.append(_("Resolved: {time}").format(time=zone_time(ticket.resolved_at)))
    elif ticket.sla_due_at is not None and ticket.status not in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
        lines.append(_("Due by: {time}").format(time=zone_time(ticket.sla_due_at)))
    if ticket.guide is not None:
        received = [name for name in ticket.guide.materials if name not in ticket.guide.missing]
        lines += guide_lines(ticket.guide, received=received)
    history = progress_lines(progress or [])
    if history:
        lines += [_("<b>Progress</b>"), *history]
    lines += [_("Subject: {subject}").format(subject=escape(ticket.subject)), escape(ticket.body)]
    pages = max(1, -(-len(ticket.messages) // THREAD_PAGE))
    page = min(max(page, 0), pages - 1)
    end = len(ticket.messages) - page * THREAD_PAGE
    shown = ticket.messages[max(0, end - THREAD_PAGE) : end]
    if shown:
        lines.append("")
        lines.append(_("<b>Messages</b> ({page}/{pages})").format(page=pages - page, pages=pages))
    for item in shown:
        when = f" · {zone_time(item.created_at)}" if item.created_at else ""
        lines.append(f"— <i>{escape(item.author_name)}{when}</i>\n{escape(item.body)}")
    builder = InlineKeyboardBuilder()
    if page + 1 < pages:
        builder.button(
            text=_("« Earlier"), callback_data=TicketAction(action="view", number=ticket.number, page=page + 1)
        )
    if page > 0:
        builder.button(
            text=_("Later »"), callback_data=TicketAction(action="view", number=ticket.number, page=page - 1)
        )
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
        builder.button(text=_("Reply"), callback_data=TicketAction(action="reply", number=ticket.number))
    builder.adjust(2, 1)
    return "\n".join(lines), builder.as_markup()


def staff_ticket_facts(ticket: StaffTicket) -> str:
    """Category, requester and due time of a ticket, for staff."""
    lines = [
        _("Category: {category}").format(category=escape(category_label(ticket.category, ticket.category_name))),
        _("Requester: {requester}").format(
            requester=escape(" · ".join(part for part in (ticket.enterprise, ticket.requester) if part))
        ),
    ]
    if ticket.sla_due_at is not None:
        overdue = " ⚠️" + _("overdue") if ticket.overdue else ""
        lines.append(_("Due by: {time}").format(time=zone_time(ticket.sla_due_at)) + overdue)
    return "\n".join(lines)


def staff_ticket_text(ticket: StaffTicket) -> str:
    """A ticket for staff: facts, the request, and the latest messages (internal notes marked)."""
    lines = [
        f"<b>{escape(ticket.number)}</b> · {escape(status_label(ticket.status))} · {escape(ticket.queue_name)}",
        staff_ticket_facts(ticket),
        _("Assignee: {name}").format(name=escape(ticket.assignee or "—")),
        _("Subject: {subject}").format(subject=escape(ticket.subject)),
        escape(ticket.body),
    ]
    for item in ticket.messages[-THREAD_PAGE:]:
        mark = "📝 " if item.internal else ""
        lines.append(f"— {mark}<i>{escape(item.author_name)}</i>\n{escape(item.body)}")
    return "\n".join(lines)


def staff_actions_keyboard(number: str) -> InlineKeyboardMarkup:
    """What a staff member can do with a claimed ticket from Telegram."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Reply"), callback_data=StaffAction(action="reply", number=number))
    builder.button(text=_("Ask for more"), callback_data=StaffAction(action="wait", number=number))
    builder.button(text=_("Resolve"), callback_data=StaffAction(action="resolve", number=number))
    builder.button(text=_("Transfer"), callback_data=StaffAction(action="transfer", number=number))
    builder.button(text=_("Open ticket"), callback_data=StaffAction(action="view", number=number))
    builder.adjust(2, 2, 1)
    return builder.as_markup()
