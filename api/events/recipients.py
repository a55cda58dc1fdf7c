"""Who on Telegram should hear of an event: the bot's service stream names them in each event.

The rule is `may_see`'s, applied to the accounts that have a Telegram id: the requester and the
users of the ticket's enterprise for public events, the staff of the event's queue for every event
(internal notes included), never an enterprise user for an internal one. A batch of events costs
two queries, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, or_, select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.events.schemas import EventRecipients, ServiceEventData
from api.queues.models import Queue, QueueMembership
from common.roles import Role


@dataclass(frozen=True, slots=True)
class Recipients:
    """The Telegram user ids entitled to an event, enterprise side and staff side, each sorted."""

    enterprise: tuple[int, ...] = ()
    staff: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.enterprise or self.staff)

    def as_schema(self) -> EventRecipients:
        """The form carried in the event's data."""
        return EventRecipients(enterprise=list(self.enterprise), staff=list(self.staff))


def _queue_staff(session: Session, queue_keys: Iterable[str]) -> dict[str, set[int]]:
    """The Telegram ids of the active staff working each queue."""
    keys = sorted(set(queue_keys))
    if not keys:
        return {}
    statement = (
        select(Queue.key, User.telegram_user_id)
        .join(QueueMembership, col(QueueMembership.queue_id) == col(Queue.id))
        .join(User, col(User.id) == col(QueueMembership.user_id))
        .where(
            col(Queue.key).in_(keys),
            col(User.role) == Role.STAFF,
            col(User.is_active).is_(True),
            col(User.telegram_user_id).is_not(None),
        )
    )
    staff: dict[str, set[int]] = defaultdict(set)
    for key, telegram_id in session.exec(statement).all():
        if telegram_id is not None:
            staff[key].add(telegram_id)
    return staff


@dataclass(frozen=True, slots=True)
class _EnterpriseSide:
    by_user: dict[int, int]  # account id -> Telegram id
    by_enterprise: dict[int, set[int]]  # enterprise id -> Telegram ids of its users


def _enterprise_users(session: Session, requester_ids: Iterable[int], enterprise_ids: Iterable[int]) -> _EnterpriseSide:
    """The Telegram ids of the active enterprise users who are requesters or belong to the enterprises."""
    users, firms = sorted(set(requester_ids)), sorted(set(enterprise_ids))
    side = _EnterpriseSide({}, defaultdict(set))
    if not users and not firms:
        return side
    statement = select(User.id, User.enterprise_id, User.telegram_user_id).where(
        col(User.role) == Role.ENTERPRISE,
        col(User.is_active).is_(True),
        col(User.telegram_user_id).is_not(None),
        or_(col(User.id).in_(users), col(User.enterprise_id).in_(firms)),
    )
    for user_id, enterprise_id, telegram_id in session.exec(statement).all():
        if user_id is None or telegram_id is None:
            continue
        side.by_user[user_id] = telegram_id
        if enterprise_id is not None:
            side.by_enterprise[enterprise_id].add(telegram_id)
    return side


def telegram_recipients(*, session: Session, events: Sequence[OutboxEvent]) -> dict[int, Recipients]:
    """For each event (by id), the Telegram users entitled to see it; two queries per call."""
    public = [event for event in events if not event.internal]
    staff = _queue_staff(session, (e.queue_key for e in events if e.queue_key is not None))
    side = _enterprise_users(
        session,
        (e.requester_id for e in public if e.requester_id is not None),
        (e.enterprise_id for e in public if e.enterprise_id is not None),
    )
    result: dict[int, Recipients] = {}
    for event in events:
        assert event.id is not None
        firm: set[int] = set()
        if not event.internal:
            requester = side.by_user.get(event.requester_id) if event.requester_id is not None else None
            if requester is not None:
                firm.add(requester)
            if event.enterprise_id is not None:
                firm |= side.by_enterprise.get(event.enterprise_id, set())
        team = staff.get(event.queue_key, set()) if event.queue_key is not None else set()
        result[event.id] = Recipients(tuple(sorted(firm)), tuple(sorted(team)))
    return result


def service_data(event: OutboxEvent, recipients: Recipients) -> dict[str, Any]:
    """An event's data as the service stream sends it: plus `queue`, `internal` and `recipients`."""
    shape = ServiceEventData(
        number=event.ticket_number,
        status=event.status,
        queue=event.queue_key,
        internal=event.internal,
        recipients=recipients.as_schema(),
    )
    return {**event.data, **shape.model_dump(mode="json")}
