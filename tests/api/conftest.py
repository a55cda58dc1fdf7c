"""Fixtures for HTTP tests: a plain client, and the service desk on SQLite and on PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def desk_environment(url: str, library: PolicyLibrary) -> Iterator[tuple[FastAPI, TestClient]]:
    """An app on a migrated database at `url` and one client (one event-loop thread) for it."""
    # The SLA job is driven by the tests that need it (tests/api/desk/test_sla_job.py), never by the clock.
    settings = Settings(database_url=url, bot_service_token=SERVICE_TOKEN, sla_job_seconds=0)
    app = create_app(settings, library=library)
    prepare_database(app.state.engine)  # create_app migrates SQLite only
    try:
        with TestClient(app) as client:
            yield app, client
    finally:
        app.state.engine.dispose()


def fresh_desk(environment: tuple[FastAPI, TestClient]) -> Desk:
    """The environment with empty tables (default queues and routing seeded)."""
    app, client = environment
    engine: Engine = app.state.engine
    app.state.unanswered_log.flush()  # an earlier test's queued questions go before the reset
    reset_database(engine)
    app.state.catalog_holder.refresh()  # the reset was out of band: serve the reseeded library at once
    return Desk(app, client, engine, engine.dialect.name)


@pytest.fixture(scope="module", params=BACKENDS)
def desk_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary
) -> Iterator[tuple[FastAPI, TestClient]]:
    """The desk on SQLite and on PostgreSQL, module-scoped (tables are emptied per test by `desk`)."""
    with desk_environment(desk_url(request, tmp_path_factory), library) as environment:
        yield environment


@pytest.fixture
def desk(desk_env: tuple[FastAPI, TestClient]) -> Desk:
    """The desk app with empty tables, once per backend."""
    return fresh_desk(desk_env)


@pytest.fixture(scope="module")
def sqlite_desk_env(
    tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary
) -> Iterator[tuple[FastAPI, TestClient]]:
    """The desk on SQLite only (for tests of pure authorisation logic)."""
    with desk_environment(f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}", library) as environment:
        yield environment


@pytest.fixture
def sqlite_desk(sqlite_desk_env: tuple[FastAPI, TestClient]) -> Desk:
    """The SQLite desk app with empty tables."""
    return fresh_desk(sqlite_desk_env)


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
