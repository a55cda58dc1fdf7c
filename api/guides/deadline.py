"""The due time a new ticket gets: its category's 承诺时限 in working days (else its queue's SLA hours)."""

from __future__ import annotations

from sqlmodel import Session, select

from api.guides.models import CategoryGuide
from api.queues.models import Queue

WORKDAY_MINUTES = 8 * 60  # 09:00–17:00 (api/calendar/worktime.py)


def promised_minutes(*, session: Session, category: str, queue: Queue) -> int:
    """Working minutes a new ticket of `category` has: its guide's 承诺时限, else the queue's SLA."""
    days = session.exec(select(CategoryGuide.promised_days).where(CategoryGuide.category == category)).first()
    if days is None:
        return queue.sla_hours * 60
    return days * WORKDAY_MINUTES
