"""HTTP shapes of the reports."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.reports.service import Durations, Report, ReportRow


class DurationsOut(BaseModel):
    """Working minutes: how many intervals, their mean and median."""

    count: int
    avg: float | None
    median: float | None

    @classmethod
    def of(cls, durations: Durations) -> DurationsOut:
        """Build from the service's value."""
        return cls(count=durations.count, avg=durations.avg, median=durations.median)


class ReportRowOut(BaseModel):
    """One queue's, category's or the total's figures; `ratings` counts scores "1"–"5"."""

    key: str
    name: str
    opened: int
    resolved: int
    first_response_minutes: DurationsOut
    resolution_minutes: DurationsOut
    sla_met: int
    sla_met_ratio: float | None
    ratings: dict[str, int] = Field(description="好差评 counts by score: 1 非常不满意 … 5 非常满意")
    rectifications: int = Field(description="整改 opened in the range")
    rectifications_open: int = Field(description="of those, still open")
    rectifications_overdue: int = Field(description="of those, open past their due time")

    @classmethod
    def of(cls, row: ReportRow) -> ReportRowOut:
        """Build from a row."""
        return cls(
            key=row.key,
            name=row.name,
            opened=row.opened,
            resolved=row.resolved,
            first_response_minutes=DurationsOut.of(row.first_response),
            resolution_minutes=DurationsOut.of(row.resolution),
            sla_met=row.sla_met,
            sla_met_ratio=row.sla_met_ratio,
            ratings={str(score): count for score, count in row.ratings.items()},
            rectifications=row.rectifications,
            rectifications_open=row.rectifications_open,
            rectifications_overdue=row.rectifications_overdue,
        )


class ReportOut(BaseModel):
    """The figures of a date range (Beijing days, both included) by queue, by category and in total."""

    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    queues: list[ReportRowOut]
    categories: list[ReportRowOut]
    total: ReportRowOut

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        """Build from a report."""
        return cls(
            from_=report.first,
            to=report.last,
            queues=[ReportRowOut.of(row) for row in report.queues],
            categories=[ReportRowOut.of(row) for row in report.categories],
            total=ReportRowOut.of(report.total),
        )
