"""Routes: POST /api/v1/feedback (any signed-in caller) and GET /api/v1/admin/feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, CurrentUser, DbDep, UnitOfWorkDep
from api.faqs import service
from api.faqs.schemas import FeedbackIn, FeedbackList, FeedbackOut
from api.pagination import Limit, Offset
from api.routing import SessionReleasingRoute

router = APIRouter(tags=["feedback"], route_class=SessionReleasingRoute)


@router.post("/feedback", response_model=FeedbackOut, status_code=201)
def give_feedback(body: FeedbackIn, user: CurrentUser, uow: UnitOfWorkDep) -> FeedbackOut:
    """Record a 👍/👎 on an answer for the admins' review."""
    with uow as session:
        row = service.record_feedback(
            session=session, user_id=user.id, text=body.text, measure_id=body.measure_id, helpful=body.helpful
        )
    return FeedbackOut.of(row)


@router.get("/admin/feedback", response_model=FeedbackList)
def list_feedback(
    _admin: AdminUser,
    session: DbDep,
    helpful: Annotated[bool | None, Query(description="only 👍 (true) or 👎 (false)")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FeedbackList:
    """Answer feedback, newest first."""
    rows, total = service.list_feedback(session=session, helpful=helpful, limit=limit, offset=offset)
    return FeedbackList(items=[FeedbackOut.of(row) for row in rows], total=total)
