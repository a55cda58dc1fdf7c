"""The closed sets of `common` as column types: plain VARCHAR columns that read back as enum members."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable
from sqlmodel import select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.tickets.models import Ticket
from common.roles import Role
from common.tickets import EventType, TicketStatus
from tests.api.conftest import Desk
from tests.factories import make_ticket, make_user


def test_enum_columns_are_plain_varchar_without_check() -> None:
    ddl = str(CreateTable(User.__table__).compile(dialect=postgresql.dialect()))
    assert "role VARCHAR(16) NOT NULL" in ddl
    assert "CHECK" not in ddl


def test_rows_store_values_and_read_back_enum_members(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        number = make_ticket(session, requester).number
        session.commit()
    with sqlite_desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        event = session.exec(select(OutboxEvent).where(OutboxEvent.ticket_number == number)).one()
        user = session.get(User, ticket.requester_id)
        stored = session.execute(text("SELECT status FROM tickets WHERE number = :n"), {"n": number}).scalar_one()
    assert user is not None
    assert (ticket.status, event.type, event.status, user.role) == (
        TicketStatus.NEW,
        EventType.CREATED,
        TicketStatus.NEW,
        Role.ENTERPRISE,
    )
    assert all(
        isinstance(value, enum)
        for value, enum in [(ticket.status, TicketStatus), (event.type, EventType), (user.role, Role)]
    )
    assert stored == "new"
