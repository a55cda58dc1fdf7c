"""A talent queue with an assignee, a colleague, a supervisor and an admin, and one claimed ticket."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from api.tickets.models import Ticket
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user

REQUEST = {"category": "housing", "subject": "人才公寓申请", "body": "需要哪些材料？", "contact": "028-1234"}


@dataclass
class Window:
    """Headers of the people of the talent queue and the ticket they work."""

    assignee: dict[str, str]
    colleague: dict[str, str]
    supervisor: dict[str, str]
    outsider: dict[str, str]
    admin: dict[str, str]
    enterprise: dict[str, str]
    number: str

    def ticket(self, desk: Desk) -> Ticket:
        """The ticket as stored now."""
        with desk.session() as session:
            return session.exec(select(Ticket).where(Ticket.number == self.number)).one()


def open_request(desk: Desk, enterprise: dict[str, str], key: str, category: str = "housing") -> str:
    """Submit a request (housing: the talent queue) and return its number."""
    body = {**REQUEST, "category": category}
    created = desk.client.post("/api/v1/requests", json=body, headers={**enterprise, "Idempotency-Key": key})
    assert created.status_code == 201, created.text
    number: str = created.json()["number"]
    return number


@pytest.fixture
def window(desk: Desk) -> Window:
    """The people, the supervisor made one through the admin API, and a ticket claimed by the assignee."""
    with desk.session() as session:
        assignee = make_user(session, Role.STAFF, username="wang", queues=["talent"])
        colleague = make_user(session, Role.STAFF, username="li", queues=["talent"])
        supervisor = make_user(session, Role.STAFF, username="zhao", queues=["talent"])
        outsider = make_user(session, Role.STAFF, username="chen", queues=["approvals"])
        admin = make_user(session, Role.ADMIN, username="root")
        session.commit()
        tokens = [make_token(session, u) for u in (assignee, colleague, supervisor, outsider, admin)]
        session.commit()
    headers = [auth_header(token) for token in tokens]
    made = desk.client.put("/api/v1/admin/queues/talent/members/zhao", json={"supervisor": True}, headers=headers[4])
    assert made.status_code == 204, made.text
    enterprise = bot_header(700)
    number = open_request(desk, enterprise, "window")
    assert desk.client.post(f"/api/v1/tickets/{number}/claim", headers=headers[0]).status_code == 200
    return Window(*headers, enterprise=enterprise, number=number)
