"""Recording and listing the questions the matcher could not answer.

Everything kept here is shown to admins, so it is stored with personal data masked like the logs
(ID, phone and bank card numbers, e-mail addresses): the unmasked text never reaches a review list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.db import utcnow
from api.faqs.models import AnswerFeedback, AskPick, UnansweredQuestion, UnansweredStatus
from common.ask import PickChoice
from common.logmask import mask_personal_data
from faq.matcher import InvalidQuestion, Matcher


def record_unanswered(
    *, session: Session, text: str, normalized_text: str, now: dt.datetime | None = None, times: int = 1
) -> UnansweredQuestion:
    """Count `times` more askings of a question (keyed by its normalised text); the caller commits."""
    now = now or utcnow()
    text, normalized_text = mask_personal_data(text), mask_personal_data(normalized_text)
    statement = select(UnansweredQuestion).where(UnansweredQuestion.normalized_text == normalized_text)
    row = session.exec(statement).first()
    if row is None:
        try:
            with session.begin_nested():
                row = UnansweredQuestion(
                    text=text, normalized_text=normalized_text, count=times, first_seen=now, last_seen=now
                )
                session.add(row)
            return row
        except IntegrityError:  # asked concurrently: count it on the row that won
            row = session.exec(statement).one()
    row.count += times
    row.last_seen = max(row.last_seen, now)
    if row.status == UnansweredStatus.ANSWERED:  # still unsure after all: back to the review (dismissed stays)
        row.status, row.answered_by, row.measure_id, row.resolved_at = UnansweredStatus.NEW, None, None, None
    session.add(row)
    return row


def list_unanswered(
    *, session: Session, limit: int, offset: int, status: UnansweredStatus | None = None
) -> tuple[list[UnansweredQuestion], int]:
    """The most asked unanswered questions first, optionally only those in one review state."""
    statement = select(UnansweredQuestion)
    counting = select(func.count()).select_from(UnansweredQuestion)
    if status is not None:
        statement = statement.where(col(UnansweredQuestion.status) == status)
        counting = counting.where(col(UnansweredQuestion.status) == status)
    total = session.exec(counting).one()
    statement = (
        statement.order_by(col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_seen).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(statement).all()), int(total)


def record_pick(
    *, session: Session, user_id: int | None, text: str, choice: PickChoice, measure_id: str | None, offered: list[str]
) -> AskPick:
    """Keep the asker's answer to 「您想问的是：」 (a measure, none of these, or a person); the caller commits."""
    row = AskPick(
        text=mask_personal_data(text),
        choice=choice,
        measure_id=measure_id if choice is PickChoice.MEASURE else None,
        offered=offered,
        user_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


def record_feedback(
    *, session: Session, user_id: int | None, text: str, measure_id: str | None, helpful: bool
) -> AnswerFeedback:
    """Keep one 👍/👎 on an answer; the caller commits."""
    row = AnswerFeedback(text=mask_personal_data(text), measure_id=measure_id, helpful=helpful, user_id=user_id)
    session.add(row)
    session.flush()
    return row


def list_feedback(
    *, session: Session, helpful: bool | None, limit: int, offset: int
) -> tuple[list[AnswerFeedback], int]:
    """Feedback, newest first, optionally only the 👍 or the 👎."""
    statement = select(AnswerFeedback)
    counting = select(func.count()).select_from(AnswerFeedback)
    if helpful is not None:
        statement = statement.where(col(AnswerFeedback.helpful) == helpful)
        counting = counting.where(col(AnswerFeedback.helpful) == helpful)
    total = session.exec(counting).one()
    rows = session.exec(statement.order_by(col(AnswerFeedback.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)


MAX_SETTLED = 2000  # the most recently asked new questions re-checked per catalogue change


@dataclass(frozen=True, slots=True)
class Settled:
    """An unanswered question a new catalogue answers confidently, and what answers it."""

    question_id: int
    answered_by: str  # faq:<id> or document:<id>
    measure_id: str


def answerable_unanswered(*, session: Session, matcher: Matcher) -> list[Settled]:
    """The still-new questions (the most recent `MAX_SETTLED`) that `matcher` answers confidently; reads only."""
    statement = (
        select(UnansweredQuestion.id, UnansweredQuestion.text)
        .where(col(UnansweredQuestion.status) == UnansweredStatus.NEW)
        .order_by(col(UnansweredQuestion.last_seen).desc())
        .limit(MAX_SETTLED)
    )
    settled: list[Settled] = []
    for question_id, text in session.exec(statement).all():
        try:
            result = matcher.match(text)
        except InvalidQuestion:
            continue
        if question_id is None or not result.confident or not result.matches:
            continue
        top = result.matches[0]
        answered_by = f"faq:{top.faq_id}" if top.faq_id else f"document:{top.document_id}"
        settled.append(Settled(question_id, answered_by, top.measure_id))
    return settled


def mark_settled(*, session: Session, settled: list[Settled], now: dt.datetime | None = None) -> int:
    """Mark those questions answered unless an admin acted on them meanwhile; how many changed (caller commits)."""
    now = now or utcnow()
    table = UnansweredQuestion.__table__  # type: ignore[attr-defined]
    changed = 0
    for item in settled:
        statement = (
            table.update()
            .where(table.c.id == item.question_id, table.c.status == UnansweredStatus.NEW.value)
            .values(
                status=UnansweredStatus.ANSWERED.value,
                answered_by=item.answered_by,
                measure_id=item.measure_id,
                resolved_at=now,
            )
        )
        changed += cast(CursorResult[Any], session.execute(statement)).rowcount
    return changed
