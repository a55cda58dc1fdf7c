"""Routes: staff /api/v1/queues…, admin /api/v1/admin/queues… and /api/v1/admin/routing…"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.db import utcnow
from api.deps import DbDep, StaffUser, UnitOfWorkDep, get_admin_user
from api.domain_errors import InvalidInput
from api.guides.service import list_guides
from api.pagination import Limit, Offset
from api.queues import messages, service
from api.queues.schemas import (
    MemberIn,
    MemberList,
    MemberOut,
    QueueIn,
    QueueList,
    QueueOut,
    QueuePatch,
    QueueTickets,
    RuleIn,
    RuleList,
    RuleOut,
)
from api.routing import SessionReleasingRoute
from api.text import Text
from api.tickets.models import OPEN_STATUSES
from api.tickets.schemas import CategoryKey, TicketOut
from api.tickets.service import describe, list_queue_tickets
from common.tickets import TicketStatus

router = APIRouter(prefix="/queues", tags=["queues (staff)"], route_class=SessionReleasingRoute)
categories_router = APIRouter(prefix="/categories", tags=["requests (enterprise)"], route_class=SessionReleasingRoute)
admin_router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)


def _statuses(status: str) -> list[TicketStatus]:
    if status == "open":
        return list(OPEN_STATUSES)
    if status == "all":
        return list(TicketStatus)
    try:
        return [TicketStatus(status)]
    except ValueError as exc:
        raise InvalidInput(messages.UNKNOWN_STATUS.format(status=status)) from exc


@router.get("", response_model=QueueList)
def list_queues(staff: StaffUser, session: DbDep) -> QueueList:
    """The caller's queues (all for an admin) with open-ticket counts."""
    queues = service.visible_queues(session=session, user=staff)
    counts = service.queue_counts(session=session, queue_ids=[q.id for q in queues if q.id], now=utcnow())
    members = service.member_counts(session=session)
    items = [QueueOut.of(q, counts.get(q.id or 0), members.get(q.id or 0, 0)) for q in queues]
    return QueueList(items=items, total=len(queues))


@router.get("/targets", response_model=QueueList)
def transfer_targets(staff: StaffUser, session: DbDep) -> QueueList:  # noqa: ARG001 - staff only
    """Every queue a ticket may be transferred to, with its staff count (0: nobody would see it)."""
    queues = service.list_queues(session=session)
    members = service.member_counts(session=session)
    return QueueList(items=[QueueOut.of(q, members=members.get(q.id or 0, 0)) for q in queues], total=len(queues))


@router.get("/{key}/tickets", response_model=QueueTickets)
def queue_tickets(
    key: str,
    staff: StaffUser,
    session: DbDep,
    status: Annotated[str, Query(description="open (default), all, or one status")] = "open",
    q: Annotated[
        Text | None, Query(max_length=100, description="search number, subject, requester and enterprise")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> QueueTickets:
    """A queue's tickets, overdue first, then by due time; closed and cancelled ones (history) latest first."""
    now = utcnow()
    tickets, total = list_queue_tickets(
        session=session,
        user=staff,
        key=key,
        statuses=_statuses(status),
        limit=limit,
        offset=offset,
        now=now,
        query=q.strip() if q and q.strip() else None,
    )
    views = describe(session=session, tickets=tickets)
    return QueueTickets(items=[TicketOut.of_staff(v, now) for v in views], total=total)


@categories_router.get("", response_model=RuleList)
def list_categories(session: DbDep) -> RuleList:
    """The service categories a request may name, with their Chinese names, queues and 办事指南 (public)."""
    rules = service.list_rules(session=session)
    guides = list_guides(session=session)
    return RuleList(
        items=[RuleOut.of(rule, queue, guides.get(rule.category)) for rule, queue in rules], total=len(rules)
    )


@admin_router.get("/queues", response_model=QueueList)
def admin_list_queues(session: DbDep) -> QueueList:
    """Every queue."""
    queues = service.list_queues(session=session)
    members = service.member_counts(session=session)
    return QueueList(items=[QueueOut.of(q, members=members.get(q.id or 0, 0)) for q in queues], total=len(queues))


@admin_router.post("/queues", response_model=QueueOut, status_code=201)
def admin_create_queue(body: QueueIn, uow: UnitOfWorkDep) -> QueueOut:
    """Add a queue."""
    with uow as session:
        queue = service.create_queue(
            session=session, key=body.key, name=body.name, department=body.department, sla_hours=body.sla_hours
        )
    return QueueOut.of(queue)


@admin_router.patch("/queues/{key}", response_model=QueueOut)
def admin_update_queue(key: str, body: QueuePatch, uow: UnitOfWorkDep) -> QueueOut:
    """Change a queue's name, department or SLA."""
    with uow as session:
        queue = service.update_queue(
            session=session, key=key, name=body.name, department=body.department, sla_hours=body.sla_hours
        )
    return QueueOut.of(queue)


@admin_router.get("/queues/{key}/members", response_model=MemberList)
def admin_list_members(key: str, session: DbDep) -> MemberList:
    """The staff of a queue."""
    members = service.list_memberships(session=session, key=key)
    return MemberList(items=[MemberOut.of(user, supervisor) for user, supervisor in members], total=len(members))


@admin_router.put("/queues/{key}/members/{username}", status_code=204)
def admin_add_member(key: str, username: str, uow: UnitOfWorkDep, body: MemberIn | None = None) -> Response:
    """Make a staff member work a queue; `{"supervisor": true}` makes them its supervisor (false: no longer)."""
    with uow as session:
        service.add_member(session=session, key=key, username=username)
        if body is not None:
            service.set_supervisor(session=session, key=key, username=username, supervisor=body.supervisor)
    return Response(status_code=204)


@admin_router.delete("/queues/{key}/members/{username}", status_code=204)
def admin_remove_member(key: str, username: str, uow: UnitOfWorkDep) -> Response:
    """Take a staff member off a queue."""
    with uow as session:
        service.remove_member(session=session, key=key, username=username)
    return Response(status_code=204)


@admin_router.get("/routing", response_model=RuleList)
def admin_list_routing(session: DbDep) -> RuleList:
    """Every category and its queue."""
    rules = service.list_rules(session=session)
    return RuleList(items=[RuleOut.of(rule, queue) for rule, queue in rules], total=len(rules))


@admin_router.put("/routing/{category}", response_model=RuleOut)
def admin_set_routing(category: CategoryKey, body: RuleIn, uow: UnitOfWorkDep) -> RuleOut:
    """Create or change where a category goes."""
    with uow as session:
        rule, queue = service.set_rule(session=session, category=category, queue_key=body.queue, name=body.name)
    return RuleOut.of(rule, queue)
