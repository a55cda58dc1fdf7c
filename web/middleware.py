"""Cookie sessions for the JSON API: the browser's session cookie becomes the bearer token, CSRF-checked.

Pure ASGI (no response buffering), so the SSE stream at /api/v1/events works through it. A request that
already carries an `Authorization` header (bot, CLI, tests) passes untouched; so does one without a valid
session cookie (public routes). A state-changing request authenticated by the cookie must echo the
session's CSRF token in `X-CSRF-Token`, else it is refused with 403 before any route runs.
"""

from __future__ import annotations

import json

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from web.session import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, csrf_matches, decode_session

CSRF_REFUSED = "请求校验失败，请刷新页面后重试 (CSRF check failed)"


class SessionAuthMiddleware:
    """Turn a valid `zd_session` cookie into `Authorization: Bearer …` for routes under `prefix`."""

    def __init__(self, app: ASGIApp, *, key: bytes, prefix: str = "/api/") -> None:
        self.app = app
        self.key = key
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        names = {name.lower() for name, _ in headers}
        if b"authorization" in names or b"cookie" not in names:
            await self.app(scope, receive, send)
            return
        cookie = b"; ".join(value for name, value in headers if name.lower() == b"cookie").decode("latin-1")
        session = decode_session(cookie_parser(cookie).get(SESSION_COOKIE), self.key)
        if session is None:
            await self.app(scope, receive, send)
            return
        if scope.get("method", "GET") not in SAFE_METHODS:
            given = next((v.decode("latin-1") for n, v in headers if n.lower() == CSRF_HEADER.encode()), None)
            if not csrf_matches(session.csrf, given):
                await _refuse(send)
                return
        headers.append((b"authorization", f"Bearer {session.token}".encode("latin-1")))
        await self.app({**scope, "headers": headers}, receive, send)


async def _refuse(send: Send) -> None:
    body = json.dumps({"detail": CSRF_REFUSED}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
