"""The FastAPI application: one service for HTTP routes, pages and events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import desk, health
from api.ask import routes as ask_routes
from api.ask.service import category_suggester as suggest_from_matcher
from api.ask.service import matcher_for
from api.eligibility import routes as eligibility_routes
from api.errors import install_error_handlers
from api.events import routes as events_routes
from api.events.bus import create_bus
from api.events.lifecycle import events_running
from api.policy import routes as policy_routes
from api.settings import Settings, get_settings
from api.tickets.service import CategorySuggester
from api.web.setup import install_web
from policy_index.clauses import load_bundled_clause_index
from policy_index.library import PolicyLibrary, load_bundled_library

API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start what runs beside the routes; stop it on shutdown."""
    async with events_running(app):
        yield


def create_app(
    settings: Settings | None = None,
    library: PolicyLibrary | None = None,
    category_suggester: CategorySuggester | None = None,
) -> FastAPI:
    """Build the application with its routes and state."""
    settings = settings or get_settings()
    app = FastAPI(title="zonedesk", version="0.1.0", docs_url="/docs", lifespan=lifespan)
    app.state.settings = settings
    app.state.library = library or load_bundled_library()
    app.state.event_bus = create_bus(settings)
    app.state.matcher = matcher_for(app.state.library)
    app.state.clause_index = load_bundled_clause_index()
    install_error_handlers(app)
    health.install_request_metrics(app)
    app.include_router(health.router)
    app.include_router(policy_routes.router, prefix=API_PREFIX)
    app.include_router(ask_routes.router, prefix=API_PREFIX)
    app.include_router(eligibility_routes.router, prefix=API_PREFIX)
    desk.install_desk(app, settings, suggest=category_suggester or suggest_from_matcher(lambda: app.state.matcher))
    app.include_router(desk.router, prefix=API_PREFIX)
    app.include_router(events_routes.router, prefix=API_PREFIX)
    install_web(app, settings)
    return app
