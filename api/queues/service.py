"""Queues, memberships and routing rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, delete, select

from api.auth.models import User
from api.auth.service import find_queue, queue_ids_of
from api.domain_errors import Conflict, InvalidInput, NotFound
from api.queues import messages
from api.queues.models import Queue, QueueMembership, RoutingRule
from api.table_cache import TableCache
from api.tickets.models import Ticket
from common.roles import Role
from common.tickets import TicketStatus

_Row = TypeVar("_Row", RoutingRule, Queue)

OTHER_CATEGORY = "other"


class UnknownCategory(InvalidInput):
    """No routing rule for that category."""


class QueueExists(Conflict):
    """A queue with that key exists already."""


class UnknownUser(NotFound):
    """No account has that username."""


@dataclass(slots=True)
class QueueCounts:
    """Open tickets of a queue by status, and how many are overdue."""

    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


def list_queues(*, session: Session) -> list[Queue]:
    """Every queue, by key."""
    return list(session.exec(select(Queue).order_by(col(Queue.key))).all())


def visible_queues(*, session: Session, user: User) -> list[Queue]:
    """The queues a staff member works (every queue for an admin), by key."""
    statement = select(Queue).order_by(col(Queue.key))
    if user.role != Role.ADMIN:
        statement = statement.where(col(Queue.id).in_(queue_ids_of(session=session, user=user)))
    return list(session.exec(statement).all())


def queue_counts(*, session: Session, queue_ids: list[int], now: dt.datetime) -> dict[int, QueueCounts]:
    """Counts of open tickets per queue."""
    counts = {queue_id: QueueCounts() for queue_id in queue_ids}
    open_statuses = [TicketStatus.NEW, TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE]
    in_queues = col(Ticket.queue_id).in_(queue_ids)
    grouped = select(Ticket.queue_id, Ticket.status, func.count()).where(
        in_queues, col(Ticket.status).in_(open_statuses)
    )
    for queue_id, status, count in session.exec(grouped.group_by(col(Ticket.queue_id), col(Ticket.status))).all():
        counts[queue_id].by_status[status] = int(count)
    overdue = select(Ticket.queue_id, func.count()).where(
        in_queues, col(Ticket.status).in_([TicketStatus.NEW, TicketStatus.CLAIMED]), col(Ticket.sla_due_at) < now
    )
    for queue_id, count in session.exec(overdue.group_by(col(Ticket.queue_id))).all():
        counts[queue_id].overdue = int(count)
    return counts


def create_queue(*, session: Session, key: str, name: str, department: str, sla_hours: int) -> Queue:
    """Add a queue."""
    if session.exec(select(Queue.id).where(Queue.key == key)).first() is not None:
        raise QueueExists(messages.QUEUE_EXISTS.format(key=key))
    queue = Queue(key=key, name=name, department=department, sla_hours=sla_hours)
    session.add(queue)
    session.flush()
    return queue


def update_queue(
    *, session: Session, key: str, name: str | None, department: str | None, sla_hours: int | None
) -> Queue:
    """Change a queue's name, department or SLA (new tickets use the new SLA)."""
    queue = find_queue(session=session, key=key)
    if name is not None:
        queue.name = name
    if department is not None:
        queue.department = department
    if sla_hours is not None:
        queue.sla_hours = sla_hours
    session.add(queue)
    return queue


