"""Routes: the enterprise's /api/v1/requests and the staff's /api/v1/tickets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Response
from sqlmodel import Session

from api.auth.models import User
from api.deps import DbDep, EnterpriseActor, StaffUser, Submitter, SuggesterDep, UnitOfWorkDep
from api.guides.service import with_missing_list
from api.pagination import Limit, Offset
from api.ratings.service import rate_and_follow_up
from api.routing import SessionReleasingRoute
from api.tickets import service, submission, views
from api.tickets.models import Ticket
from api.tickets.schemas import (
    CancelIn,
    MessageIn,
    RatingIn,
    RequestDetail,
    RequestIn,
    RequestList,
    RequestOut,
    ResolveIn,
    StaffMessageIn,
    TicketDetail,
    TransferIn,
    WaitIn,
)
from api.unit_of_work import UnitOfWork

requests_router = APIRouter(prefix="/requests", tags=["requests (enterprise)"], route_class=SessionReleasingRoute)
tickets_router = APIRouter(prefix="/tickets", tags=["tickets (staff)"], route_class=SessionReleasingRoute)
router = APIRouter(route_class=SessionReleasingRoute)

IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=128)]


def _request_detail(session: Session, ticket: Ticket) -> RequestDetail:
    return views.request_detail(session, ticket)


def _ticket_detail(session: Session, ticket: Ticket) -> TicketDetail:
    return views.ticket_detail(session, ticket)


@requests_router.post("", response_model=RequestDetail, status_code=201)
def submit_request(
    body: RequestIn,
    submitter: Submitter,
    uow: UnitOfWorkDep,
    suggest: SuggesterDep,
    idempotency_key: IdempotencyKey,
) -> Response:
    """Submit a service request; a retry with the same Idempotency-Key returns the first ticket (200)."""
    draft = body.draft()
    suggested = service.suggest_category(draft, suggest)  # a full match: before the write lock
    with uow as session:
        submitted = submission.submit(
            session=session, submitter=submitter, draft=draft, idempotency_key=idempotency_key, suggested=suggested
        )
    detail = views.submitted_detail(uow.session, submitted)
    # The body is the model's JSON, written here: FastAPI would validate the model again in a second worker
    # thread (`response_model` stays for the OpenAPI schema).
    return Response(
        detail.model_dump_json(by_alias=True),
        status_code=201 if submitted.created else 200,
        media_type="application/json",
    )


@requests_router.get("", response_model=RequestList)
def list_requests(user: EnterpriseActor, session: DbDep, limit: Limit = 50, offset: Offset = 0) -> RequestList:
    """The caller's requests (their enterprise's once bound), newest first."""
    tickets, total = service.list_requests(session=session, user=user, limit=limit, offset=offset)
    return RequestList(
        items=[RequestOut.of(v) for v in service.describe(session=session, tickets=tickets)], total=total
    )


@requests_router.get("/{number}", response_model=RequestDetail)
def get_request(number: str, user: EnterpriseActor, session: DbDep) -> RequestDetail:
    """One request with its public thread."""
    return _request_detail(session, service.get_request(session=session, user=user, number=number))


@requests_router.post("/{number}/messages", response_model=RequestDetail)
def add_message(number: str, body: MessageIn, user: EnterpriseActor, uow: UnitOfWorkDep) -> RequestDetail:
    """Write on the request (an answer to a request for more restarts the SLA clock)."""
    with uow as session:
        ticket = service.get_request(session=session, user=user, number=number)
        service.add_enterprise_message(session=session, ticket=ticket, author=user, body=body.body)
    return _request_detail(uow.session, ticket)


@requests_router.post("/{number}/cancel", response_model=RequestDetail)
def cancel_request(number: str, body: CancelIn, user: EnterpriseActor, uow: UnitOfWorkDep) -> RequestDetail:
    """Withdraw an open request."""
    with uow as session:
        ticket = service.get_request(session=session, user=user, number=number)
        service.cancel_request(session=session, ticket=ticket, actor=user, reason=body.reason)
    return _request_detail(uow.session, ticket)


@requests_router.post("/{number}/rating", response_model=RequestDetail)
def rate_request(number: str, body: RatingIn, user: EnterpriseActor, uow: UnitOfWorkDep) -> RequestDetail:
    """好差评: rate a resolved request once (5 非常满意 … 1 非常不满意, and a comment); this closes it, and a
    score of 2 or less opens a 整改 due 15 working days later."""
    with uow as session:
        ticket = service.get_request(session=session, user=user, number=number)
        rate_and_follow_up(session=session, ticket=ticket, actor=user, score=body.score, comment=body.comment)
    return _request_detail(uow.session, ticket)


@tickets_router.get("/{number}", response_model=TicketDetail)
def get_ticket(number: str, staff: StaffUser, session: DbDep) -> TicketDetail:
    """One ticket of the caller's queues with its whole thread, internal notes included."""
    return _ticket_detail(session, service.get_ticket(session=session, user=staff, number=number))


