"""What a request may carry before any route runs: a bounded body, and no NUL in its path or query.

Pure ASGI, so nothing is buffered: a declared `Content-Length` over the limit is refused before the body is
read, and a chunked body is counted as it streams and refused once it passes the limit (DESIGN.md "Limits").
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import messages

BODY_LIMIT = 1024 * 1024
ATTACHMENT_BODY_LIMIT = 10 * 1024 * 1024 + 64 * 1024  # a 10 MiB file plus its multipart framing


class BodyTooLarge(HTTPException):
    """The body passed its limit while being read (FastAPI re-raises HTTPException from body parsing)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=messages.BODY_TOO_LARGE.format(limit=limit))


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may send."""
    return ATTACHMENT_BODY_LIMIT if path.rstrip("/").endswith("/attachments") else BODY_LIMIT


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def send_json(send: Send, status: int, detail: str) -> None:
    """Send a complete `{"detail"}` response."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class EdgeLimitsMiddleware:
    """Refuse oversized bodies with 413 and NUL in the path or query with 422, all as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await send_json(send, 422, messages.NUL_REFUSED)
            return
        limit = body_limit(scope.get("path", ""))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await send_json(send, 413, BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as exc:  # read outside FastAPI's body parsing (no exception handler saw it)
            if started:
                raise
            await send_json(send, 413, exc.detail)
