"""The reports' working clock counts exactly what `working_minutes_between` counts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.calendar.clock import WorkingClock
from api.calendar.worktime import BEIJING, WorkCalendar, working_minutes_between

FIRST, LAST = dt.date(2025, 9, 20), dt.date(2027, 2, 20)  # National Day, Spring Festival, an unpublished year
CALENDAR = WorkCalendar({dt.date(2027, 2, 8): False, dt.date(2027, 2, 6): True})
CLOCK = WorkingClock(CALENDAR, FIRST, LAST)
moments = st.datetimes(
    min_value=dt.datetime.combine(FIRST, dt.time(0)), max_value=dt.datetime.combine(LAST, dt.time(23, 59))
).map(lambda naive: naive.replace(tzinfo=BEIJING).astimezone(dt.UTC))


@settings(max_examples=300, deadline=None)
@given(start=moments, end=moments)
def test_clock_matches_working_minutes_between(start: dt.datetime, end: dt.datetime) -> None:
    assert CLOCK.between(start, end) == working_minutes_between(CALENDAR, start, end)


def test_a_moment_outside_the_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        CLOCK.microseconds_at(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
