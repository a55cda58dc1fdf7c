"""Holidays and adjusted workdays an admin loads for years the calendar library does not know."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class CalendarDay(SQLModel, table=True):
    """One day that differs from the weekend rule: a holiday on a weekday or a workday (调休) on a weekend."""

    __tablename__ = "calendar_days"

    day: dt.date = Field(primary_key=True)
    is_workday: bool
    note: str = Field(default="", max_length=100)
