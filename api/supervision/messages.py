"""User-facing Chinese of 督办 and the SLA alerts."""

from __future__ import annotations

NOT_SUPERVISOR = "只有该队列的督办人（主管）或管理员可以督办 (only the queue's supervisors or admins may do this)"
TICKET_FINISHED = "工单已结束，无需督办 (the ticket is finished: nothing to supervise)"
SUPERVISION_NOT_FOUND = "没有找到该督办 (no such supervision)"
ALREADY_ACKNOWLEDGED = "该督办已确认 (the supervision is acknowledged already)"
NOT_ASSIGNEE = "只有工单的承办人可以确认督办 (only the ticket's assignee acknowledges a supervision)"
