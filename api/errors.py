"""Domain exceptions → HTTP status and a Chinese-first `{"detail"}`: one table for the whole API."""

from __future__ import annotations

import logging

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api import domain_errors as desk
from api import messages
from api.attachments.errors import AttachmentTooLarge, UnsupportedType
from api.auth.throttle import TooManyAttempts
from api.policy.service import UnknownVersion
from faq.matcher import InvalidQuestion
from policy_index.clauses import ClauseFileError
from policy_index.facts import FactFileError, ProfileError
from policy_index.library import UnknownDocument, UnknownMeasure
from policy_index.parser import ParseError
from policy_index.yaml_lines import YamlRefused

STATUS_BY_ERROR: dict[type[Exception], int] = {
    UnknownDocument: 404,
    UnknownMeasure: 404,
    UnknownVersion: 404,
    ParseError: 422,
    InvalidQuestion: 422,
    **{desk.Unauthenticated: 401, desk.Forbidden: 403, desk.NotFound: 404, desk.Conflict: 409, desk.InvalidInput: 422},
    ProfileError: 422,
    FactFileError: 422,
    YamlRefused: 422,
    AttachmentTooLarge: 413,
    UnsupportedType: 415,
}


# Connection refused, lost or timed out (the pool's included): the request may succeed later, so 503.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    PoolTimeout,
    redis.ConnectionError,
    redis.TimeoutError,
)
log = logging.getLogger(__name__)


def _detail(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


def install_error_handlers(app: FastAPI) -> None:
    """Register one handler per domain exception type of `STATUS_BY_ERROR`."""
    for error_type, status in STATUS_BY_ERROR.items():

        async def handle(_: Request, exc: Exception, status: int = status) -> JSONResponse:
            return JSONResponse({"detail": _detail(exc)}, status_code=status)

        app.add_exception_handler(error_type, handle)
    app.add_exception_handler(TooManyAttempts, handle_too_many_attempts)
    app.add_exception_handler(ClauseFileError, handle_clause_file_error)
    for error_type in UNAVAILABLE_ERRORS:
        app.add_exception_handler(error_type, handle_unavailable)
    app.add_exception_handler(DBAPIError, handle_database_error)
    app.add_exception_handler(Exception, handle_internal_error)  # the last resort: JSON, never a traceback
    app.add_exception_handler(RequestValidationError, handle_validation_error)


async def handle_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 in Chinese: the database (or Redis) cannot be reached now."""
    log.error("unavailable: %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return JSONResponse({"detail": messages.SERVICE_UNAVAILABLE}, status_code=503, headers={"Retry-After": "5"})


async def handle_database_error(request: Request, exc: Exception) -> JSONResponse:
    """503 when the driver lost its connection, else a JSON 500."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return await handle_unavailable(request, exc)
    return await handle_internal_error(request, exc)


async def handle_internal_error(request: Request, exc: Exception) -> JSONResponse:
    """500 as `{"detail"}`; the traceback goes to the log only."""
    log.error("unhandled: %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": messages.INTERNAL_ERROR}, status_code=500)


async def handle_too_many_attempts(_: Request, exc: Exception) -> JSONResponse:
    """429 with `Retry-After` (seconds)."""
    retry_after = exc.retry_after if isinstance(exc, TooManyAttempts) else 60
    return JSONResponse({"detail": _detail(exc)}, status_code=429, headers={"Retry-After": str(retry_after)})


async def handle_clause_file_error(_: Request, exc: Exception) -> JSONResponse:
    """422 with every problem of a clause file at its line."""
    issues = exc.issues if isinstance(exc, ClauseFileError) else ()
    errors = [{"line": issue.line, "message": issue.message} for issue in issues]
    return JSONResponse({"detail": _detail(exc), "errors": errors}, status_code=422)


def _field(loc: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or messages.WHOLE_REQUEST


async def handle_validation_error(_: Request, exc: Exception) -> JSONResponse:
    """422 with one Chinese-first sentence naming the bad field, plus the details."""
    errors = list(getattr(exc, "errors", list)())
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    detail = messages.INVALID_INPUT.format(field=_field(tuple(first.get("loc", ()))), reason=first.get("msg", ""))
    body = {"detail": detail, "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors]}
    return JSONResponse(body, status_code=422)
