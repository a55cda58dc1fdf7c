"""The answer card: the measure as written, the document it comes from, its caveats and other sources.

The card is sent in HTML parse mode: every text from the API is escaped here. Each variable part has
a budget in escaped characters, so that a card always fits one Telegram message.
"""

from __future__ import annotations

from html import escape

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.callbacks import CardAction, ClarifyPick
from bot.client import Answer, AskResult, DocumentRef, OtherSource
from common.ask import AnswerAction, PickChoice
from common.documents import DocumentLevel, DocumentStatus

# Budgets in escaped characters; with the fixed texts they add up to well under render.MESSAGE_LIMIT.
HEADING_LIMIT = 300
SUMMARY_LIMIT = 300
UNITS_LIMIT = 300
DOCUMENT_TITLE_LIMIT = 200
DOC_NUMBER_LIMIT = 60
NOTICE_LIMIT = 500
OTHER_PART_LIMIT = 150  # each of an other source's document title and measure title
MAX_OTHERS = 3
CHOICE_BUTTON_LIMIT = 60  # a choice button's text: the measure, then its document, clipped


def level_label(level: DocumentLevel) -> str:
    """The user-facing name of a document's level (省级, Provincial)."""
    labels = {
        DocumentLevel.NATIONAL: _("National"),
        DocumentLevel.PROVINCIAL: _("Provincial"),
        DocumentLevel.CITY: _("City"),
        DocumentLevel.COUNTY: _("County"),
        DocumentLevel.ZONE: _("Zone"),
    }
    return labels[level]


def document_status_label(status: DocumentStatus) -> str:
    """The user-facing name of a document's status (征求意见稿, In force)."""
    labels = {
        DocumentStatus.DRAFT: _("Draft for comment"),
        DocumentStatus.IN_FORCE: _("In force"),
        DocumentStatus.EXPIRED: _("Expired"),
        DocumentStatus.REPEALED: _("Repealed"),
    }
    return labels[status]