def _act(uow: UnitOfWork, staff: User, number: str, action: Callable[[Session, Ticket], object]) -> TicketDetail:
    """Apply one staff action to a visible ticket in one unit of work with its event; answer after the commit."""
    with uow as session:
        ticket = service.get_ticket(session=session, user=staff, number=number)
        action(session, ticket)
    return _ticket_detail(uow.session, ticket)


@tickets_router.post("/{number}/claim", response_model=TicketDetail)
def claim_ticket(number: str, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Claim a new ticket: the first claim wins, every later one gets 409."""
    return _act(uow, staff, number, lambda session, t: service.claim_ticket(session=session, ticket=t, staff=staff))


@tickets_router.post("/{number}/reply", response_model=TicketDetail)
def reply(number: str, body: StaffMessageIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """A public reply to the enterprise."""
    return _act(
        uow,
        staff,
        number,
        lambda session, t: service.reply(session=session, ticket=t, staff=staff, version=body.version, body=body.body),
    )


@tickets_router.post("/{number}/note", response_model=TicketDetail)
def add_note(number: str, body: StaffMessageIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """An internal note (never shown to the enterprise)."""
    return _act(
        uow,
        staff,
        number,
        lambda session, t: service.add_note(
            session=session, ticket=t, staff=staff, version=body.version, body=body.body
        ),
    )


@tickets_router.post("/{number}/wait", response_model=TicketDetail)
def ask_enterprise(number: str, body: WaitIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Ask the enterprise for more (`missing` materials of the guide are listed under the message); the SLA
    clock pauses until it answers."""
    return _act(
        uow,
        staff,
        number,
        lambda session, t: service.ask_enterprise(
            session=session,
            ticket=t,
            staff=staff,
            version=body.version,
            body=with_missing_list(session=session, ticket=t, body=body.body, missing=body.missing),
        ),
    )


@tickets_router.post("/{number}/transfer", response_model=TicketDetail)
def transfer(number: str, body: TransferIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Move to another queue or correct the category; the ticket becomes new and unassigned there."""
    return _act(
        uow,
        staff,
        number,
        lambda session, t: service.transfer(
            session=session,
            ticket=t,
            staff=staff,
            version=body.version,
            queue_key=body.queue,
            category=body.category,
            reason=body.reason,
        ),
    )


@tickets_router.post("/{number}/resolve", response_model=TicketDetail)
def resolve(number: str, body: ResolveIn, staff: StaffUser, uow: UnitOfWorkDep) -> TicketDetail:
    """Resolve, with an optional closing reply."""
    return _act(
        uow,
        staff,
        number,
        lambda session, t: service.resolve(
            session=session, ticket=t, staff=staff, version=body.version, body=body.body
        ),
    )


router.include_router(requests_router)
router.include_router(tickets_router)
