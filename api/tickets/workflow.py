"""The ticket workflow as data: which action is allowed in which status, and what status it leads to.

    new → claimed → waiting_enterprise ⇄ claimed → resolved → closed, or cancelled (DESIGN.md)

Every service function checks its action here; a test walks every (action, status) pair against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from api.tickets.models import OPEN_STATUSES
from common.tickets import TicketStatus


class Action(StrEnum):
    """What someone does to a ticket."""

    CLAIM = "claim"
    REPLY = "reply"
    NOTE = "note"
    ASK_FOR_MORE = "wait"  # 请企业补充材料
    TRANSFER = "transfer"
    RESOLVE = "resolve"
    MESSAGE = "message"  # the enterprise writes
    CANCEL = "cancel"
    RATE = "rate"
    MATERIALS = "materials"  # staff tick the guide's materials received
    RECTIFY = "rectify"  # the call-back (回访) that closes a 差评's 整改


_OPEN = frozenset(OPEN_STATUSES)

ALLOWED: Mapping[Action, frozenset[TicketStatus]] = {
    Action.CLAIM: frozenset({TicketStatus.NEW}),
    Action.REPLY: _OPEN,
    Action.NOTE: frozenset(TicketStatus),
    Action.ASK_FOR_MORE: frozenset({TicketStatus.CLAIMED}),
    Action.TRANSFER: _OPEN,
    Action.RESOLVE: frozenset({TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE}),
    Action.MESSAGE: _OPEN,
    Action.CANCEL: _OPEN,
    Action.RATE: frozenset({TicketStatus.RESOLVED}),
    Action.MATERIALS: _OPEN,
    Action.RECTIFY: frozenset({TicketStatus.CLOSED}),  # a 差评 closed the ticket; its 整改 follows
}


# Once a ticket is claimed these are its assignee's (or an admin's); other queue members may still note.
OWNER_ONLY: frozenset[Action] = frozenset(
    {Action.REPLY, Action.ASK_FOR_MORE, Action.RESOLVE, Action.TRANSFER, Action.MATERIALS}
)


def allowed(action: Action, status: str) -> bool:
    """Whether `action` may be taken on a ticket in `status`."""
    return status in ALLOWED[action]


def may_act(action: Action, *, assignee_id: int | None, actor_id: int | None, actor_is_admin: bool) -> bool:
    """Whether this staff member may take `action` on a ticket held by `assignee_id` (None: unclaimed)."""
    if action not in OWNER_ONLY or assignee_id is None or actor_is_admin:
        return True
    return assignee_id == actor_id