def _staff_named(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise UnknownUser(messages.UNKNOWN_USER.format(username=username))
    if user.role != Role.STAFF:
        raise InvalidInput(messages.ONLY_STAFF_JOIN_QUEUES)
    return user


def list_members(*, session: Session, key: str) -> list[User]:
    """The staff of a queue, by username."""
    queue = find_queue(session=session, key=key)
    statement = (
        select(User)
        .join(QueueMembership, col(QueueMembership.user_id) == col(User.id))
        .where(QueueMembership.queue_id == queue.id)
        .order_by(col(User.username))
    )
    return list(session.exec(statement).all())


def list_memberships(*, session: Session, key: str) -> list[tuple[User, bool]]:
    """The staff of a queue with whether each supervises it, by username."""
    queue = find_queue(session=session, key=key)
    statement = (
        select(User, QueueMembership.supervisor)
        .join(QueueMembership, col(QueueMembership.user_id) == col(User.id))
        .where(QueueMembership.queue_id == queue.id)
        .order_by(col(User.username))
    )
    return [(user, bool(supervisor)) for user, supervisor in session.exec(statement).all()]


def add_member(*, session: Session, key: str, username: str) -> None:
    """Make a staff member work a queue (idempotent)."""
    queue, user = find_queue(session=session, key=key), _staff_named(session, username)
    assert queue.id is not None
    assert user.id is not None
    if session.get(QueueMembership, (user.id, queue.id)) is None:
        session.add(QueueMembership(user_id=user.id, queue_id=queue.id))


def remove_member(*, session: Session, key: str, username: str) -> None:
    """Take a staff member off a queue (idempotent)."""
    queue, user = find_queue(session=session, key=key), _staff_named(session, username)
    session.exec(
        delete(QueueMembership).where(
            col(QueueMembership.user_id) == user.id, col(QueueMembership.queue_id) == queue.id
        )
    )


def list_rules(*, session: Session) -> list[tuple[RoutingRule, Queue]]:
    """Every routing rule with its queue, by category."""
    statement = (
        select(RoutingRule, Queue)
        .join(Queue, col(Queue.id) == col(RoutingRule.queue_id))
        .order_by(col(RoutingRule.category))
    )
    return [(rule, queue) for rule, queue in session.exec(statement).all()]


def set_rule(*, session: Session, category: str, queue_key: str, name: str | None) -> tuple[RoutingRule, Queue]:
    """Create or change the routing of a category."""
    queue = find_queue(session=session, key=queue_key)
    assert queue.id is not None
    rule = session.exec(select(RoutingRule).where(RoutingRule.category == category)).first()
    if rule is None:
        if not name:
            raise InvalidInput(messages.NEW_CATEGORY_NEEDS_NAME)
        rule = RoutingRule(category=category, name=name, queue_id=queue.id)
    else:
        rule.queue_id = queue.id
        rule.name = name or rule.name
    session.add(rule)
    session.flush()
    return rule, queue


@dataclass(frozen=True, slots=True)
class Routing:
    """Every routing rule and queue, as detached rows shared by all requests: read, never change."""

    rules: Mapping[str, RoutingRule]  # by category
    queues: Mapping[int, Queue]  # by id

    def names(self) -> dict[str, str]:
        """Each category's display name."""
        return {category: rule.name for category, rule in self.rules.items()}


def _detached(model: type[_Row], row: Mapping[str, Any]) -> _Row:
    instance = model(**row)
    make_transient_to_detached(instance)  # a row with its identity, in no session
    return instance


def _load_routing(session: Session) -> Routing:
    rules = session.exec(select(*RoutingRule.__table__.columns)).mappings()  # type: ignore[attr-defined]
    queues = session.exec(select(*Queue.__table__.columns)).mappings()  # type: ignore[attr-defined]
    return Routing(
        rules={row["category"]: _detached(RoutingRule, row) for row in rules},
        queues={row["id"]: _detached(Queue, row) for row in queues},
    )


_ROUTING = TableCache((RoutingRule, Queue), _load_routing)


def current_routing(*, session: Session) -> Routing:
    """The routing rules and queues (cached per process: see `api.table_cache`)."""
    return _ROUTING.get(session)


def find_route(routing: Routing, category: str) -> tuple[RoutingRule, Queue]:
    """The rule and queue a category goes to in `routing` (its shared rows: read, never change)."""
    rule = routing.rules.get(category)
    queue = routing.queues.get(rule.queue_id) if rule is not None else None
    if rule is None or queue is None:
        raise UnknownCategory(messages.UNKNOWN_CATEGORY.format(category=category))
    return rule, queue


def route_category(*, session: Session, category: str) -> tuple[RoutingRule, Queue]:
    """The rule and queue a category goes to (from the cached routing, merged into `session` without a query)."""
    rule, queue = find_route(current_routing(session=session), category)
    return session.merge(rule, load=False), session.merge(queue, load=False)


def supervisors_of(*, session: Session, queue_id: int) -> list[User]:
    """The active supervisors of a queue, by username."""
    statement = (
        select(User)
        .join(QueueMembership, col(QueueMembership.user_id) == col(User.id))
        .where(
            col(QueueMembership.queue_id) == queue_id,
            col(QueueMembership.supervisor).is_(True),
            col(User.is_active).is_(True),
        )
        .order_by(col(User.username))
    )
    return list(session.exec(statement).all())


def supervised_queue_ids(*, session: Session, user: User) -> list[int]:
    """The queues `user` supervises (every queue for an admin)."""
    if user.role == Role.ADMIN:
        return [queue_id for queue_id in session.exec(select(Queue.id)).all() if queue_id is not None]
    statement = select(QueueMembership.queue_id).where(
        QueueMembership.user_id == user.id, col(QueueMembership.supervisor).is_(True)
    )
    return list(session.exec(statement).all())


def member_counts(*, session: Session) -> dict[int, int]:
    """How many active staff work each queue (queues without any are missing)."""
    statement = (
        select(QueueMembership.queue_id, func.count())
        .join(User, col(User.id) == col(QueueMembership.user_id))
        .where(col(User.is_active).is_(True))
        .group_by(col(QueueMembership.queue_id))
    )
    return {queue_id: int(count) for queue_id, count in session.exec(statement).all()}


def set_supervisor(*, session: Session, key: str, username: str, supervisor: bool) -> None:
    """Make a queue member its supervisor or not (joining the queue if needed)."""
    queue, user = find_queue(session=session, key=key), _staff_named(session, username)
    assert queue.id is not None
    assert user.id is not None
    membership = session.get(QueueMembership, (user.id, queue.id))
    if membership is None:
        membership = QueueMembership(user_id=user.id, queue_id=queue.id)
    membership.supervisor = supervisor
    session.add(membership)
