"""Shared fixtures: real PostgreSQL and Redis over the network, SQLite in a temp dir.

With CI=true a test that needs PostgreSQL or Redis fails when they are unreachable; elsewhere it
skips, so a newcomer without them still runs the rest.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis

from policy_index.clauses import ClauseIndex, load_bundled_clause_index
from policy_index.library import PolicyLibrary, load_bundled_library

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_DSN = os.environ.get("ZONEDESK_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("ZONEDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_configure(config: pytest.Config) -> None:
    """Keep every test (and the CLI subprocesses it starts) away from the user's real data directory,
    where the embedded default database lives."""
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="zonedesk-test-data-")


def unavailable(what: str, exc: Exception) -> None:
    """Fail under CI, skip elsewhere."""
    message = f"{what} unreachable: {exc}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def library() -> PolicyLibrary:
    """The bundled policy library, parsed once."""
    return load_bundled_library()


@contextmanager
def fresh_postgres_database(prefix: str = "zonedesk_test") -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its SQLAlchemy URL, drop it after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        unavailable("PostgreSQL", exc)
        raise
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(POSTGRES_ADMIN_DSN)
    host, port, user = info.get("host", "127.0.0.1"), info.get("port", "5432"), info.get("user", "postgres")
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a PostgreSQL database created for this test session and dropped after."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[str]:
    """URL of a Redis database flushed before and after the test."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """SQLAlchemy URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'zonedesk.db'}"


@pytest.fixture(scope="session")
def clause_index(library: PolicyLibrary) -> ClauseIndex:
    """The bundled facts and eligibility clauses, loaded once."""
    return load_bundled_clause_index(library)
