"""Routes: staff and admins read ratings (GET /api/v1/ratings) and close a 整改
(POST /api/v1/tickets/{number}/rectification)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.db import utcnow
from api.deps import DbDep, StaffUser, UnitOfWorkDep
from api.pagination import Limit, Offset
from api.ratings import service
from api.ratings.schemas import RatedTicketOut, RatingList, RectificationIn
from api.routing import SessionReleasingRoute
from api.tickets.schemas import TicketDetail
from api.tickets.service import get_ticket
from api.tickets.views import ticket_detail

router = APIRouter(tags=["ratings (staff)"], route_class=SessionReleasingRoute)


@router.get("/ratings", response_model=RatingList)
def list_ratings(
    staff: StaffUser,
    session: DbDep,
    filter: Annotated[service.RatingFilter | None, Query(description="bad (score ≤ 2), open or overdue 整改")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RatingList:
    """好差评 of the caller's queues (all for an admin), newest first, with their 整改."""
    now = utcnow()
    page, total, distribution = service.list_ratings(
        session=session, user=staff, which=filter, limit=limit, offset=offset, now=now
    )
    return RatingList(
        items=[RatedTicketOut.of(rated, now) for rated in page],
        total=total,
        distribution={str(score): distribution.get(score, 0) for score in range(5, 0, -1)},
    )


@router.post("/tickets/{number}/rectification", response_model=TicketDetail)
def close_rectification(number: str, body: RectificationIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Record the call-back (回访) of a 差评 and close its 整改."""
    with uow as session:
        ticket = get_ticket(session=session, user=staff, number=number)
        service.close_rectification(session=session, ticket=ticket, staff=staff, version=body.version, note=body.note)
    return ticket_detail(uow.session, ticket)
