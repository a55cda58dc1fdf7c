"""Working minutes of many intervals at once: a running total per day, so each interval costs O(1).

`WorkingClock(calendar, first, last).between(a, b)` equals `working_minutes_between(calendar, a, b)`
for instants whose Beijing dates lie within [first, last]; reports use it on 100,000 tickets.
"""

from __future__ import annotations

import datetime as dt

from api.calendar.worktime import BEIJING, DAY_END, DAY_START, WorkCalendar

# Integer microseconds all the way, so results equal the timedelta arithmetic of working_minutes_between;
# plain arithmetic on BEIJING's fixed offset instead of astimezone per instant (the reports' hot loop).
_MICROSECOND = dt.timedelta(microseconds=1)
_MINUTE = 60_000_000
_CALENDAR_DAY = 86_400_000_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_OFFSET = BEIJING.utcoffset(None) // _MICROSECOND
_OPENS = (dt.datetime.combine(dt.date.min, DAY_START) - dt.datetime.min) // _MICROSECOND
_DAY = (dt.datetime.combine(dt.date.min, DAY_END) - dt.datetime.combine(dt.date.min, DAY_START)) // _MICROSECOND


class WorkingClock:
    """Working time elapsed since the start of `first` (Beijing), for any instant up to the end of `last`."""

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.first = first
        self._first_number = (first - _EPOCH.date()).days
        self._before: list[int] = []  # working microseconds before each day
        self._workday: list[bool] = []
        total, day = 0, first
        while day <= last:
            workday = calendar.is_workday(day)[0]
            self._before.append(total)
            self._workday.append(workday)
            total += _DAY if workday else 0
            day += dt.timedelta(days=1)

    def microseconds_at(self, moment: dt.datetime) -> int:
        """Working microseconds from the start of `first` to `moment`."""
        local = (moment - _EPOCH) // _MICROSECOND + _OFFSET
        day_number, into_day = divmod(local, _CALENDAR_DAY)
        index = day_number - self._first_number
        if not 0 <= index < len(self._before):
            raise ValueError(f"{moment} lies outside the clock's days")
        if not self._workday[index]:
            return self._before[index]
        return self._before[index] + min(max(into_day - _OPENS, 0), _DAY)

    def between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working minutes from `start` to `end` (0 when `end` is not after `start`)."""
        return max(self.microseconds_at(end) - self.microseconds_at(start), 0) // _MINUTE
