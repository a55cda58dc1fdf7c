"""Connection limits of `zonedesk serve`: a header timeout, the keep-alive timeout and a connection cap.

uvicorn arms its keep-alive timer only after a response, so a client that connects and then sends its
request line and headers a byte at a time would hold a connection (and a slot) for as long as it likes.
`zonedesk.cli.header_timeout` closes a connection whose request headers are not complete within `header_timeout`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

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


def protocol_with(limits: ServerLimits) -> Callable[..., asyncio.Protocol]:
    """The HTTP protocol enforcing `limits.header_timeout` (imports uvicorn: only when serving).

    A partial of a module-level class, not a class made at run time: worker processes receive the
    configuration pickled.
    """
    from zonedesk.cli.header_timeout import HeaderTimeoutProtocol

    return functools.partial(HeaderTimeoutProtocol, header_timeout=limits.header_timeout)


def uvicorn_config(
    app: FastAPI | str, *, host: str, port: int, limits: ServerLimits, workers: int = 1
) -> uvicorn.Config:
    """A uvicorn configuration for `app` with `limits` (past `max_connections` new requests get 503).

    With `workers` > 1, `app` is the import string of an app factory, which each worker process calls.
    """
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=cast("type[asyncio.Protocol]", protocol_with(limits)),
        timeout_keep_alive=limits.keep_alive_timeout,
        limit_concurrency=limits.max_connections,
        workers=workers,
        factory=isinstance(app, str),
    )
