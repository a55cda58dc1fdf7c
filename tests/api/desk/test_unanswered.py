"""The unanswered-question log counts repeats by normalised text."""

from __future__ import annotations

import datetime as dt

from api.faqs.service import list_unanswered, record_unanswered
from tests.api.conftest import Desk


def test_repeats_are_counted_and_listed_most_asked_first(desk: Desk) -> None:
    first, later = dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    with desk.session() as session:
        record_unanswered(session=session, text="火星补贴？", normalized_text="火星补贴", now=first)
        record_unanswered(session=session, text="停车位", normalized_text="停车位", now=first)
        session.commit()
        record_unanswered(session=session, text="火星 补贴", normalized_text="火星补贴", now=later)
        session.commit()
        rows, total = list_unanswered(session=session, limit=10, offset=0)
    assert total == 2
    assert [(r.text, r.count, r.first_seen, r.last_seen) for r in rows] == [
        ("火星补贴？", 2, first, later),
        ("停车位", 1, first, first),
    ]
