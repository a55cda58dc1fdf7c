"""Fixtures for the event tests: outbox tables on PostgreSQL and SQLite, emitting, Redis servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from outbox_helpers import RedisServer, free_port
from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

from api.events.models import OutboxEvent
from api.schema import prepare_database
from tests.api.conftest import desk, desk_env, live_desk  # noqa: F401 - the real app's fixtures, for the route tests

# Our own schema in the session database: the desk's migrations create `public.outbox_events`
# in the same database, and must not find ours there.
SCHEMA = "zonedesk_events_tests"


@pytest.fixture(scope="session")
def events_pg_url(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a schema holding only the outbox table."""
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    url = f"{postgres_url}?options=-csearch_path%3D{SCHEMA}"
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine, tables=[OutboxEvent.__table__])  # type: ignore[list-item]
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture
def pg_engine(events_pg_url: str) -> Iterator[Engine]:
    """An engine on an empty PostgreSQL outbox."""
    engine = create_engine(events_pg_url, pool_size=20)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE outbox_events RESTART IDENTITY"))
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    """An engine on an empty SQLite outbox, migrated as the app migrates an embedded database."""
    engine = create_engine(sqlite_url, connect_args={"check_same_thread": False})
    prepare_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.integration), "sqlite"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """An empty outbox on each backend in turn."""
    fixture = "pg_engine" if request.param == "postgresql" else "sqlite_engine"
    return request.getfixturevalue(fixture)  # type: ignore[no-any-return]


@pytest.fixture
def own_redis(tmp_path: Path, redis_url: str) -> Iterator[RedisServer]:
    """A second Redis server that the test controls (depends on `redis_url` so CI demands Redis)."""
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()
