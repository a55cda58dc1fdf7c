"""Who is watching the event stream, and which events they may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true
from sqlmodel import col

from api.events.models import OutboxEvent
from common.roles import Role


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller of the event stream, as auth resolved it."""

    role: Role
    user_id: int
    enterprise_id: int | None = None  # the enterprise an enterprise user is bound to
    queue_keys: frozenset[str] = frozenset()  # the queues a staff member works
    # The bot itself (its service token without X-Telegram-User-Id): it reads every event and is
    # sent those with Telegram recipients, each naming them (`api.events.recipients`).
    service: bool = False


SERVICE_VIEWER = Viewer(role=Role.ADMIN, user_id=0, service=True)


def narrows(now: Viewer, before: Viewer) -> bool:
    """Whether `now` may see less than `before`: another role or enterprise, or a queue fewer."""
    return (
        now.role is not before.role
        or now.service is not before.service
        or now.enterprise_id != before.enterprise_id
        or not now.queue_keys >= before.queue_keys
    )


def may_see(viewer: Viewer, event: OutboxEvent) -> bool:
    """Whether `viewer` may receive `event` (the rule `visible_to` expresses in SQL)."""
    if viewer.role is Role.ADMIN:  # the bot's service viewer included
        return True
    if viewer.role is Role.STAFF:
        return event.queue_key is not None and event.queue_key in viewer.queue_keys
    if event.internal:
        return False
    if event.requester_id == viewer.user_id:
        return True
    return viewer.enterprise_id is not None and event.enterprise_id == viewer.enterprise_id


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause selecting the outbox rows `viewer` may see."""
    if viewer.role is Role.ADMIN:  # the bot's service viewer included
        return true()
    if viewer.role is Role.STAFF:
        if not viewer.queue_keys:
            return false()
        return col(OutboxEvent.queue_key).in_(sorted(viewer.queue_keys))
    own = col(OutboxEvent.requester_id) == viewer.user_id
    if viewer.enterprise_id is not None:
        own = or_(own, col(OutboxEvent.enterprise_id) == viewer.enterprise_id)
    return and_(col(OutboxEvent.internal).is_(False), own)
