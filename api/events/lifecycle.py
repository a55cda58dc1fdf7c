"""Starting and stopping the event machinery with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from api.events.bus import EventBus


@asynccontextmanager
async def events_running(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's event bus for the lifespan; release what the event routes opened."""
    bus: EventBus = app.state.event_bus
    await bus.start()
    try:
        yield
    finally:
        await bus.stop()
        engine: Engine | None = getattr(app.state, "events_engine", None)
        if engine is not None:
            engine.dispose()
