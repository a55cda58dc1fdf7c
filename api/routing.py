"""A route class that ends the request's database session as soon as a sync endpoint returns."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlmodel import Session

from api.unit_of_work import UnitOfWork


def release_sessions_after(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint so its sessions close (ending any read transaction) before it returns.

    FastAPI validates a sync endpoint's response in another worker thread; a transaction left open
    across that hop holds a pooled connection while every worker may be waiting for one. Writes are
    committed by their `UnitOfWork` inside the endpoint; what is left here is a read.
    """
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            for value in kwargs.values():
                session = value.session if isinstance(value, UnitOfWork) else value
                if isinstance(session, Session):
                    session.close()

    return wrapper


class SessionReleasingRoute(APIRoute):
    """An APIRoute whose sync endpoint releases its database session on return."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, release_sessions_after(endpoint), **kwargs)
