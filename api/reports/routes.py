"""Routes: /api/v1/reports/tickets (JSON) and /api/v1/reports/tickets.csv, for admins and queue supervisors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.calendar.worktime import BEIJING
from api.db import utcnow
from api.deps import CurrentUser, DbDep
from api.reports import service
from api.reports.csv_export import report_csv
from api.reports.schemas import ReportOut
from api.routing import SessionReleasingRoute

router = APIRouter(prefix="/reports", tags=["reports (admin, supervisors)"], route_class=SessionReleasingRoute)

From = Annotated[dt.date | None, Query(alias="from", description="first day (Beijing), YYYY-MM-DD; this month's first")]
To = Annotated[dt.date | None, Query(description="last day (Beijing), included; today")]


def _range(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The days asked for; by default this month so far (Beijing)."""
    today = utcnow().astimezone(BEIJING).date()
    return first or today.replace(day=1), last or today


@router.get("/tickets", response_model=ReportOut, response_model_by_alias=True)
def ticket_report(user: CurrentUser, session: DbDep, first: From = None, to: To = None) -> ReportOut:
    """Opened, resolved, working response and resolution time, SLA met and 好差评 by queue and category."""
    first, last = _range(first, to)
    return ReportOut.of(service.ticket_report(session=session, user=user, first=first, last=last))


@router.get("/tickets.csv", response_class=Response)
def ticket_report_csv(user: CurrentUser, session: DbDep, first: From = None, to: To = None) -> Response:
    """The same report as a CSV download."""
    first, last = _range(first, to)
    report = service.ticket_report(session=session, user=user, first=first, last=last)
    filename = f"zonedesk-report-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
