"""Races against a real uvicorn: concurrent identical submissions and concurrent claims."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlmodel import select

from api.auth.models import User
from api.events.models import OutboxEvent
from api.tickets.models import Ticket
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_ticket, make_token, make_user

REQUEST = {
    "category": "work_permit",
    "subject": "工作许可",
    "body": "外籍工程师来华工作许可如何办理？",
    "contact": "张女士",
}


async def _burst(url: str, calls: list[tuple[str, dict[str, str], dict[str, object] | None]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        return await asyncio.gather(*(client.post(path, headers=h, json=body) for path, h, body in calls))


def test_fifty_identical_submissions_make_one_ticket(live_desk: tuple[Desk, str]) -> None:
    desk, url = live_desk
    # A Telegram user the desk has never seen: its account is created by the first of 50 racing requests.
    headers = {**bot_header(777_000_001), "Idempotency-Key": "burst-1"}
    responses = asyncio.run(_burst(url, [("/api/v1/requests", headers, REQUEST)] * 50))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == Counter({201: 1, 200: 49}), [r.text for r in responses if r.status_code >= 300][:3]
    assert len({r.json()["number"] for r in responses}) == 1
    with desk.session() as session:
        assert len(session.exec(select(Ticket)).all()) == 1
        assert len(session.exec(select(User).where(User.telegram_user_id == 777_000_001)).all()) == 1
        assert len(session.exec(select(OutboxEvent)).all()) == 1


def test_twenty_concurrent_claims_have_exactly_one_winner(live_desk: tuple[Desk, str]) -> None:
    desk, url = live_desk
    with desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        number = make_ticket(session, requester).number
        staff = [make_user(session, Role.STAFF, queues=["talent"]) for _ in range(20)]
        tokens = [make_token(session, member) for member in staff]
        session.commit()
    calls = [(f"/api/v1/tickets/{number}/claim", auth_header(token), None) for token in tokens]
    responses = asyncio.run(_burst(url, calls))
    assert Counter(r.status_code for r in responses) == Counter({200: 1, 409: 19})
    winner = next(r for r in responses if r.status_code == 200).json()
    assert winner["version"] == 2
    with desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        assert (ticket.status, ticket.version) == ("claimed", 2)
        claimed = session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.claimed")).all()
        assert len(claimed) == 1


def test_ten_concurrent_enterprise_messages_all_land(live_desk: tuple[Desk, str]) -> None:
    """An enterprise message takes no version and never fails for a concurrent write (DESIGN.md)."""
    desk, url = live_desk
    with desk.session() as session:
        requester = make_user(session, Role.ENTERPRISE)
        number = make_ticket(session, requester).number
        token = make_token(session, requester)
        session.commit()
    calls = [(f"/api/v1/requests/{number}/messages", auth_header(token), {"body": f"补充材料 {i}"}) for i in range(10)]
    responses = asyncio.run(_burst(url, calls))
    assert [r.status_code for r in responses] == [200] * 10, [r.text for r in responses if r.status_code != 200][:2]
    with desk.session() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.version == 11
        messages = session.exec(select(OutboxEvent).where(OutboxEvent.type == "ticket.message")).all()
        assert len(messages) == 10
