"""Routes: admin /api/v1/admin/categories/{category}/guide and staff /api/v1/tickets/{number}/materials."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import DbDep, StaffUser, UnitOfWorkDep, get_admin_user
from api.guides import service
from api.guides.schemas import GuideIn, GuideOut, MaterialsIn
from api.routing import SessionReleasingRoute
from api.tickets.schemas import CategoryKey, TicketDetail
from api.tickets.service import get_ticket
from api.tickets.views import ticket_detail

router = APIRouter(prefix="/tickets", tags=["tickets (staff)"], route_class=SessionReleasingRoute)
admin_router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)


@router.post("/{number}/materials", response_model=TicketDetail)
def mark_materials(number: str, body: MaterialsIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Tick the guide's materials received so far (the assignee's; carries the version)."""
    with uow as session:
        ticket = get_ticket(session=session, user=staff, number=number)
        service.mark_received(session=session, ticket=ticket, staff=staff, version=body.version, received=body.received)
    return ticket_detail(uow.session, ticket)


@admin_router.get("/categories/{category}/guide", response_model=GuideOut)
def admin_get_guide(category: CategoryKey, session: DbDep) -> GuideOut:
    """A category's 办事指南."""
    return GuideOut.of(service.get_guide(session=session, category=category))


@admin_router.put("/categories/{category}/guide", response_model=GuideOut)
def admin_set_guide(category: CategoryKey, body: GuideIn, uow: UnitOfWorkDep) -> GuideOut:
    """Create or replace a category's 办事指南 (new tickets of the category get its 承诺时限)."""
    with uow as session:
        guide = service.set_guide(session=session, category=category, draft=body.draft())
    return GuideOut.of(guide)
