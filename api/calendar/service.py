"""Loading the working calendar and the days admins load for unpublished years."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, delete, select

from api.calendar import messages
from api.calendar.models import CalendarDay
from api.calendar.worktime import LIBRARY_YEARS, WorkCalendar
from api.domain_errors import InvalidInput
from api.table_cache import TableCache


class YearPublished(InvalidInput):
    """The calendar library already knows that year."""


def _read_calendar(session: Session) -> WorkCalendar:
    rows = session.exec(select(CalendarDay)).all()
    return WorkCalendar({row.day: row.is_workday for row in rows})


_CALENDAR = TableCache((CalendarDay,), _read_calendar)


def load_calendar(*, session: Session) -> WorkCalendar:
    """The working calendar with every admin-loaded day (cached per process: see `api.table_cache`)."""
    return _CALENDAR.get(session)


def list_year(*, session: Session, year: int) -> list[CalendarDay]:
    """The days an admin loaded for `year`, in date order."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    statement = select(CalendarDay).where(col(CalendarDay.day) >= start, col(CalendarDay.day) <= end)
    return list(session.exec(statement.order_by(col(CalendarDay.day))).all())


def replace_year(*, session: Session, year: int, holidays: list[dt.date], workdays: list[dt.date]) -> list[CalendarDay]:
    """Replace the loaded holidays and 调休 workdays of a year the library does not know."""
    if year in LIBRARY_YEARS:
        raise YearPublished(messages.YEAR_PUBLISHED.format(year=year))
    days = dict.fromkeys(holidays, False) | dict.fromkeys(workdays, True)
    if any(day.year != year for day in days):
        raise InvalidInput(messages.DATE_OUTSIDE_YEAR.format(year=year))
    if set(holidays) & set(workdays):
        raise InvalidInput(messages.HOLIDAY_AND_WORKDAY)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    session.execute(delete(CalendarDay).where(col(CalendarDay.day) >= start, col(CalendarDay.day) <= end))
    rows = [CalendarDay(day=day, is_workday=workday) for day, workday in sorted(days.items())]
    session.add_all(rows)
    return rows
