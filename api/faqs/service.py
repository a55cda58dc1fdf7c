"""Recording and listing the questions the matcher could not answer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.db import utcnow
from api.faqs.models import AnswerFeedback, UnansweredQuestion


def record_unanswered(
    *, session: Session, text: str, normalized_text: str, now: dt.datetime | None = None
) -> UnansweredQuestion:
    """Count one more asking of a question (keyed by its normalised text); the caller commits."""
    now = now or utcnow()
    statement = select(UnansweredQuestion).where(UnansweredQuestion.normalized_text == normalized_text)
    row = session.exec(statement).first()
    if row is None:
        try:
            with session.begin_nested():
                row = UnansweredQuestion(text=text, normalized_text=normalized_text, first_seen=now, last_seen=now)
                session.add(row)
            return row
        except IntegrityError:  # asked concurrently: count it on the row that won
            row = session.exec(statement).one()
    row.count += 1
    row.last_seen = now
    session.add(row)
    return row


def list_unanswered(*, session: Session, limit: int, offset: int) -> tuple[list[UnansweredQuestion], int]:
    """The most asked unanswered questions first."""
    total = session.exec(select(func.count()).select_from(UnansweredQuestion)).one()
    statement = (
        select(UnansweredQuestion)
        .order_by(col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_seen).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(statement).all()), int(total)


def record_feedback(
    *, session: Session, user_id: int | None, text: str, measure_id: str | None, helpful: bool
) -> AnswerFeedback:
    """Keep one 👍/👎 on an answer; the caller commits."""
    row = AnswerFeedback(text=text, measure_id=measure_id, helpful=helpful, user_id=user_id)
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
