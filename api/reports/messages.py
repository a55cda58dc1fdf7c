"""User-facing Chinese of the reports."""

from __future__ import annotations

NOT_ALLOWED = "报表仅对管理员和队列主管开放 (reports are for admins and queue supervisors)"
BAD_RANGE = "日期范围无效：起始日期须不晚于结束日期，跨度不超过 {days} 天，年份在 2000–2099 之间 (bad date range)"
GROUPS = {"total": "合计", "queue": "队列", "category": "服务类别"}
CSV_HEADER = [
    "分组 (group)",
    "代码 (key)",
    "名称 (name)",
    "受理量 (opened)",
    "办结量 (resolved)",
    "首次响应平均工作分钟 (first response avg)",
    "首次响应中位工作分钟 (first response median)",
    "办结平均工作分钟 (resolution avg)",
    "办结中位工作分钟 (resolution median)",
    "按时办结 (SLA met)",
    "办结计入时限 (SLA measured)",
    "按时办结率 (SLA met ratio)",
    "非常不满意 (1)",
    "不满意 (2)",
    "基本满意 (3)",
    "满意 (4)",
    "非常满意 (5)",
    "整改发起 (rectifications opened)",
    "整改未完成 (rectifications open)",
    "整改逾期 (rectifications overdue)",
]
