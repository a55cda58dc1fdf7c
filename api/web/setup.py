"""Wire the web pages into the app: static files, page routes, admin routes and the session middleware."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from sqlmodel import Session

from api.ask.service import matcher_for
from api.settings import Settings
from api.web import admin_routes, clause_routes, faq_admin, pages
from api.web.faq_index import FaqIndex
from api.web.middleware import SessionAuthMiddleware
from policy_index.library import PolicyLibrary, load_document_file
from policy_index.parser import ParseError

STATIC_DIR = Path(__file__).parent / "static"
API_PREFIX = "/api/v1"

logger = logging.getLogger(__name__)


def session_key(settings: Settings) -> bytes:
    """The key that signs session cookies: ZONEDESK_SECRET_KEY, or a per-process random key."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return b"zonedesk-web-session:" + settings.secret_key.get_secret_value().encode("utf-8")
    return secrets.token_bytes(32)


def default_documents_dir(settings: Settings) -> Path:
    """Imported documents live beside an SQLite database, else in the user's data directory."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "documents"
    return Path(user_data_dir("zonedesk")) / "documents"


def _load_imported(library: PolicyLibrary, directory: Path) -> PolicyLibrary:
    for path in sorted(directory.glob("*.txt")) if directory.is_dir() else []:
        try:
            library = library.with_document(load_document_file(path))
        except ParseError as exc:
            logger.warning("imported document %s skipped: %s", path.name, exc)
    return library


def install_web(app: FastAPI, settings: Settings) -> None:
    """Serve `/`, `/staff`, `/admin`, `/static` and the admin routes; accept session cookies on the API."""
    key = session_key(settings)
    app.state.web_session_key = key
    app.state.documents_dir = default_documents_dir(settings)
    index = FaqIndex(app, redis_url=settings.redis_url)
    app.state.faq_index = index

    def reload_library(library: PolicyLibrary, session: Session) -> None:
        app.state.library = library
        app.state.matcher = matcher_for(library)
        index.rebuild_quietly(session)

    app.state.web_reload_library = reload_library
    imported = _load_imported(app.state.library, app.state.documents_dir)
    if imported is not app.state.library:
        app.state.library = imported
        app.state.matcher = matcher_for(imported)
    index.rebuild_quietly()
    index.listen()

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(faq_admin.router, prefix=API_PREFIX)
    app.include_router(admin_routes.router, prefix=API_PREFIX)
    app.include_router(clause_routes.router, prefix=API_PREFIX)
    app.add_middleware(SessionAuthMiddleware, key=key)
