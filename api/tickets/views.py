"""A ticket's detail as each side sees it, with what the service window adds: the 办事指南 checklist and the
files in the thread."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.attachments.schemas import ThreadAttachmentOut
from api.attachments.service import list_attachments
from api.auth.models import User
from api.db import utcnow
from api.guides.deadline import cached_guide
from api.guides.schemas import TicketGuideOut
from api.guides.service import received_materials
from api.queues.models import Queue
from api.queues.service import current_routing
from api.ratings.schemas import RectificationOut
from api.ratings.service import find_rectification
from api.tickets import service
from api.tickets.messages import ANONYMOUS_ENTERPRISE_USER
from api.tickets.models import Ticket
from api.tickets.schemas import RequestDetail, TicketDetail
from api.tickets.submission import Submitted
from common.roles import Role


def _guide(session: Session, ticket: Ticket) -> TicketGuideOut | None:
    guide = cached_guide(session=session, category=ticket.category)
    if guide is None:
        return None
    return TicketGuideOut.of_ticket(guide, received_materials(session=session, ticket=ticket))


def _attachments(session: Session, ticket: Ticket, *, staff: bool) -> list[ThreadAttachmentOut]:
    files = list_attachments(session=session, ticket=ticket)
    uploader_ids = {f.uploader_id for f in files if f.uploader_id}
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(uploader_ids))).all()}
    out = []
    for f in files:
        uploader = users.get(f.uploader_id)
        shown = uploader is not None and (staff or f.author_role != Role.ENTERPRISE)
        out.append(
            ThreadAttachmentOut(
                id=f.id or 0,
                name=f.name,
                size=f.size,
                content_type=f.content_type,
                author_role=f.author_role,
                author_name=uploader.label if shown and uploader else ANONYMOUS_ENTERPRISE_USER,
                created_at=f.created_at,
            )
        )
    return out


def request_detail(session: Session, ticket: Ticket) -> RequestDetail:
    """The enterprise's view: the public thread, status changes, files and the guide's checklist."""
    detail = RequestDetail.of_detail(service.describe(session=session, tickets=[ticket], with_messages=True)[0])
    detail.guide = _guide(session, ticket)
    detail.attachments = _attachments(session, ticket, staff=False)
    return detail


def new_request_detail(session: Session, ticket: Ticket, queue: Queue) -> RequestDetail:
    """The enterprise's view of a ticket just written, from what was written: it has no thread, files,
    materials or rating yet, so nothing is read back."""
    assert ticket.number is not None
    routing = current_routing(session=session)  # cached: no query
    rule = routing.rules.get(ticket.category)
    requester = User(id=ticket.requester_id, role=Role.ENTERPRISE, enterprise_id=ticket.enterprise_id)
    view = service.TicketView(
        ticket=ticket,
        queue=queue,
        category_name=rule.name if rule is not None else ticket.category,
        requester=requester,
        enterprise=None,
        assignee=None,
        rating=None,
    )
    detail = RequestDetail.of_detail(view)
    guide = cached_guide(session=session, category=ticket.category)
    detail.guide = TicketGuideOut.of_ticket(guide, set()) if guide is not None else None
    return detail


def submitted_detail(session: Session, submitted: Submitted) -> RequestDetail:
    """The enterprise's view of the ticket a submission opened or found again: from what was written when it can."""
    if submitted.queue is not None:
        return new_request_detail(session, submitted.ticket, submitted.queue)
    return request_detail(session, submitted.ticket)


def ticket_detail(session: Session, ticket: Ticket) -> TicketDetail:
    """The staff view: the whole thread, status changes, files, the guide's checklist and a 差评's 整改."""
    view = service.describe(session=session, tickets=[ticket], with_messages=True, internal=True)[0]
    now = utcnow()
    detail = TicketDetail.of_detail(view, now)
    detail.guide = _guide(session, ticket)
    detail.attachments = _attachments(session, ticket, staff=True)
    rectification = find_rectification(session=session, ticket=ticket)
    detail.rectification = RectificationOut.of(rectification, now) if rectification else None
    return detail
