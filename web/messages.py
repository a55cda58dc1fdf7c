"""User-facing text of the web pages rendered on the server (Chinese first)."""

from __future__ import annotations

from api.tickets.messages import STATUS_NAMES as STATUS_LABELS
from common.eligibility import VerdictStatus
from policy_index.messages import LEVEL_LABELS
from policy_index.messages import STATUS_LABELS as DOCUMENT_STATUS_LABELS

SITE_NAME = "高新区企业服务台"
LOGIN_FAILED = "用户名或密码不正确 (wrong username or password)"
LOGIN_UNAVAILABLE = "登录服务暂不可用，请稍后再试 (login is unavailable, try again later)"
LOGIN_THROTTLED = "登录失败次数过多，请稍后再试 (too many failed logins, try again later)"
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
VERDICT_LABELS: dict[str, str] = {
    VerdictStatus.ELIGIBLE: "符合",
    VerdictStatus.INELIGIBLE: "不符合",
    VerdictStatus.NEEDS_INFO: "待确认",
}
# 「您想问的是：」: what the chat page shows when the desk is unsure but the answer is probably among three.
CLARIFY_LABELS = {
    "prompt": "您想问的是：",
    "none": "都不是",
    "staff": "转人工",
    "none_recorded": "好的，已记录。您可以换个说法再问，或转人工。",
}
CLARIFY_LABELS_EN = {
    "prompt": "Did you mean:",
    "none": "None of these",
    "staff": "Talk to staff",
    "none_recorded": "Noted. You can ask in other words, or talk to a member of staff.",
}


def page_labels() -> dict[str, dict[str, str]]:
    """The label tables the page scripts need, embedded in each page as JSON data."""
    return {
        "categories": CATEGORY_LABELS,
        "statuses": STATUS_LABELS,
        "verdicts": VERDICT_LABELS,
        "levels": LEVEL_LABELS,
        "document_statuses": DOCUMENT_STATUS_LABELS,
        "clarify": CLARIFY_LABELS,
        "clarify_en": CLARIFY_LABELS_EN,
    }


# 政策库 pages.
POLICIES_TITLE = "政策库"
POLICIES_LEAD = "园区服务所依据的各级政策文件：国家、省、市、区（县）和园区本级。"
NOT_FOUND_TITLE = "页面不存在"
DOCUMENT_NOT_FOUND = "没有找到这份政策文件，可能是链接有误，或文件标识已变更。"
MEASURE_NOT_FOUND = "没有找到这条措施，可能是链接有误，或文件已更新为新版本。"
CURRENT_HEADING = "现行政策"
NOT_CURRENT_HEADING = "已失效或已废止（仅供查阅，不作为现行政策）"
NOT_CURRENT_NOTE = "本文件{status}，其内容不再作为现行政策执行，仅供查阅。"
DRAFT_NOTE = "本文件为征求意见稿，最终以正式印发的文件为准。"
PROVISIONS_HEADING = "附则与施行"
PROVISIONS_NOTE = "以下为施行日期、有效期、解释权等附则条款，不属于支持措施。"
PROVISION_NOTE = "本条为附则（施行、有效期或解释），不属于支持措施。"
