"""Fixtures for HTTP tests: a plain client, and the service desk on SQLite and on PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.main import create_app
from api.schema import prepare_database
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN, reset_database


@pytest.fixture
def client(library: PolicyLibrary, sqlite_url: str) -> TestClient:
    """A client of an app on a fresh SQLite database."""
    app = create_app(Settings(database_url=sqlite_url), library=library)
    return TestClient(app)


@dataclass
class Desk:
    """An app on a migrated database, its client and engine."""

    app: FastAPI
    client: TestClient
    engine: Engine
    backend: str

    def session(self) -> Session:
        """A new session (commit what the test needs the app to see)."""
        return Session(self.engine, expire_on_commit=False)


def desk_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database URL for a backend parameter."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.integration)]


@pytest.fixture(scope="module", params=BACKENDS)
def desk_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary
) -> Iterator[FastAPI]:
    """The app on SQLite and on PostgreSQL (module-scoped; tables are emptied per test by `desk`)."""
    url = desk_url(request, tmp_path_factory)
    app = create_app(Settings(database_url=url, bot_service_token=SERVICE_TOKEN), library=library)
    prepare_database(app.state.engine)  # create_app migrates SQLite only
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def desk_client(desk_app: FastAPI) -> Iterator[TestClient]:
    """One client (one event-loop thread) per module: much faster than a portal per request."""
    with TestClient(desk_app) as client:
        yield client


@pytest.fixture
def desk(desk_app: FastAPI, desk_client: TestClient) -> Desk:
    """The desk app with empty tables (default queues and routing seeded)."""
    engine: Engine = desk_app.state.engine
    reset_database(engine)
    return Desk(desk_app, desk_client, engine, engine.dialect.name)


@pytest.fixture(scope="module")
def sqlite_desk_app(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Iterator[FastAPI]:
    """The app on SQLite only (for tests of pure authorisation logic)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}"
    app = create_app(Settings(database_url=url, bot_service_token=SERVICE_TOKEN), library=library)
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def sqlite_desk_client(sqlite_desk_app: FastAPI) -> Iterator[TestClient]:
    """One client per module for the SQLite-only app."""
    with TestClient(sqlite_desk_app) as client:
        yield client


@pytest.fixture
def sqlite_desk(sqlite_desk_app: FastAPI, sqlite_desk_client: TestClient) -> Desk:
    """The SQLite desk app with empty tables."""
    engine: Engine = sqlite_desk_app.state.engine
    reset_database(engine)
    return Desk(sqlite_desk_app, sqlite_desk_client, engine, "sqlite")


class LiveServer:
    """A real uvicorn on loopback serving an app from a background thread."""

    def __init__(self, app: FastAPI) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_desk(desk: Desk) -> Iterator[tuple[Desk, str]]:
    """The desk app behind a real uvicorn: (desk, base URL)."""
    with LiveServer(desk.app) as server:
        yield desk, server.url
