"""Install the web pages onto the API app: static files, page routes and the session middleware."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.data_dir import SECRET_KEY_FILE, default_data_dir, persisted_secret_key
from api.settings import Settings
from web import pages, policy_pages
from web.middleware import SessionAuthMiddleware

STATIC_DIR = Path(__file__).parent / "static"


def session_key(settings: Settings, data_dir: Path | None = None) -> bytes:
    """The key that signs session cookies: ZONEDESK_SECRET_KEY, else one generated once in the data directory."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        secret = settings.secret_key.get_secret_value()
    else:
        secret = persisted_secret_key((data_dir or default_data_dir()) / SECRET_KEY_FILE)
    return b"zonedesk-web-session:" + secret.encode("utf-8")


def install_web(app: FastAPI, settings: Settings) -> None:
    """Serve `/`, `/staff`, `/admin`, `/policies`, `/static` and the admin routes; accept session cookies on the API."""
    key = session_key(settings)
    app.state.web_session_key = key
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(policy_pages.router)
    app.add_middleware(SessionAuthMiddleware, key=key)
