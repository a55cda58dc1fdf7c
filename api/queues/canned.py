"""常用回复: a queue's canned replies, read by its staff, kept by its supervisors and admins."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from api.auth.models import User
from api.auth.service import find_queue, queue_ids_of
from api.domain_errors import Forbidden, NotFound
from api.queues import messages
from api.queues.models import CannedReply, Queue
from api.queues.service import supervised_queue_ids
from api.tickets.errors import NotQueueMember
from api.tickets.messages import NOT_QUEUE_MEMBER
from common.roles import Role


class CannedReplyNotFound(NotFound):
    """No such canned reply in that queue."""


def _readable_queue(session: Session, user: User, key: str) -> Queue:
    queue = find_queue(session=session, key=key)
    if user.role != Role.ADMIN and queue.id not in queue_ids_of(session=session, user=user):
        raise NotQueueMember(NOT_QUEUE_MEMBER)
    return queue


def _writable_queue(session: Session, user: User, key: str) -> Queue:
    queue = _readable_queue(session, user, key)
    if queue.id not in supervised_queue_ids(session=session, user=user):
        raise Forbidden(messages.CANNED_WRITERS)
    return queue


def _reply(session: Session, queue: Queue, reply_id: int) -> CannedReply:
    reply = session.get(CannedReply, reply_id)
    if reply is None or reply.queue_id != queue.id:
        raise CannedReplyNotFound(messages.CANNED_NOT_FOUND)
    return reply


def list_canned(*, session: Session, user: User, key: str) -> list[CannedReply]:
    """A queue's canned replies by title (its staff and admins)."""
    queue = _readable_queue(session, user, key)
    statement = select(CannedReply).where(CannedReply.queue_id == queue.id)
    return list(session.exec(statement.order_by(col(CannedReply.title), col(CannedReply.id))).all())


def create_canned(*, session: Session, user: User, key: str, title: str, body: str, now: dt.datetime) -> CannedReply:
    """Add a canned reply to a queue (its supervisors and admins)."""
    queue = _writable_queue(session, user, key)
    assert queue.id is not None
    reply = CannedReply(queue_id=queue.id, title=title, body=body, updated_at=now)
    session.add(reply)
    session.flush()
    return reply


def update_canned(
    *, session: Session, user: User, key: str, reply_id: int, title: str | None, body: str | None, now: dt.datetime
) -> CannedReply:
    """Change a canned reply's title or text."""
    reply = _reply(session, _writable_queue(session, user, key), reply_id)
    reply.title = title if title is not None else reply.title
    reply.body = body if body is not None else reply.body
    reply.updated_at = now
    session.add(reply)
    return reply


def delete_canned(*, session: Session, user: User, key: str, reply_id: int) -> None:
    """Remove a canned reply."""
    session.delete(_reply(session, _writable_queue(session, user, key), reply_id))
