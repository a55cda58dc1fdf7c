"""User-facing Chinese of queues, memberships and category routing."""

from __future__ import annotations

UNKNOWN_QUEUE = "没有这个队列：{key} (unknown queue)"
QUEUE_EXISTS = "队列已存在：{key} (queue exists)"
UNKNOWN_USER = "没有这个用户：{username} (unknown user)"
ONLY_STAFF_JOIN_QUEUES = "只有工作人员可以加入队列 (only staff join queues)"
NEW_CATEGORY_NEEDS_NAME = "新类别须提供中文名称 name (a new category needs a name)"
UNKNOWN_CATEGORY = "没有这个服务类别：{category} (unknown category)"
UNKNOWN_STATUS = "未知状态：{status}（可用 open、all 或具体状态）(unknown status)"
CANNED_NOT_FOUND = "没有找到该常用回复 (no such canned reply)"
CANNED_WRITERS = "只有该队列的主管或管理员可以维护常用回复 (only the queue's supervisors or admins edit canned replies)"
