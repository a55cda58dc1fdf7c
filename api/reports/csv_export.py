"""A report as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right)."""

from __future__ import annotations

import csv
import io

from api.reports import messages
from api.reports.service import SCORES, Report, ReportRow


def _cell(value: float | None) -> str:
    return "" if value is None else str(value)


def _line(group: str, row: ReportRow) -> list[str]:
    return [
        messages.GROUPS[group],
        row.key,
        row.name,
        str(row.opened),
        str(row.resolved),
        _cell(row.first_response.avg),
        _cell(row.first_response.median),
        _cell(row.resolution.avg),
        _cell(row.resolution.median),
        str(row.sla_met),
        str(row.resolved),
        _cell(row.sla_met_ratio),
        *(str(row.ratings[score]) for score in SCORES),
        str(row.rectifications),
        str(row.rectifications_open),
        str(row.rectifications_overdue),
    ]


def report_csv(report: Report) -> str:
    """The report's rows: the total, then each queue, then each category."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(messages.CSV_HEADER)
    writer.writerow(_line("total", report.total))
    writer.writerows(_line("queue", row) for row in report.queues)
    writer.writerows(_line("category", row) for row in report.categories)
    return "\ufeff" + buffer.getvalue()
