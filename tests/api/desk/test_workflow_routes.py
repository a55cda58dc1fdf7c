"""The workflow through the real API on SQLite and PostgreSQL: every (action, status) pair, and who may act.

Claimed tickets are the assignee's: other members of the queue may note, not reply, ask, resolve or
transfer (403); an admin may; a reply to a new ticket claims it; every second claim gets 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from api.db import utcnow
from api.events.models import OutboxEvent
from api.ratings.models import Rectification
from api.tickets.models import Ticket
from api.tickets.workflow import ALLOWED, OWNER_ONLY, Action
from common.roles import Role
from common.tickets import TicketStatus
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user

REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "028-1234"}
FIRM = 700

# How each action is asked for over HTTP: (path under the ticket, body without the version, enterprise?).
ROUTES: dict[Action, tuple[str, dict[str, Any] | None, bool]] = {
    Action.CLAIM: ("claim", None, False),
    Action.REPLY: ("reply", {"body": "您好，已收到"}, False),
    Action.NOTE: ("note", {"body": "内部备注"}, False),
    Action.ASK_FOR_MORE: ("wait", {"body": "请补充劳动合同"}, False),
    Action.TRANSFER: ("transfer", {"queue": "front-desk"}, False),
    Action.RESOLVE: ("resolve", {"body": "已办结"}, False),
    Action.MESSAGE: ("messages", {"body": "补充说明"}, True),
    Action.CANCEL: ("cancel", {}, True),
    Action.RATE: ("rating", {"score": 5}, True),
    Action.MATERIALS: ("materials", {"received": ["申请人身份证复印件"]}, False),
    Action.RECTIFY: ("rectification", {"note": "已回访"}, False),
}


@dataclass
class World:
    desk: Desk
    assignee: dict[str, str]
    colleague: dict[str, str]
    admin: dict[str, str]
    assignee_id: int
    number: str

    def put_in(self, status: TicketStatus) -> None:
        """Set the ticket's status directly (held by the assignee unless new): the test is about the rules."""
        assignee = None if status == TicketStatus.NEW else self.assignee_id
        with self.desk.session() as session:
            session.exec(
                update(Ticket).where(col(Ticket.number) == self.number).values(status=status, assignee_id=assignee)
            )
            ticket_id = session.exec(select(Ticket.id).where(Ticket.number == self.number)).one()
            session.add(Rectification(ticket_id=ticket_id, due_at=utcnow()))  # as if a 差评 had opened it
            session.commit()

    def version(self) -> int:
        """The ticket's current version."""
        with self.desk.session() as session:
            return session.exec(select(Ticket.version).where(Ticket.number == self.number)).one()

    def do(self, action: Action, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        """Take `action` over HTTP as `headers` (the assignee by default; the enterprise for its actions)."""
        path, body, enterprise = ROUTES[action]
        if enterprise:
            url, headers = f"/api/v1/requests/{self.number}/{path}", bot_header(FIRM)
        else:
            url, headers = f"/api/v1/tickets/{self.number}/{path}", headers or self.assignee
            body = None if body is None else {**body, "version": self.version()}
        response = self.desk.client.post(url, json=body, headers=headers)
        return response.status_code, response.json()


@pytest.fixture
def world(desk: Desk) -> World:
    with desk.session() as session:
        assignee = make_user(session, Role.STAFF, queues=["talent", "front-desk"])
        colleague = make_user(session, Role.STAFF, queues=["talent", "front-desk"])
        admin = make_user(session, Role.ADMIN)
        session.commit()
        headers = [auth_header(make_token(session, user)) for user in (assignee, colleague, admin)]
        session.commit()
        assert assignee.id is not None
        assignee_id = assignee.id
    created = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(FIRM), "Idempotency-Key": "w"})
    return World(desk, *headers, assignee_id=assignee_id, number=created.json()["number"])


@pytest.mark.parametrize(("action", "status"), list(product(Action, TicketStatus)), ids=lambda v: str(v))
def test_every_action_answers_as_the_table_says_in_every_status(
    world: World, action: Action, status: TicketStatus
) -> None:
    world.put_in(status)
    before = world.version()
    code, body = world.do(action)
    if status in ALLOWED[action]:
        assert code == 200, body
        assert body["version"] > before
    else:
        assert code == 409, body
        assert world.version() == before


STAFF_ACTIONS = [Action.REPLY, Action.NOTE, Action.ASK_FOR_MORE, Action.TRANSFER, Action.RESOLVE, Action.MATERIALS]


@pytest.mark.parametrize(("action", "who"), list(product(STAFF_ACTIONS, ["assignee", "colleague", "admin"])))
def test_a_claimed_ticket_is_its_assignees(world: World, action: Action, who: str) -> None:
    world.put_in(TicketStatus.CLAIMED)
    before = world.version()
    code, body = world.do(action, getattr(world, who))
    if who == "colleague" and action in OWNER_ONLY:
        assert code == 403, body
        assert "办理人" in body["detail"]
        assert world.version() == before
    else:
        assert code == 200, body


def test_a_colleague_may_not_act_on_a_ticket_waiting_for_the_enterprise(world: World) -> None:
    world.put_in(TicketStatus.WAITING_ENTERPRISE)
    assert world.do(Action.RESOLVE, world.colleague)[0] == 403
    assert world.do(Action.NOTE, world.colleague)[0] == 200


def test_a_reply_to_a_new_ticket_claims_it(world: World) -> None:
    code, body = world.do(Action.REPLY, world.colleague)
    assert (code, body["status"]) == (200, "claimed")
    assert str(body["assignee"]).startswith("staff-")
    # The replier now holds it: the former "assignee" of the fixture is just a colleague.
    assert world.do(Action.RESOLVE, world.assignee)[0] == 403
    assert world.do(Action.RESOLVE, world.colleague)[0] == 200
    with world.desk.session() as session:
        types = session.exec(select(OutboxEvent.type).order_by(col(OutboxEvent.id))).all()
    assert types[:3] == ["ticket.created", "ticket.claimed", "ticket.message"]


def test_a_reply_racing_a_claim_is_stale(world: World) -> None:
    assert world.desk.client.post(f"/api/v1/tickets/{world.number}/claim", headers=world.colleague).status_code == 200
    late = world.desk.client.post(
        f"/api/v1/tickets/{world.number}/reply", json={"version": 1, "body": "我来办"}, headers=world.assignee
    )
    assert late.status_code == 409  # stale first: the caller must see who holds it now


@pytest.mark.parametrize("who", ["assignee", "colleague", "admin"])
def test_a_second_claim_by_anyone_gets_409(world: World, who: str) -> None:
    first = world.desk.client.post(f"/api/v1/tickets/{world.number}/claim", headers=world.assignee)
    assert first.status_code == 200
    again = world.desk.client.post(f"/api/v1/tickets/{world.number}/claim", headers=getattr(world, who))
    assert again.status_code == 409
    assert "转办" in again.json()["detail"]
