"""The admins' review of what the desk could not answer: dismissing questions, accepting picks as FAQ variants.

A pick accepted becomes a variant of the FAQ entry that links the picked measure first: a published admin
entry, else the bundled entry (replaced by an admin copy that carries the new variant), else a new entry.
The caller bumps the library revision and commits, so every replica serves the new variant.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.catalog import published_rows
from api.catalog_build import replaced_bundled, served_id
from api.db import utcnow
from api.domain_errors import Conflict, InvalidInput, NotFound
from api.faqs.models import AskPick, UnansweredQuestion, UnansweredStatus
from api.faqs.models import FaqEntry as FaqRow
from common.ask import PickChoice
from faq.bundled import load_bundled
from faq.matcher import Matcher

MAX_VARIANTS = 50  # what the FAQ editor accepts


class PickNotFound(NotFound):
    """No pick with this id."""


class UnansweredNotFound(NotFound):
    """No unanswered question with this id."""


class PickNotAcceptable(InvalidInput):
    """A pick that names no measure (都不是, 转人工), or of a measure no longer served."""


class VariantsFull(Conflict):
    """The FAQ entry already has as many variants as the editor allows."""


def dismiss_unanswered(*, session: Session, question_id: int) -> UnansweredQuestion:
    """Take a question off the review list for good (an admin's call); the caller commits."""
    row = session.get(UnansweredQuestion, question_id)
    if row is None:
        raise UnansweredNotFound(f"找不到未解答问题 {question_id} (unanswered question not found)")
    row.status = UnansweredStatus.DISMISSED
    row.resolved_at = utcnow()
    session.add(row)
    return row


def _entry_for(session: Session, measure_id: str, text: str, matcher: Matcher) -> FaqRow:
    """The admin entry the measure's questions belong to, made from the bundled entry or new when there is none."""
    rows = published_rows(session)
    found = next((r for r in rows if r.measure_ids and r.measure_ids[0] == measure_id), None)
    if found is not None:
        return found
    bundled = load_bundled().entries
    gone = {entry.id for entry in replaced_bundled(rows, bundled).values()}
    origin = next((e for e in bundled if e.id not in gone and e.measure_ids[:1] == (measure_id,)), None)
    if origin is not None:
        return FaqRow(
            question=origin.question,
            variants=list(origin.variants),
            answer=origin.answer,
            measure_ids=list(origin.measure_ids),
            replaces=origin.id,
            version=0,
        )
    answer = matcher.answer_measure(text, measure_id).answer
    return FaqRow(question=text, variants=[], answer=answer.summary, measure_ids=[measure_id], version=0)


def accept_pick(*, session: Session, pick_id: int, matcher: Matcher) -> tuple[AskPick, FaqRow]:
    """Add the picked question as a variant of the measure's FAQ entry, published; the caller bumps and commits."""
    pick = session.get(AskPick, pick_id)
    if pick is None:
        raise PickNotFound(f"找不到选择记录 {pick_id} (pick not found)")
    if pick.choice != PickChoice.MEASURE or not pick.measure_id:
        raise PickNotAcceptable("只有选中了措施的记录可以采纳 (only a pick of a measure can be accepted)")
    if pick.measure_id not in matcher.measures:
        raise PickNotAcceptable(f"该措施已不再提供：{pick.measure_id} (measure no longer served)")
    if pick.accepted_at is not None and pick.faq_entry_id is not None:
        entry = session.get(FaqRow, pick.faq_entry_id)
        if entry is not None:
            return pick, entry  # accepted before: one click twice adds nothing
    entry = _entry_for(session, pick.measure_id, pick.text, matcher)
    known = {q.strip() for q in (entry.question, *entry.variants)}
    if pick.text.strip() not in known:
        if len(entry.variants) >= MAX_VARIANTS:
            raise VariantsFull(f"该问答已有 {MAX_VARIANTS} 个问法 (the entry has {MAX_VARIANTS} variants)")
        entry.variants = [*entry.variants, pick.text.strip()]
    entry.version += 1
    entry.published_version = entry.version
    entry.updated_at = utcnow()
    session.add(entry)
    session.flush()
    pick.accepted_at = utcnow()
    pick.faq_entry_id = entry.id
    session.add(pick)
    _answered(session, pick.text, matcher, entry)
    return pick, entry


def _answered(session: Session, text: str, matcher: Matcher, entry: FaqRow) -> None:
    """The question's own unanswered row (if any) is now answered by the entry."""
    normalised = matcher.pipeline.normaliser.normalise(text.strip())
    query = select(UnansweredQuestion).where(col(UnansweredQuestion.normalized_text) == normalised)
    for row in session.exec(query):
        if row.status == UnansweredStatus.NEW:
            row.status = UnansweredStatus.ANSWERED
            row.answered_by = f"faq:{served_id(entry.id or 0)}"
            row.measure_id = entry.measure_ids[0] if entry.measure_ids else None
            row.resolved_at = utcnow()
            session.add(row)


def list_picks(
    *, session: Session, choice: PickChoice | None, accepted: bool | None, limit: int, offset: int
) -> tuple[list[AskPick], int]:
    """Picks, newest first, optionally of one choice and accepted or not."""
    statement = select(AskPick)
    counting = select(func.count()).select_from(AskPick)
    conditions = []
    if choice is not None:
        conditions.append(col(AskPick.choice) == choice)
    if accepted is not None:
        conditions.append(col(AskPick.accepted_at).is_not(None) if accepted else col(AskPick.accepted_at).is_(None))
    for condition in conditions:
        statement, counting = statement.where(condition), counting.where(condition)
    total = session.exec(counting).one()
    rows = session.exec(statement.order_by(col(AskPick.id).desc()).offset(offset).limit(limit)).all()
    return list(rows), int(total)
