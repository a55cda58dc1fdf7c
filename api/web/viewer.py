"""Who watches the event stream: the caller resolved by the desk's auth, as the events' `Viewer`.

`api.events.deps.get_viewer` is a placeholder that refuses everyone until auth is wired in. `auth_viewer`
is a ready replacement (browsers reach it through the cookie-session middleware, the bot with its
service token); `install_viewer` puts it in place while the placeholder is there (the web tests use it).
The session is opened and closed here rather than taken from `DbDep`:
an SSE response lives for up to an hour and must not hold a database transaction (SQLite would stay
locked for writers).
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.auth.models import Role
from api.deps import get_app_settings, get_current_user
from api.events import deps as event_deps
from api.events.viewer import Viewer, ViewerRole
from api.queues.service import visible_queues


def auth_viewer(request: Request) -> Viewer:
    """The authenticated caller as a Viewer (401 without valid credentials)."""
    engine: Engine = request.app.state.engine
    with Session(engine) as session:
        user = get_current_user(request, session, get_app_settings(request))
        keys = (
            frozenset()
            if user.role == Role.ENTERPRISE
            else frozenset(q.key for q in visible_queues(session=session, user=user))
        )
        assert user.id is not None
        return Viewer(role=ViewerRole(user.role), user_id=user.id, enterprise_id=user.enterprise_id, queue_keys=keys)


def install_viewer(app: FastAPI) -> None:
    """Use `auth_viewer` for the event stream while the events' own `get_viewer` is the placeholder."""
    if not inspect.signature(event_deps.get_viewer).parameters:
        app.dependency_overrides[event_deps.get_viewer] = auth_viewer
