"""The bot's service stream: `GET /api/v1/events` with the service token alone, on the real app.

Every event someone on Telegram may see, each naming its queue and its Telegram recipients; other
callers keep their own filtered view and never get the service stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, event
from sqlmodel import Session, select
from sse_client import open_stream

from api.events.models import OutboxEvent
from api.events.recipients import Recipients, telegram_recipients
from api.events.schemas import ServiceEventData
from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN, auth_header, bot_header, make_enterprise, make_token, make_user

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
REQUESTER, COLLEAGUE, OUTSIDER = 1001, 1002, 1003  # Telegram ids: two users of one firm, one of another
TALENT_STAFF, TALENT_COLLEAGUE, APPROVALS_STAFF = 7001, 7002, 7003
_keys = itertools.count(1)


@dataclass
class Desk:
    """The real app on loopback: its URL, its engine and bearer tokens of web users."""

    url: str
    engine: Engine
    tokens: dict[str, str]

    async def call(self, method: str, path: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            extra = {"Idempotency-Key": f"k-{next(_keys)}"} if path == "/api/v1/requests" else {}
            response = await client.request(method, path, headers={**headers, **extra}, json=body or None)
        assert response.status_code < 300, response.text
        return dict(response.json())

    async def submit(self, headers: dict[str, str], category: str = "housing") -> str:
        ticket = await self.call(
            "POST", "/api/v1/requests", headers, category=category, subject="人才公寓申请", body="需要哪些材料？",
            contact="028-12345678",
        )  # fmt: skip
        return str(ticket["number"])

    async def staff(self, number: str, action: str, body: str, who: str = "talent") -> None:
        """A staff action on a ticket, claiming it first when it is new."""
        headers = auth_header(self.tokens[who])
        ticket = await self.call("GET", f"/api/v1/tickets/{number}", headers)
        if ticket["status"] == "new" and action != "note":
            ticket = await self.call("POST", f"/api/v1/tickets/{number}/claim", headers)
        await self.call("POST", f"/api/v1/tickets/{number}/{action}", headers, version=ticket["version"], body=body)


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def desk(library: PolicyLibrary, sqlite_url: str) -> AsyncIterator[Desk]:
    """Talent staff on Telegram (two) and on the web only (one), approvals staff, two firms."""
    app = create_app(Settings(database_url=sqlite_url, bot_service_token=SERVICE_TOKEN), library=library)
    with Session(app.state.engine) as session:
        firm, other_firm = make_enterprise(session), make_enterprise(session)
        make_user(session, Role.STAFF, queues=["talent"], telegram_user_id=TALENT_STAFF)
        make_user(session, Role.STAFF, queues=["talent"], telegram_user_id=TALENT_COLLEAGUE)
        make_user(session, Role.STAFF, queues=["approvals"], telegram_user_id=APPROVALS_STAFF)
        make_user(session, Role.STAFF, queues=["talent", "front-desk"], telegram_user_id=None)
        make_user(session, Role.ENTERPRISE, enterprise=firm, telegram_user_id=REQUESTER)
        make_user(session, Role.ENTERPRISE, enterprise=firm, telegram_user_id=COLLEAGUE)
        make_user(session, Role.ENTERPRISE, enterprise=other_firm, telegram_user_id=OUTSIDER)
        tokens = {
            "talent": make_token(session, make_user(session, Role.STAFF, queues=["talent", "front-desk"])),
            "approvals": make_token(session, make_user(session, Role.STAFF, queues=["approvals"])),
            "web_firm": make_token(session, make_user(session, Role.ENTERPRISE, enterprise=firm)),
            "web_other": make_token(session, make_user(session, Role.ENTERPRISE, enterprise=other_firm)),
            "web_lone": make_token(session, make_user(session, Role.ENTERPRISE)),  # no firm, no Telegram
        }
        session.commit()
    async with serving(app) as url:
        yield Desk(url, app.state.engine, tokens)
    app.state.engine.dispose()


async def test_service_stream_names_queue_and_telegram_recipients(desk: Desk) -> None:
    async with open_stream(desk.url, SERVICE) as stream:
        await stream.read_opening()
        number = await desk.submit(bot_header(REQUESTER))
        await desk.staff(number, "note", "内部备注：材料待核")
        await desk.staff(number, "reply", "请补充户籍证明")
        created, note, claimed, reply = await stream.next_events(4)
    firm = [REQUESTER, COLLEAGUE]
    talent = [TALENT_STAFF, TALENT_COLLEAGUE]
    for frame in (created, note, claimed, reply):  # the shape OpenAPI documents for the service stream
        assert ServiceEventData.model_validate(frame.json).number == number
    assert (created.event, created.json["queue"], created.json["number"]) == ("ticket.created", "talent", number)
    assert created.json["recipients"] == {"enterprise": firm, "staff": talent}
    assert note.event == "ticket.note"
    assert note.json["recipients"] == {"enterprise": [], "staff": talent}  # never the enterprise
    assert (note.json["internal"], created.json["internal"]) == (True, False)
    assert claimed.event == "ticket.claimed"
    assert reply.event == "ticket.message"
    assert reply.json["recipients"] == {"enterprise": firm, "staff": talent}
    assert reply.json["excerpt"] == "请补充户籍证明"


async def test_service_stream_skips_events_nobody_on_telegram_may_see_and_resumes(desk: Desk) -> None:
    async with open_stream(desk.url, SERVICE) as stream:
        opening = await stream.read_opening()
        web_only = await desk.submit(auth_header(desk.tokens["web_lone"]), category="other")  # front-desk: no one
        seen = await desk.submit(bot_header(OUTSIDER), category="business_license")
        (first,) = await stream.next_events(1)
    assert first.json["number"] == seen != web_only
    assert first.json["recipients"] == {"enterprise": [OUTSIDER], "staff": [APPROVALS_STAFF]}
    assert int(first.id or 0) > int(opening.id or 0) + 1  # the web-only ticket's event was passed over
    await desk.staff(seen, "reply", "已受理", who="approvals")
    async with open_stream(desk.url, {**SERVICE, "Last-Event-ID": str(first.id)}) as again:
        replayed = await again.next_events(2)
    assert [f.event for f in replayed] == ["ticket.claimed", "ticket.message"]
    assert all(f.json["queue"] == "approvals" for f in replayed)


@pytest.mark.parametrize(
    "caller",
    [
        "web_firm",
        "talent",
        pytest.param("bot_for_user", id="service-token-acting-for-a-user"),
        pytest.param("web_firm_posing", id="user-token-naming-a-telegram-user"),
    ],
)
async def test_other_callers_keep_their_own_view_without_recipients(desk: Desk, caller: str) -> None:
    if caller == "bot_for_user":
        headers = bot_header(REQUESTER)
    elif caller == "web_firm_posing":  # the header means nothing without the service token
        headers = {**auth_header(desk.tokens["web_firm"]), "X-Telegram-User-Id": str(OUTSIDER)}
    else:
        headers = auth_header(desk.tokens[caller])
    async with open_stream(desk.url, headers) as stream:
        await stream.read_opening()
        foreign = await desk.submit(bot_header(OUTSIDER), category="business_license")  # another firm, approvals
        own = await desk.submit(bot_header(COLLEAGUE))  # this firm, talent
        await desk.staff(own, "note", "内部备注")
        got = await stream.next_events(2 if caller == "talent" else 1)
        await desk.submit(bot_header(REQUESTER))  # a marker: nothing else came between
        got += await stream.next_events(1)
    numbers = {frame.json["number"] for frame in got}
    assert foreign not in numbers
    assert all("recipients" not in frame.json for frame in got)
    expected = ["ticket.created", "ticket.note", "ticket.created"] if caller == "talent" else ["ticket.created"] * 2
    assert [frame.event for frame in got] == expected


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer not-the-service-token"},
        {"Authorization": f"Bearer {SERVICE_TOKEN}-but-longer"},
        {},
    ],
    ids=["wrong-token", "near-miss", "no-token"],
)
async def test_only_the_service_token_opens_the_service_stream(desk: Desk, headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=desk.url, timeout=10) as client:
        response = await client.get("/api/v1/events", headers=headers)
    assert response.status_code == 401


async def test_the_service_token_opens_nothing_else_without_a_telegram_user(desk: Desk) -> None:
    async with httpx.AsyncClient(base_url=desk.url, timeout=10) as client:
        response = await client.get("/api/v1/requests", headers=SERVICE)
    assert response.status_code == 401


@pytest.fixture
def statements(desk: Desk) -> Iterator[list[str]]:
    """The SQL statements the desk's engine runs while the test body runs."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(desk.engine, "before_cursor_execute", record)
    yield seen
    event.remove(desk.engine, "before_cursor_execute", record)


async def test_recipients_of_a_batch_cost_two_queries(desk: Desk, statements: list[str]) -> None:
    for _ in range(3):
        await desk.submit(bot_header(REQUESTER))
        await desk.submit(bot_header(OUTSIDER), category="business_license")
        await desk.submit(auth_header(desk.tokens["web_lone"]), category="other")
    with Session(desk.engine) as session:
        events = list(session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).all())
        statements.clear()
        recipients = telegram_recipients(session=session, events=events)
    assert len(statements) == 2
    got = [recipients[e.id] for e in events if e.id is not None]
    firm = Recipients(enterprise=(REQUESTER, COLLEAGUE), staff=(TALENT_STAFF, TALENT_COLLEAGUE))
    other = Recipients(enterprise=(OUTSIDER,), staff=(APPROVALS_STAFF,))
    assert got == [firm, other, Recipients()] * 3
