"""The ticket workflow table holds: every action is refused exactly where `ALLOWED` says, in every status."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from api.auth.models import User
from api.db import utcnow
from api.guides.service import mark_received
from api.ratings.models import Rectification
from api.ratings.service import close_rectification
from api.tickets import service
from api.tickets.errors import ClaimLost, InvalidTransition
from api.tickets.models import Ticket
from api.tickets.workflow import ALLOWED, Action
from common.roles import Role
from common.tickets import TicketStatus
from tests.api.conftest import Desk
from tests.factories import make_user

Do = Callable[[Session, Ticket, User, User], Ticket]

ACTIONS: dict[Action, Do] = {
    Action.CLAIM: lambda s, t, staff, _e: service.claim_ticket(session=s, ticket=t, staff=staff),
    Action.REPLY: lambda s, t, staff, _e: service.reply(session=s, ticket=t, staff=staff, version=t.version, body="好"),
    Action.NOTE: lambda s, t, staff, _e: service.add_note(
        session=s, ticket=t, staff=staff, version=t.version, body="注"
    ),
    Action.ASK_FOR_MORE: lambda s, t, staff, _e: service.ask_enterprise(
        session=s, ticket=t, staff=staff, version=t.version, body="请补充营业执照"
    ),
    Action.TRANSFER: lambda s, t, staff, _e: service.transfer(
        session=s, ticket=t, staff=staff, version=t.version, queue_key="front-desk", category=None, reason=None
    ),
    Action.RESOLVE: lambda s, t, staff, _e: service.resolve(
        session=s, ticket=t, staff=staff, version=t.version, body=None
    ),
    Action.MESSAGE: lambda s, t, _s, firm: service.add_enterprise_message(session=s, ticket=t, author=firm, body="在"),
    Action.CANCEL: lambda s, t, _s, firm: service.cancel_request(session=s, ticket=t, actor=firm, reason=None),
    Action.RATE: lambda s, t, _s, firm: service.rate_ticket(session=s, ticket=t, actor=firm, score=5, comment=""),
    Action.MATERIALS: lambda s, t, staff, _e: mark_received(
        session=s, ticket=t, staff=staff, version=t.version, received=["申请人身份证复印件"]
    ),
    Action.RECTIFY: lambda s, t, staff, _e: _rectify(s, t, staff),
}


def _rectify(session: Session, ticket: Ticket, staff: User) -> Ticket:
    """Close a 整改 (one is opened first: a 差评 would have opened it on the closed ticket)."""
    assert ticket.id is not None
    session.add(Rectification(ticket_id=ticket.id, due_at=utcnow()))
    close_rectification(session=session, ticket=ticket, staff=staff, version=ticket.version, note="已回访")
    return ticket


REFUSED = (InvalidTransition, ClaimLost)


def test_every_action_has_a_row_in_the_table() -> None:
    assert set(ACTIONS) == set(Action) == set(ALLOWED)


@pytest.mark.parametrize(("action", "status"), list(product(Action, TicketStatus)), ids=lambda v: str(v))
def test_action_is_refused_exactly_where_the_table_says(
    sqlite_desk: Desk, action: Action, status: TicketStatus
) -> None:
    with sqlite_desk.session() as session:
        staff = make_user(session, Role.STAFF, queues=["talent", "front-desk"])
        firm = make_user(session, Role.ENTERPRISE)
        draft = service.RequestDraft(subject="人才公寓", body="申请人才公寓", contact="13800000000", category="housing")
        ticket, _ = service.submit_request(session=session, requester=firm, draft=draft, idempotency_key="k")
        # Put the ticket in `status` directly: this test is about the table, not the way there.
        assignee = None if status == TicketStatus.NEW else staff.id
        session.exec(update(Ticket).where(col(Ticket.id) == ticket.id).values(status=status, assignee_id=assignee))
        session.refresh(ticket)
        if status in ALLOWED[action]:
            ACTIONS[action](session, ticket, staff, firm)
            assert ticket.version >= 2
        else:
            with pytest.raises(REFUSED):
                ACTIONS[action](session, ticket, staff, firm)
        session.rollback()


def test_the_table_is_the_workflow_of_the_design() -> None:
    """Written from DESIGN.md, apart from the code: a change to the table must be a change to the design."""
    new, claimed, waiting = TicketStatus.NEW, TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE
    open_ = {new, claimed, waiting}
    expected = {
        Action.CLAIM: {new},
        Action.REPLY: open_,  # a reply to a new ticket claims it
        Action.NOTE: set(TicketStatus),
        Action.ASK_FOR_MORE: {claimed},  # 请企业补充材料 only once someone works the ticket
        Action.TRANSFER: open_,
        Action.RESOLVE: {claimed, waiting},
        Action.MESSAGE: open_,
        Action.CANCEL: open_,
        Action.RATE: {TicketStatus.RESOLVED},
        Action.MATERIALS: open_,  # staff tick the 办事指南's materials while the ticket is worked
        Action.RECTIFY: {TicketStatus.CLOSED},  # the 回访 of a 差评, which closed the ticket
    }
    assert {action: set(statuses) for action, statuses in ALLOWED.items()} == expected