def clip(text: str, limit: int) -> str:
    """`text` HTML-escaped, cut with “…” so that the escaped form takes at most `limit` characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    kept: list[str] = []
    used = 0
    for char in text:  # escaping char by char never splits an entity
        piece = escape(char)
        if used + len(piece) > limit - 1:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept).rstrip() + "…"


def measure_heading(label: str | None, title: str) -> str:
    """A measure as its document writes it: （八）大力集聚高端创新平台, never renumbered."""
    if not label or title.startswith(label):
        return title
    return f"{label}{title}"


def source_line(document: DocumentRef) -> str:
    """《title》, 文号 when it has one, level and status."""
    values = {
        "title": clip(document.title, DOCUMENT_TITLE_LIMIT),
        "level": escape(level_label(document.level)),
        "status": escape(document_status_label(document.status)),
    }
    if document.doc_number:
        return _("Source: 《{title}》 ({doc_number}) · {level} · {status}").format(
            doc_number=clip(document.doc_number, DOC_NUMBER_LIMIT), **values
        )
    return _("Source: 《{title}》 · {level} · {status}").format(**values)


def notice_line(answer: Answer) -> str | None:
    """The caveat of the answer's document: a draft's, or that it is no longer current policy."""
    status = answer.document.status if answer.document else None
    english = get_i18n().current_locale == "en"
    if answer.notice and not english:
        return "⚠️ " + clip(answer.notice, NOTICE_LIMIT)
    keyed = {
        DocumentStatus.DRAFT: _(
            "This measure comes from a draft for comment: the final text may differ, "
            "and the officially issued document prevails."
        ),
        DocumentStatus.EXPIRED: _("This document has expired and is no longer current policy."),
        DocumentStatus.REPEALED: _("This document has been repealed and is no longer current policy."),
    }
    text = keyed.get(status) if status is not None else None
    if text is None:
        return "⚠️ " + clip(answer.notice, NOTICE_LIMIT) if answer.notice else None
    line = "⚠️ " + escape(text)
    if english and answer.notice and status is not None and not status.current:
        line += f"\n<i>{clip(answer.notice, NOTICE_LIMIT)}</i>"  # the API's sentence names the current measure
    return line


def others_lines(others: list[OtherSource]) -> list[str]:
    """Other current sources, one line per level: 省级另有：《title》（三）title."""
    groups: dict[DocumentLevel, list[str]] = {}
    for other in [o for o in others if o.document.status.current][:MAX_OTHERS]:
        document = clip(other.document.title, OTHER_PART_LIMIT)
        item = f"《{document}》{clip(measure_heading(other.label, other.title), OTHER_PART_LIMIT)}"
        if other.document.status is not DocumentStatus.IN_FORCE:
            item += " · " + escape(document_status_label(other.document.status))
        groups.setdefault(other.document.level, []).append(item)
    return [
        _("{level} level also has: {sources}").format(level=escape(level_label(level)), sources=_("; ").join(items))
        for level, items in groups.items()
    ]


def _source_lines(answer: Answer) -> list[str]:
    if answer.document is None:
        return []
    notice = notice_line(answer)
    return [source_line(answer.document), *([notice] if notice else [])]


def answer_card(result: AskResult, *, checkable: bool = True) -> tuple[str, InlineKeyboardMarkup]:
    """The answer card: the measure as written, its source, caveats, summary, lead unit, other sources.

    `checkable`: the measure has eligibility clauses, so 看看我是否符合 is offered.
    """
    top = result.top
    answer = result.answer
    lines: list[str] = []
    if not result.confident or top is None:
        lines.append(_("I am not sure I understood your question."))
        if top is not None:
            heading = clip(measure_heading(top.label or answer.label, top.title), HEADING_LIMIT)
            lines.append(_("The closest policy measure I found is: <b>{title}</b>").format(title=heading))
            lines += _source_lines(answer)
        lines.append(_("A member of staff can answer you: tap “Hand over to staff”."))
    else:
        lines.append(f"<b>{clip(measure_heading(answer.label, answer.title or top.title), HEADING_LIMIT)}</b>")
        lines += _source_lines(answer)
        if answer.summary:
            lines.append(clip(answer.summary, SUMMARY_LIMIT))
        if answer.lead_units:
            lines.append(_("Lead unit: {units}").format(units=clip("、".join(answer.lead_units), UNITS_LIMIT)))
        lines.append(_("The lead unit's implementing rules decide the details."))
        lines += others_lines(answer.others)
    offers_request = AnswerAction.CREATE_REQUEST in answer.actions and result.category is not None
    measure = top.measure_id if top is not None and top.measure_id else ""
    return "\n".join(lines), _card_keyboard(measure, offers_request=offers_request, checkable=checkable)


def chitchat_text(result: AskResult) -> str:
    """The API's greeting for 你好 / 谢谢 / 👍 (the catalogue's English one for English users)."""
    english = _(
        "Hello! I am the high-tech zone's enterprise service desk: I answer questions on support policies, "
        "check whether your enterprise qualifies, and handle talent housing, medical insurance, school "
        "enrolment, work and residence permits, licences and project approvals. Just type your question."
    )
    return english if get_i18n().current_locale == "en" else escape(result.answer.summary)


def out_of_scope_card(result: AskResult) -> tuple[str, InlineKeyboardMarkup]:
    """A question outside the desk's remit: the API's words and 转人工, never a policy measure."""
    english = _(
        "This question is outside the zone's policy and one-stop services. "
        "If you need help, hand it over to staff and they will answer you soon."
    )
    text = english if get_i18n().current_locale == "en" else escape(result.answer.summary)
    return text, handover_markup()


def clarify_card(result: AskResult) -> tuple[str, InlineKeyboardMarkup]:
    """「您想问的是：」: the offered measures with their documents, as buttons, plus 都不是 and 转人工."""
    lines = [_("I am not sure I understood your question."), _("Did you mean:")]
    rows: list[list[InlineKeyboardButton]] = []
    for index, choice in enumerate(result.clarify, start=1):
        heading = measure_heading(choice.label, choice.title)
        lines.append(f"{index}. <b>{clip(heading, HEADING_LIMIT)}</b>")
        if choice.document is not None:
            lines.append(f"    《{clip(choice.document.title, DOCUMENT_TITLE_LIMIT)}》")
        document = f" · 《{choice.document.title}》" if choice.document is not None else ""
        label = f"{index}. {heading}{document}"
        if len(label) > CHOICE_BUTTON_LIMIT:
            label = label[: CHOICE_BUTTON_LIMIT - 1] + "…"
        rows.append([_button(label, ClarifyPick(choice=PickChoice.MEASURE, index=index - 1))])
    rows.append(
        [
            _button(_("None of these"), ClarifyPick(choice=PickChoice.NONE)),
            _button(_("Hand over to staff"), ClarifyPick(choice=PickChoice.STAFF)),
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def handover_markup() -> InlineKeyboardMarkup:
    """A lone 转人工 button, for a question none of the offered measures answered."""
    return InlineKeyboardMarkup(inline_keyboard=[[_button(_("Hand over to staff"), CardAction(action="human"))]])


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _card_keyboard(measure: str, *, offers_request: bool = False, checkable: bool = True) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if offers_request:  # a service answer: file the request with its category and the question
        rows.append([_button(_("Service request"), CardAction(action="request", measure=measure))])
    if measure:  # built directly: the keyboard builder deep-copies on every button (hot path)
        row = [_button(_("View the original text"), CardAction(action="source", measure=measure))]
        if checkable:
            row.append(_button(_("Do I qualify?"), CardAction(action="check", measure=measure)))
        rows.append(row)
    rows.append([_button(_("Hand over to staff"), CardAction(action="human", measure=measure))])
    rows.append(
        [
            _button("👍", CardAction(action="up", measure=measure)),
            _button("👎", CardAction(action="down", measure=measure)),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
