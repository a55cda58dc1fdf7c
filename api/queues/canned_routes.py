"""Routes: a queue's 常用回复 on /api/v1/queues/{key}/canned-replies."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.db import utcnow
from api.deps import DbDep, StaffUser, UnitOfWorkDep
from api.pagination import RowId
from api.queues import canned
from api.queues.models import CannedReply
from api.queues.schemas import CannedReplyIn, CannedReplyList, CannedReplyOut, CannedReplyPatch
from api.routing import SessionReleasingRoute

router = APIRouter(prefix="/queues", tags=["queues (staff)"], route_class=SessionReleasingRoute)


def _out(reply: CannedReply) -> CannedReplyOut:
    return CannedReplyOut.model_validate(reply, from_attributes=True)


@router.get("/{key}/canned-replies", response_model=CannedReplyList)
def list_canned(key: str, staff: StaffUser, session: DbDep) -> CannedReplyList:
    """The queue's canned replies (its staff and admins)."""
    replies = canned.list_canned(session=session, user=staff, key=key)
    return CannedReplyList(items=[_out(r) for r in replies], total=len(replies))


@router.post("/{key}/canned-replies", response_model=CannedReplyOut, status_code=201)
def create_canned(key: str, body: CannedReplyIn, staff: StaffUser, uow: UnitOfWorkDep) -> CannedReplyOut:
    """Add a canned reply (the queue's supervisors and admins)."""
    with uow as session:
        reply = canned.create_canned(
            session=session, user=staff, key=key, title=body.title, body=body.body, now=utcnow()
        )
    return _out(reply)


@router.patch("/{key}/canned-replies/{reply_id}", response_model=CannedReplyOut)
def update_canned(
    key: str, reply_id: RowId, body: CannedReplyPatch, staff: StaffUser, uow: UnitOfWorkDep
) -> CannedReplyOut:
    """Change a canned reply (the queue's supervisors and admins)."""
    with uow as session:
        reply = canned.update_canned(
            session=session, user=staff, key=key, reply_id=reply_id, title=body.title, body=body.body, now=utcnow()
        )
    return _out(reply)


@router.delete("/{key}/canned-replies/{reply_id}", status_code=204)
def delete_canned(key: str, reply_id: RowId, staff: StaffUser, uow: UnitOfWorkDep) -> Response:
    """Remove a canned reply (the queue's supervisors and admins)."""
    with uow as session:
        canned.delete_canned(session=session, user=staff, key=key, reply_id=reply_id)
    return Response(status_code=204)
