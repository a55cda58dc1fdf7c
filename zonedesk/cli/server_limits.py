"""Connection limits of `zonedesk serve`: a header timeout, the keep-alive timeout and a connection cap.

uvicorn arms its keep-alive timer only after a response, so a client that connects and then sends its
request line and headers a byte at a time would hold a connection (and a slot) for as long as it likes.
`zonedesk.cli.header_timeout` closes a connection whose request headers are not complete within `header_timeout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    import uvicorn
    from fastapi import FastAPI


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Seconds a client may take to send a request's headers and to stay idle between requests; connections at once."""

    header_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_connections: int = 1000


def protocol_with(limits: ServerLimits) -> type[asyncio.Protocol]:
    """The HTTP protocol class enforcing `limits.header_timeout` (imports uvicorn: only when serving)."""
    from zonedesk.cli.header_timeout import HeaderTimeoutProtocol

    return type("LimitedHttpProtocol", (HeaderTimeoutProtocol,), {"header_timeout": limits.header_timeout})


def uvicorn_config(app: FastAPI, *, host: str, port: int, limits: ServerLimits) -> uvicorn.Config:
    """A uvicorn configuration for `app` with `limits` (past `max_connections` new requests get 503)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol_with(limits),
        timeout_keep_alive=limits.keep_alive_timeout,
        limit_concurrency=limits.max_connections,
    )
