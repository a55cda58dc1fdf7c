"""Policy-match notifications of the caller's profile: list, mark read or delivered (by the bot)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

from api.auth.models import User
from api.db import utcnow
from api.eligibility.models import PolicyNotification
from api.profiles.service import profile_row


def list_notifications(
    session: Session, user: User, *, limit: int, offset: int, undelivered: bool = False
) -> tuple[list[PolicyNotification], int, bool]:
    """The caller's notifications, newest first, their total and whether notifications are on."""
    row = profile_row(session=session, user=user)
    if row is None or row.id is None:
        return [], 0, True
    where: list[ColumnElement[bool]] = [col(PolicyNotification.profile_id) == row.id]
    if undelivered:
        where.append(col(PolicyNotification.delivered_at).is_(None))
    total = session.exec(select(func.count()).select_from(PolicyNotification).where(*where)).one()
    items = session.exec(
        select(PolicyNotification).where(*where).order_by(col(PolicyNotification.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(items), int(total), row.notify


def mark(session: Session, user: User, ids: Collection[int], *, delivered: bool) -> int:
    """Mark the caller's notifications read (or delivered by the bot); how many changed. The caller commits."""
    row = profile_row(session=session, user=user)
    if row is None or not ids:
        return 0
    column = PolicyNotification.delivered_at if delivered else PolicyNotification.read_at
    result = session.execute(
        update(PolicyNotification)
        .where(
            col(PolicyNotification.profile_id) == row.id,
            col(PolicyNotification.id).in_(list(ids)),
            col(column).is_(None),
        )
        .values({column: utcnow()})
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
