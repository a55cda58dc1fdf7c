"""The FastAPI application: one service for HTTP routes, pages and events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from api import desk, health
from api.ask import routes as ask_routes
from api.ask.answer_cache import AnswerCache
from api.ask.service import category_suggester as suggest_from_matcher
from api.catalog import CatalogHolder
from api.edge import EdgeLimitsMiddleware
from api.eligibility import admin_routes as eligibility_admin_routes
from api.eligibility import my_policies, notification_routes
from api.eligibility import routes as eligibility_routes
from api.eligibility.push import PolicyPush
from api.errors import install_error_handlers
from api.events import routes as events_routes
from api.events.bus import create_bus
from api.events.lifecycle import events_running
from api.faqs import admin_routes as faq_admin_routes
from api.faqs import unanswered_routes
from api.faqs.unanswered_log import UnansweredLog
from api.policy import admin_routes as policy_admin_routes
from api.policy import routes as policy_routes
from api.policy.service import bundled_library
from api.settings import Settings, get_settings
from api.supervision.runner import sla_job_running
from api.tickets.service import CategorySuggester
from policy_index.library import PolicyLibrary
from web.setup import install_web  # the composition root: the one import of api into web (import-linter)

API_PREFIX = "/api/v1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start what runs beside the routes; stop it on shutdown."""
    holder: CatalogHolder = app.state.catalog_holder
    unanswered: UnansweredLog = app.state.unanswered_log
    unanswered.start()
    try:
        async with events_running(app), sla_job_running(app):
            yield
    finally:
        app.state.policy_push.stop()
        await anyio.to_thread.run_sync(unanswered.stop)  # the last batch is written before the process ends
        holder.stop()


def create_app(
    settings: Settings | None = None,
    library: PolicyLibrary | None = None,
    category_suggester: CategorySuggester | None = None,
) -> FastAPI:
    """Build the application with its routes and state."""
    settings = settings or get_settings()
    app = FastAPI(title="zonedesk", version="0.1.0", docs_url="/docs", lifespan=lifespan)
    app.state.settings = settings
    holder = CatalogHolder(
        lambda: getattr(app.state, "engine", None),
        fallback=library or bundled_library(),
        redis_url=settings.redis_url,
        poll_seconds=settings.catalog_poll_seconds,
    )
    app.state.catalog_holder = holder
    app.state.answer_cache = AnswerCache()
    app.state.event_bus = create_bus(settings)
    install_error_handlers(app)
    health.install_request_metrics(app)
    app.include_router(health.router)
    app.include_router(policy_routes.router, prefix=API_PREFIX)
    app.include_router(ask_routes.router, prefix=API_PREFIX)
    app.include_router(eligibility_routes.router, prefix=API_PREFIX)
    app.include_router(notification_routes.router, prefix=API_PREFIX)
    app.include_router(my_policies.router, prefix=API_PREFIX)
    desk.install_desk(app, settings, suggest=category_suggester or suggest_from_matcher(lambda: holder.current.matcher))
    app.include_router(desk.router, prefix=API_PREFIX)
    for admin in (policy_admin_routes, faq_admin_routes, unanswered_routes, eligibility_admin_routes):
        app.include_router(admin.router, prefix=API_PREFIX)
    app.include_router(events_routes.router, prefix=API_PREFIX)
    install_web(app, settings)
    app.add_middleware(EdgeLimitsMiddleware)  # outermost of ours: refuses before sessions or routes run
    holder.refresh()
    holder.start()
    app.state.policy_push = PolicyPush(
        lambda: getattr(app.state, "engine", None),
        lambda: holder.current.clauses,
        poll_seconds=settings.catalog_poll_seconds,
    )
    app.state.policy_push.start()
    return app
