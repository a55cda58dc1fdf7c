"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text

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


def install_request_metrics(app: FastAPI) -> None:
    """Count requests and time them by route template (never by raw path: ticket numbers stay out)."""

    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        LATENCY.labels(request.method, template).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, template, str(response.status_code)).inc()
        return response
