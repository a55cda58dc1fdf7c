"""When a running ticket is due its 预警: at 75 % of the working time its clock was given."""

from __future__ import annotations

import datetime as dt
import math

from api.calendar.worktime import WorkCalendar, add_working_minutes

WARN_AT = 0.75  # 预警: three quarters of the ticket's own SLA used


def warning_time(calendar: WorkCalendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """The moment 75 % of `minutes` working minutes from `start` (a clock start or restart) have passed."""
    return add_working_minutes(calendar, start, math.ceil(minutes * WARN_AT)).due_at
