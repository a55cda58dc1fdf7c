"""Routes: /api/v1/admin/calendar/{year} — holidays and 调休 workdays of years the library lacks."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from api.calendar.service import list_year, replace_year
from api.deps import DbDep, UnitOfWorkDep, get_admin_user
from api.routing import SessionReleasingRoute
from api.text import EdgeModel

router = APIRouter(
    prefix="/admin/calendar", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)
Year = Path(ge=2000, le=2100)


class YearIn(EdgeModel):
    """Weekdays off (holidays) and weekend days worked (调休) of a year."""

    holidays: list[dt.date] = Field(default_factory=list)
    workdays: list[dt.date] = Field(default_factory=list)


class YearOut(YearIn):
    """The days loaded for a year."""

    year: int


def _out(year: int, session: DbDep) -> YearOut:
    days = list_year(session=session, year=year)
    return YearOut(
        year=year,
        holidays=[d.day for d in days if not d.is_workday],
        workdays=[d.day for d in days if d.is_workday],
    )


@router.get("/{year}", response_model=YearOut)
def get_year(session: DbDep, year: int = Year) -> YearOut:
    """The days an admin loaded for `year`."""
    return _out(year, session)


@router.put("/{year}", response_model=YearOut)
def put_year(body: YearIn, uow: UnitOfWorkDep, year: int = Year) -> YearOut:
    """Replace the loaded days of a year the calendar library does not know yet."""
    with uow as session:
        replace_year(session=session, year=year, holidays=body.holidays, workdays=body.workdays)
    return _out(year, uow.session)
