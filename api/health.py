"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import time

from fastapi import APIRouter, FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import DbDep, LibraryDep

router = APIRouter(tags=["health"])

REQUESTS = Counter("zonedesk_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("zonedesk_http_request_seconds", "HTTP request latency", ["method", "route"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(library: LibraryDep, session: DbDep, response: Response) -> dict[str, object]:
    """The process can serve: documents are loaded and the database answers (503 otherwise)."""
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any driver error means "not ready", never a crash of the probe
        database = "unavailable"
        response.status_code = 503
    return {
        "status": "ok" if database == "ok" else "unavailable",
        "database": database,
        "documents": len(library.documents),
    }


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    """Prometheus text format: counters only, no personal data."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class RequestMetricsMiddleware:
    """Pure ASGI (no task group around the body, unlike `@app.middleware`): a body limit raised while the
    route reads reaches FastAPI as itself, and event streams pass unbuffered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                template = getattr(scope.get("route"), "path", "unmatched")
                LATENCY.labels(scope["method"], template).observe(time.perf_counter() - started)
                REQUESTS.labels(scope["method"], template, str(message["status"])).inc()
            await send(message)

        await self.app(scope, receive, observe)


def install_request_metrics(app: FastAPI) -> None:
    """Count requests and time them by route template (never by raw path: ticket numbers stay out)."""
    app.add_middleware(RequestMetricsMiddleware)
