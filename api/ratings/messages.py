"""User-facing Chinese of 好差评 and 整改."""

from __future__ import annotations

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
NO_RECTIFICATION = "该工单没有整改事项 (the ticket has no rectification)"
ALREADY_DONE = "该工单的整改已完成 (the rectification is closed already)"
UNKNOWN_FILTER = "未知筛选条件：{value}（可用 bad、open、overdue）(unknown filter)"
