"""User-facing text of the web pages rendered on the server (Chinese first)."""

from __future__ import annotations

SITE_NAME = "高新区企业服务台"
LOGIN_FAILED = "用户名或密码不正确 (wrong username or password)"
LOGIN_UNAVAILABLE = "登录服务暂不可用，请稍后再试 (login is unavailable, try again later)"
ROLE_REFUSED = "该账号无权使用此页面 (this account may not use this page)"
CSRF_FAILED = "页面已过期，请重新提交 (the form expired, please submit again)"
AREA_TITLES = {"chat": "企业登录", "staff": "窗口工作台登录", "admin": "管理后台登录", "csrf": "请求已过期"}

CATEGORY_LABELS = {
    "housing": "人才住房保障",
    "medical_insurance": "医疗保险",
    "schooling": "子女入学",
    "work_permit": "外国人来华工作许可",
    "residence_permit": "居留许可",
    "business_license": "证照办理（一网通办）",
    "project_approval": "投资项目审批（承诺制、容缺受理）",
    "other": "其他",
}
STATUS_LABELS = {
    "new": "待受理",
    "claimed": "办理中",
    "waiting_enterprise": "待企业补充",
    "resolved": "已办结",
    "closed": "已关闭",
    "cancelled": "已撤销",
}
VERDICT_LABELS = {"eligible": "符合", "ineligible": "不符合", "needs_info": "待确认"}


def page_labels() -> dict[str, dict[str, str]]:
    """The label tables the page scripts need, embedded in each page as JSON data."""
    return {"categories": CATEGORY_LABELS, "statuses": STATUS_LABELS, "verdicts": VERDICT_LABELS}
