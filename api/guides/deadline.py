"""The due time a new ticket gets: its category's 承诺时限 in working days (else its queue's SLA hours)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from api.guides.models import CategoryGuide
from api.queues.models import Queue
from api.table_cache import TableCache

WORKDAY_MINUTES = 8 * 60  # 09:00–17:00 (api/calendar/worktime.py)


def _load_guides(session: Session) -> Mapping[str, CategoryGuide]:
    rows = session.exec(select(*CategoryGuide.__table__.columns)).mappings()  # type: ignore[attr-defined]
    return {row["category"]: CategoryGuide(**row) for row in rows}  # plain rows in no session


_GUIDES = TableCache((CategoryGuide,), _load_guides)


def cached_guide(*, session: Session, category: str) -> CategoryGuide | None:
    """The guide of a category as last read (cached per process: see `api.table_cache`): read, never change."""
    return _GUIDES.get(session).get(category)


def promised_minutes(*, session: Session, category: str, queue: Queue) -> int:
    """Working minutes a new ticket of `category` has: its guide's 承诺时限, else the queue's SLA."""
    guide = cached_guide(session=session, category=category)
    if guide is None:
        return queue.sla_hours * 60
    return guide.promised_days * WORKDAY_MINUTES
