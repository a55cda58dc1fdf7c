"""User-facing Chinese of the ticket workflow."""

from __future__ import annotations

from typing import Any

from common.tickets import TicketStatus

STATUS_NAMES: dict[str, str] = {
    TicketStatus.NEW: "待受理",
    TicketStatus.CLAIMED: "办理中",
    TicketStatus.WAITING_ENTERPRISE: "待企业补充",
    TicketStatus.RESOLVED: "已办结",
    TicketStatus.CLOSED: "已关闭",
    TicketStatus.CANCELLED: "已撤销",
}

ACTION_NAMES: dict[str, str] = {
    "claim": "认领",
    "reply": "回复",
    "note": "添加内部备注",
    "wait": "请企业补充材料",
    "transfer": "转办",
    "resolve": "办结",
    "message": "留言",
    "cancel": "撤销",
    "rate": "评价",
    "materials": "登记材料",
    "rectify": "登记整改回访",
}


def invalid_transition(status: str, action: str) -> str:
    """Why `action` is refused in `status`."""
    return (
        f"工单当前状态为「{STATUS_NAMES.get(status, status)}」，不能{ACTION_NAMES.get(action, action)}"
        f" (cannot {action} a ticket that is {status})"
    )


CLAIM_LOST = "工单已被认领或已不在待受理状态；接手他人工单请使用转办 (already claimed; use transfer to take over)"
STALE_VERSION = "工单已被他人更新，请刷新后重试 (the ticket changed since you read it; reload and retry)"
NOT_FOUND = "没有找到该工单 (ticket not found)"
ALREADY_RATED = "该工单已评价 (the ticket is rated already)"
IDEMPOTENCY_MISMATCH = (
    "该 Idempotency-Key 已用于另一份内容不同的申请，请换一个新的 Key (the key was used for a different request)"
)
NOT_QUEUE_MEMBER = "您不是该队列的工作人员 (you do not work this queue)"
TRANSFER_REASON = "转办原因：{reason}"  # the internal note a transfer leaves
ANONYMOUS_ENTERPRISE_USER = "企业用户"
TRANSFER_TARGET = "转办须指定目标队列 queue 或服务类别 category (transfer needs a queue or a category)"
NOT_ASSIGNEE = (
    "该工单已由{assignee}认领，只有办理人或管理员可以{action}；您可以添加内部备注，或请办理人转办"
    " (the ticket is claimed by someone else: only its assignee or an admin may {english})"
)
ANOTHER_STAFF_MEMBER = "其他工作人员"
STATUS_CHANGE_VERBS: dict[str, str] = {
    "claimed": "认领了工单",
    "waiting": "请企业补充材料，办理时限暂停计时",
    "message": "企业已补充，恢复办理",
    "transferred": "转办",
    "resolved": "办结了工单",
    "cancelled": "撤销了申请",
    "rated": "评价了工单",
    "closed": "工单已关闭",
}
AUTO_CLOSED = "办结后5个工作日未评价，工单已自动关闭 (closed automatically: not rated within 5 working days)"
SYSTEM_AUTHOR = "系统"


def status_change(action: str, status: str, detail: dict[str, Any]) -> str:
    """The thread line of a status change, e.g. 认领了工单 · 状态：办理中."""
    verb = AUTO_CLOSED if action == "closed" and detail.get("auto") else STATUS_CHANGE_VERBS.get(action, action)
    if action == "transferred" and detail.get("to_queue"):
        verb = f"{verb}（{detail.get('from_queue')} → {detail['to_queue']}）"
    return f"{verb} · 状态：{STATUS_NAMES.get(status, status)} (status: {status})"
