"""The ticket workflow's status machine, action by action and status by status (SQLite; the rules do not
depend on the backend)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.tickets import service
from api.tickets.errors import ClaimLost, InvalidTransition
from api.tickets.messages import ACTION_NAMES
from api.tickets.models import AuditEntry, Ticket
from common.roles import Role
from common.tickets import TicketStatus
from tests.api.conftest import Desk
from tests.factories import make_ticket, make_user

Act = Callable[[Session, Ticket, User, User], Ticket]


@dataclass(frozen=True)
class Action:
    """One workflow action: the statuses it is allowed from, where it leads, what it logs and announces."""

    name: str
    act: Act
    allowed: frozenset[TicketStatus]
    leads_to: Callable[[TicketStatus], TicketStatus]
    audit: str
    event: str


ENTERPRISE_ACTIONS = {"message", "cancel", "rate"}
OPEN = frozenset({TicketStatus.NEW, TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE})


def _same(status: TicketStatus) -> TicketStatus:
    return status


def _reply_leads_to(status: TicketStatus) -> TicketStatus:
    return TicketStatus.CLAIMED if status == TicketStatus.NEW else status  # a reply to a new ticket claims it


def _message_leads_to(status: TicketStatus) -> TicketStatus:
    return TicketStatus.CLAIMED if status == TicketStatus.WAITING_ENTERPRISE else status


ACTIONS = [
    Action(
        "claim",
        lambda s, t, staff, _r: service.claim_ticket(session=s, ticket=t, staff=staff),
        frozenset({TicketStatus.NEW}),
        lambda _: TicketStatus.CLAIMED,
        "claimed",
        "ticket.claimed",
    ),
    Action(
        "reply",
        lambda s, t, staff, _r: service.reply(session=s, ticket=t, staff=staff, version=t.version, body="已收到"),
        OPEN,
        _reply_leads_to,
        "replied",
        "ticket.message",
    ),
    Action(
        "note",
        lambda s, t, staff, _r: service.add_note(session=s, ticket=t, staff=staff, version=t.version, body="内部"),
        frozenset(TicketStatus),
        _same,
        "noted",
        "ticket.note",
    ),
    Action(
        "wait",
        lambda s, t, staff, _r: service.ask_enterprise(
            session=s, ticket=t, staff=staff, version=t.version, body="请补充材料"
        ),
        frozenset({TicketStatus.CLAIMED}),
        lambda _: TicketStatus.WAITING_ENTERPRISE,
        "waiting",
        "ticket.waiting",
    ),
    Action(
        "transfer",
        lambda s, t, staff, _r: service.transfer(
            session=s,
            ticket=t,
            staff=staff,
            version=t.version,
            queue_key=None,
            category="business_license",
            reason=None,
        ),
        OPEN,
        lambda _: TicketStatus.NEW,
        "transferred",
        "ticket.transferred",
    ),
    Action(
        "resolve",
        lambda s, t, staff, _r: service.resolve(session=s, ticket=t, staff=staff, version=t.version, body=None),
        frozenset({TicketStatus.CLAIMED, TicketStatus.WAITING_ENTERPRISE}),
        lambda _: TicketStatus.RESOLVED,
        "resolved",
        "ticket.resolved",
    ),
    Action(
        "message",
        lambda s, t, _staff, requester: service.add_enterprise_message(
            session=s, ticket=t, author=requester, body="已上传"
        ),
        OPEN,
        _message_leads_to,
        "message",
        "ticket.message",
    ),
    Action(
        "cancel",
        lambda s, t, _staff, requester: service.cancel_request(session=s, ticket=t, actor=requester, reason=None),
        OPEN,
        lambda _: TicketStatus.CANCELLED,
        "cancelled",
        "ticket.cancelled",
    ),
    Action(
        "rate",
        lambda s, t, _staff, requester: service.rate_ticket(session=s, ticket=t, actor=requester, score=5, comment=""),
        frozenset({TicketStatus.RESOLVED}),
        lambda _: TicketStatus.CLOSED,
        "rated",
        "ticket.closed",
    ),
]

CASES = [
    pytest.param(action, status, id=f"{action.name}-from-{status.value}")
    for action in ACTIONS
    for status in TicketStatus
]


def _ticket_in(session: Session, status: TicketStatus) -> tuple[Ticket, User, User]:
    """A talent-queue ticket put straight into `status` (claimed by `staff` unless new)."""
    requester = make_user(session, Role.ENTERPRISE)
    staff = make_user(session, Role.STAFF, queues=["talent", "approvals"])
    ticket = make_ticket(session, requester)
    ticket.status = status
    ticket.assignee_id = None if status == TicketStatus.NEW else staff.id
    if status == TicketStatus.WAITING_ENTERPRISE:
        ticket.sla_due_at, ticket.sla_remaining_minutes = None, 120
    session.add(ticket)
    session.commit()
    return ticket, staff, requester


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_action_is_allowed_only_from_its_statuses(sqlite_desk: Desk, action: Action, status: TicketStatus) -> None:
    with sqlite_desk.session() as session:
        ticket, staff, requester = _ticket_in(session, status)
        version = ticket.version
        if status in action.allowed:
            action.act(session, ticket, staff, requester)
            session.commit()
            assert (ticket.status, ticket.version) == (action.leads_to(status), version + 1)
            audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
            event = session.exec(select(OutboxEvent.type).order_by(col(OutboxEvent.id).desc())).first()
            assert audit is not None
            assert (audit.action, event) == (action.audit, action.event)
            assert audit.actor_id == (requester.id if action.name in ENTERPRISE_ACTIONS else staff.id)
        elif action.name == "claim":
            with pytest.raises(ClaimLost):
                action.act(session, ticket, staff, requester)
        else:
            with pytest.raises(InvalidTransition, match=f"不能{ACTION_NAMES[action.name]}"):
                action.act(session, ticket, staff, requester)
    with sqlite_desk.session() as session:
        stored = session.get(Ticket, ticket.id)
        assert stored is not None
        assert stored.status == (action.leads_to(status) if status in action.allowed else status)


def test_asking_for_more_records_the_working_minutes_left(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        ticket, staff, _ = _ticket_in(session, TicketStatus.CLAIMED)
        service.ask_enterprise(session=session, ticket=ticket, staff=staff, version=ticket.version, body="请补充")
        session.commit()
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "waiting")).one()
    assert audit.detail == {"remaining_minutes": ticket.sla_remaining_minutes}
    assert isinstance(audit.detail["remaining_minutes"], int)
