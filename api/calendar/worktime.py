"""Working-time arithmetic on the Chinese calendar: 09:00–17:00 Beijing time on working days.

Working days come from chinese_calendar (holidays and 调休 workdays the State Council published).
Beyond the years it knows, a day is a workday unless it falls on a weekend, corrected by the days an
admin loaded for that year; a due time computed that way is marked estimated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar.constants import holidays as _LIBRARY_HOLIDAYS

from api.calendar import messages

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving time
DAY_START = dt.time(9, 0)
DAY_END = dt.time(17, 0)
LIBRARY_YEARS = range(min(_LIBRARY_HOLIDAYS).year, max(_LIBRARY_HOLIDAYS).year + 1)
_MAX_DAYS = 3 * 366  # a calendar with no workday at all must not loop forever


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due time and whether it rests on an estimated (unpublished) calendar."""

    due_at: dt.datetime
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        """Whether any day counted lies beyond the published calendars."""
        return bool(self.estimated_years)


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days: the library's for the years it knows, weekends plus `loaded` days elsewhere."""

    loaded: Mapping[dt.date, bool] = field(default_factory=dict)  # day → is_workday, admin-loaded

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is the answer an estimate)."""
        if day.year in LIBRARY_YEARS:
            return bool(chinese_calendar.is_workday(day)), False
        if day in self.loaded:
            return self.loaded[day], True
        return day.weekday() < 5, True

    def loaded_years(self) -> frozenset[int]:
        """Years for which an admin loaded days."""
        return frozenset(day.year for day in self.loaded)


def _window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(day, DAY_START, BEIJING), dt.datetime.combine(day, DAY_END, BEIJING)


def add_working_minutes(calendar: WorkCalendar, start: dt.datetime, minutes: int) -> Deadline:
    """The moment `minutes` working minutes after `start`."""
    if minutes <= 0:
        return Deadline(start)
    cursor = start.astimezone(BEIJING)
    remaining = dt.timedelta(minutes=minutes)
    estimated: set[int] = set()
    day = cursor.date()
    for _ in range(_MAX_DAYS):
        workday, guessed = calendar.is_workday(day)
        if guessed:
            estimated.add(day.year)
        if workday:
            opens, closes = _window(day)
            begin = max(opens, cursor)
            if begin < closes:
                if remaining <= closes - begin:
                    return Deadline((begin + remaining).astimezone(dt.UTC), tuple(sorted(estimated)))
                remaining -= closes - begin
        day += dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time(0), BEIJING)
    raise ValueError("no working day within three years")


def working_minutes_between(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes from `start` to `end` (0 when `end` is not after `start`)."""
    start, end = start.astimezone(BEIJING), end.astimezone(BEIJING)
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_workday(day)[0]:
            opens, closes = _window(day)
            begin, finish = max(opens, start), min(closes, end)
            if begin < finish:
                total += finish - begin
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)


def estimate_note(deadline: Deadline, calendar: WorkCalendar) -> str | None:
    """The Chinese note a ticket shows when its due time is an estimate."""
    if not deadline.estimated:
        return None
    years = "、".join(str(year) for year in deadline.estimated_years)
    if set(deadline.estimated_years) <= calendar.loaded_years():
        basis = messages.ESTIMATED_WITH_ADMIN_HOLIDAYS
    else:
        basis = messages.ESTIMATED_FROM_WEEKENDS
    return messages.ESTIMATE_NOTE.format(years=years, basis=basis)
