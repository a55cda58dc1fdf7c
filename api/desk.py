"""The service desk's routes and app state, wired into the app by one call from api/main.py."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from api.attachments import routes as attachment_routes
from api.auth import routes as auth_routes
from api.auth.throttle import create_throttle
from api.calendar import routes as calendar_routes
from api.db import is_sqlite, make_engine
from api.enterprises import routes as enterprise_routes
from api.faqs import routes as feedback_routes
from api.faqs.unanswered_log import UnansweredLog
from api.guides import routes as guide_routes
from api.profiles import routes as profile_routes
from api.queues import canned_routes
from api.queues import routes as queue_routes
from api.ratings import routes as rating_routes
from api.reports import routes as report_routes
from api.schema import prepare_database
from api.settings import Settings
from api.supervision import routes as supervision_routes
from api.tickets import routes as ticket_routes
from api.tickets.service import CategorySuggester, suggest_nothing
from common.logmask import install_log_masking

router = APIRouter()
for _routes in (
    auth_routes.router,
    ticket_routes.router,
    guide_routes.router,
    attachment_routes.router,
    rating_routes.router,
    queue_routes.router,
    canned_routes.router,
    queue_routes.categories_router,
    feedback_routes.router,
    profile_routes.router,
    supervision_routes.router,
    report_routes.router,
):
    router.include_router(_routes)
for _admin in (
    queue_routes.admin_router,
    enterprise_routes.router,
    calendar_routes.router,
    auth_routes.admin_router,
    guide_routes.admin_router,
):
    router.include_router(_admin)


def install_desk(app: FastAPI, settings: Settings, *, suggest: CategorySuggester | None = None) -> None:
    """Open the database (migrating an embedded SQLite), set the suggester, throttle and unanswered log, mask logs."""
    url = settings.effective_database_url
    engine = make_engine(url, pool_size=settings.db_pool_size, pool_overflow=settings.db_pool_overflow)
    if is_sqlite(url):
        prepare_database(engine)
    app.state.engine = engine
    app.state.category_suggester = suggest or suggest_nothing
    app.state.throttle = create_throttle(settings.redis_url)
    app.state.unanswered_log = UnansweredLog(lambda: getattr(app.state, "engine", None))
    install_log_masking()
