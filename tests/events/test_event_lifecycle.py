"""The app picks its bus from the settings and runs it for its lifespan."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from api.events.bus import InProcessBus, RedisBus
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary


def test_without_redis_the_app_uses_the_in_process_bus(library: PolicyLibrary, sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url), library=library)
    assert isinstance(app.state.event_bus, InProcessBus)


@pytest.mark.integration
def test_with_redis_the_bus_subscribes_during_the_lifespan_and_stops_after(
    library: PolicyLibrary, sqlite_url: str, redis_url: str
) -> None:
    app = create_app(Settings(database_url=sqlite_url, redis_url=redis_url), library=library)
    bus = app.state.event_bus
    assert isinstance(bus, RedisBus)
    with TestClient(app):
        for _ in range(400):
            if bus.connected:
                break
            time.sleep(0.05)
        assert bus.connected
    assert not bus.connected
    assert bus.poll_interval == bus._fallback_poll_interval
