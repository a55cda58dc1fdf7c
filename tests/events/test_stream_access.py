"""An open event stream re-checks its caller's access and ends once it is gone (DESIGN.md "Limits")."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from outbox_helpers import emit_event
from pydantic import SecretStr
from sqlalchemy import Engine
from sse_client import EventStream, Frame, open_stream

from api.events import routes
from api.events.bus import InProcessBus
from api.events.stream import resolve_start, stream_events
from api.events.viewer import Viewer
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import SERVICE_TOKEN, auth_header, make_token, make_user

TALENT = Viewer(role=Role.STAFF, user_id=7, queue_keys=frozenset({"talent"}))
WIDER = Viewer(role=Role.STAFF, user_id=7, queue_keys=frozenset({"talent", "approvals"}))


@pytest.fixture(autouse=True)
def quick_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-check access every 0.2 s instead of every few seconds."""
    monkeypatch.setattr(routes, "ACCESS_RECHECK_SECONDS", 0.2)


@pytest.fixture
def server(live_desk: tuple[Desk, str]) -> str:
    """The real app behind uvicorn: its base URL."""
    return live_desk[1]


async def rest_of(stream: EventStream) -> list[Frame]:
    """Every frame until the server ends the stream (within a generous bound)."""
    async with asyncio.timeout(30):
        return [frame async for frame in stream._frames]


async def call(base: str, method: str, path: str, headers: dict[str, str], **kwargs: object) -> httpx.Response:
    """One API call."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        return await client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]


def staff_member(desk: Desk, queues: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Headers of a new staff member named wang working `queues`, and of an admin."""
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, username="wang", queues=queues)
        headers = (
            auth_header(make_token(session, staff)),
            auth_header(make_token(session, make_user(session, Role.ADMIN))),
        )
        session.commit()
    return headers


def ends_with_access_ended(frames: list[Frame]) -> bool:
    """Whether the last frame is the farewell saying access ended."""
    return bool(frames) and any("access ended" in comment for comment in frames[-1].comments)


Revoke = Callable[[str, dict[str, str], dict[str, str]], Awaitable[httpx.Response]]
REVOKES: dict[str, Revoke] = {
    "logout": lambda base, staff, _admin: call(base, "POST", "/api/v1/auth/logout", staff),
    "revoke-all": lambda base, staff, _admin: call(base, "POST", "/api/v1/auth/revoke-all", staff),
    "admin revokes": lambda base, _staff, admin: call(base, "POST", "/api/v1/admin/users/wang/revoke-tokens", admin),
    "removal from a queue": lambda base, _staff, admin: call(
        base, "DELETE", "/api/v1/admin/queues/talent/members/wang", admin
    ),
}


@pytest.mark.parametrize("revoke", REVOKES.values(), ids=REVOKES.keys())
async def test_a_stream_ends_once_its_caller_loses_access(
    server: str, live_desk: tuple[Desk, str], revoke: Revoke
) -> None:
    staff, admin = staff_member(live_desk[0], ["talent", "approvals"])
    async with open_stream(server, staff) as stream:
        await stream.read_opening()
        response = await revoke(server, staff, admin)
        assert response.status_code == 204, response.text
        frames = await rest_of(stream)
    assert ends_with_access_ended(frames)


async def test_a_queue_added_widens_an_open_stream_in_place(engine: Engine) -> None:
    bus, now = InProcessBus(), TALENT
    rechecked = asyncio.Event()

    async def access() -> Viewer | None:
        if now is WIDER:
            rechecked.set()
        return now

    frames = stream_events(
        engine=engine,
        bus=bus,
        viewer=TALENT,
        start=resolve_start(engine, last_event_id=None, since=None),
        access=access,
        recheck_seconds=0.05,
    )
    await anext(frames)
    reading = asyncio.ensure_future(anext(frames))
    now = WIDER
    async with asyncio.timeout(20):
        await rechecked.wait()
    written = emit_event(engine, bus=bus, queue_key="approvals")
    async with asyncio.timeout(20):
        got = await reading
    await frames.aclose()
    assert got.id == str(written)


async def test_a_queue_taken_away_ends_an_open_stream(engine: Engine) -> None:
    async def access() -> Viewer | None:
        return TALENT

    start = resolve_start(engine, last_event_id=None, since=None)
    frames = stream_events(
        engine=engine, bus=InProcessBus(), viewer=WIDER, start=start, access=access, recheck_seconds=0
    )
    async with asyncio.timeout(20):
        got = [frame async for frame in frames]
    assert "access ended" in (got[-1].comment or "")


async def test_the_service_stream_ends_when_the_bot_token_changes(server: str, live_desk: tuple[Desk, str]) -> None:
    app = live_desk[0].app
    async with open_stream(server, {"Authorization": f"Bearer {SERVICE_TOKEN}"}) as stream:
        await stream.read_opening()
        settings = app.state.settings
        app.state.settings = settings.model_copy(update={"bot_service_token": SecretStr("another-token")})
        try:
            frames = await rest_of(stream)
        finally:
            app.state.settings = settings
    assert ends_with_access_ended(frames)


async def test_a_sixth_stream_closes_the_first(server: str, live_desk: tuple[Desk, str]) -> None:
    staff, _admin = staff_member(live_desk[0], ["talent"])
    async with open_stream(server, staff) as first:
        await first.read_opening()
        others = [open_stream(server, staff) for _ in range(5)]
        opened = [await other.__aenter__() for other in others]
        try:
            for stream in opened:
                await stream.read_opening()
            frames = await rest_of(first)
        finally:
            for other in reversed(others):
                await other.__aexit__(None, None, None)
    assert any("过多" in comment for comment in frames[-1].comments)
