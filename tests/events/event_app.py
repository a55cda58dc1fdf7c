"""A test-only app: the real `create_app` plus a way to write an event and a header-based viewer.

Run as `uvicorn --factory event_app:create_test_app --app-dir tests/events`. Once the desk's ticket
routes and auth are merged, tests should write through `POST /api/v1/requests` and log in instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Request
from pydantic import BaseModel
from sqlmodel import Session

from api.events.deps import EventBusDep, OutboxEngineDep, get_viewer
from api.events.hooks import attach_bus
from api.events.service import emit
from api.events.viewer import Viewer
from api.main import create_app
from api.settings import Settings
from common.roles import Role


class EventIn(BaseModel):
    type: str = "ticket.created"
    number: str
    status: str = "new"
    queue_key: str | None = "talent"
    enterprise_id: int | None = None
    requester_id: int | None = 1
    internal: bool = False


router = APIRouter(prefix="/test")


@router.post("/events", status_code=201)
def write_event(body: EventIn, engine: OutboxEngineDep, bus: EventBusDep) -> dict[str, int]:
    """Commit one outbox event the way a ticket change does."""
    with Session(engine) as session:
        attach_bus(session, bus)
        event = emit(
            session,
            type=body.type,
            ticket_number=body.number,
            status=body.status,
            queue_key=body.queue_key,
            enterprise_id=body.enterprise_id,
            requester_id=body.requester_id,
            internal=body.internal,
        )
        session.commit()
        assert event.id is not None
        return {"id": event.id}


@router.get("/bus")
def bus_state(request: Request) -> dict[str, object]:
    """Whether this process's bus hears the other replicas."""
    bus = request.app.state.event_bus
    return {"connected": bool(getattr(bus, "connected", True)), "poll_interval": bus.poll_interval}


def viewer_from_headers(
    x_role: Annotated[Role, Header()],
    x_user_id: Annotated[int, Header()] = 1,
    x_enterprise_id: Annotated[int | None, Header()] = None,
    x_queues: Annotated[str, Header()] = "",
) -> Viewer:
    """Test stand-in for auth: the caller says who they are."""
    queues = frozenset(q for q in x_queues.split(",") if q)
    return Viewer(role=x_role, user_id=x_user_id, enterprise_id=x_enterprise_id, queue_keys=queues)


def build_test_app(settings: Settings) -> FastAPI:
    """The app under test for the given settings."""
    app = create_app(settings)
    app.dependency_overrides[get_viewer] = viewer_from_headers
    app.include_router(router)
    return app


def create_test_app() -> FastAPI:
    """Uvicorn factory: settings from the ZONEDESK_* environment."""
    return build_test_app(Settings())
