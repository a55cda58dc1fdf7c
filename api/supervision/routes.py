"""Routes: 督办 on /api/v1/tickets/{number}/supervisions and the caller's pending 督办."""

from __future__ import annotations

from fastapi import APIRouter

from api.db import utcnow
from api.deps import DbDep, StaffUser, UnitOfWorkDep
from api.pagination import Limit, Offset, Page, RowId
from api.routing import SessionReleasingRoute
from api.supervision import service
from api.supervision.schemas import SupervisionIn, SupervisionList, SupervisionOut
from api.tickets.service import get_ticket

router = APIRouter(tags=["supervision (staff)"], route_class=SessionReleasingRoute)


@router.get("/tickets/{number}/supervisions", response_model=SupervisionList)
def list_supervisions(number: str, staff: StaffUser, session: DbDep) -> SupervisionList:
    """A ticket's 督办 and its SLA flags (预警, 超时)."""
    ticket = get_ticket(session=session, user=staff, number=number)
    views = service.list_supervisions(session=session, ticket=ticket)
    return SupervisionList.of(views, service.sla_flags(session=session, ticket=ticket))


@router.post("/tickets/{number}/supervisions", response_model=SupervisionOut, status_code=201)
def supervise(number: str, body: SupervisionIn, staff: StaffUser, uow: UnitOfWorkDep) -> SupervisionOut:
    """督办 an open ticket (the queue's supervisors and admins); its assignee is alerted and must acknowledge."""
    with uow as session:
        ticket = get_ticket(session=session, user=staff, number=number)
        supervision = service.supervise(session=session, ticket=ticket, author=staff, body=body.body, now=utcnow())
    views = service.list_supervisions(session=uow.session, ticket=ticket)
    return SupervisionOut.of(next(v for v in views if v.supervision.id == supervision.id))


@router.post("/tickets/{number}/supervisions/{supervision_id}/acknowledge", response_model=SupervisionOut)
def acknowledge(number: str, supervision_id: RowId, staff: StaffUser, uow: UnitOfWorkDep) -> SupervisionOut:
    """The assignee acknowledges a 督办 (409 when it already is)."""
    with uow as session:
        ticket = get_ticket(session=session, user=staff, number=number)
        service.acknowledge(session=session, ticket=ticket, supervision_id=supervision_id, user=staff, now=utcnow())
    views = service.list_supervisions(session=uow.session, ticket=ticket)
    return SupervisionOut.of(next(v for v in views if v.supervision.id == supervision_id))


@router.get("/supervisions/pending", response_model=Page[SupervisionOut])
def pending(staff: StaffUser, session: DbDep, limit: Limit = 50, offset: Offset = 0) -> Page[SupervisionOut]:
    """The 督办 addressed to the caller and not yet acknowledged."""
    views, total = service.pending_for(session=session, user=staff, limit=limit, offset=offset)
    return Page[SupervisionOut](items=[SupervisionOut.of(v) for v in views], total=total)
