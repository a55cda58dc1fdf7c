"""User-facing Chinese of the working-time calendar."""

from __future__ import annotations

ESTIMATED_WITH_ADMIN_HOLIDAYS = "按周末及管理员录入的节假日估算"
ESTIMATED_FROM_WEEKENDS = "暂按周末估算（管理员尚未录入该年节假日）"
ESTIMATE_NOTE = "{years}年节假日安排尚未发布，截止时间{basis} (estimated: holidays of {years} not yet published)"
YEAR_PUBLISHED = "{year}年的节假日已由日历库提供，无需录入 (the library already covers {year})"
DATE_OUTSIDE_YEAR = "日期须在{year}年内 (every date must lie in {year})"
HOLIDAY_AND_WORKDAY = "同一天不能既是节假日又是工作日 (a day cannot be both a holiday and a workday)"
