"""A ticket's detail as each side sees it, with what the service window adds: the 办事指南 checklist."""

from __future__ import annotations

from sqlmodel import Session

from api.db import utcnow
from api.guides.schemas import TicketGuideOut
from api.guides.service import find_guide, received_materials
from api.tickets import service
from api.tickets.models import Ticket
from api.tickets.schemas import RequestDetail, TicketDetail


def _guide(session: Session, ticket: Ticket) -> TicketGuideOut | None:
    guide = find_guide(session=session, category=ticket.category)
    if guide is None:
        return None
    return TicketGuideOut.of_ticket(guide, received_materials(session=session, ticket=ticket))


def request_detail(session: Session, ticket: Ticket) -> RequestDetail:
    """The enterprise's view: the public thread, status changes and the guide's checklist."""
    detail = RequestDetail.of_detail(service.describe(session=session, tickets=[ticket], with_messages=True)[0])
    detail.guide = _guide(session, ticket)
    return detail


def ticket_detail(session: Session, ticket: Ticket) -> TicketDetail:
    """The staff view: the whole thread, status changes and the guide's checklist."""
    view = service.describe(session=session, tickets=[ticket], with_messages=True, internal=True)[0]
    detail = TicketDetail.of_detail(view, utcnow())
    detail.guide = _guide(session, ticket)
    return detail
