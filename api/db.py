"""The database engine, sessions and the schema (Alembic) — PostgreSQL via psycopg 3 or embedded SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Enum, event
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import create_engine

from api.data_dir import create_private_file, private_dir

SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_POOL_SIZE = 10  # per process: `zonedesk serve --workers N` keeps N pools
POSTGRES_POOL_OVERFLOW = 10
# The execution option a unit of work sets on its connection: on SQLite its transaction begins IMMEDIATE.
WRITE_TRANSACTION = "zonedesk_write"


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def str_enum(enum: type[StrEnum], *, length: int) -> Enum:
    """A plain VARCHAR(`length`) column holding `enum`'s values (no database enum type, no CHECK)."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_sqlite(url: str) -> bool:
    """Whether a SQLAlchemy URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    # A DEFERRED transaction that reads and then writes cannot wait for the write lock (two such
    # writers deadlock into SQLITE_BUSY), so a unit of work (WRITE_TRANSACTION) begins IMMEDIATE:
    # it takes the write lock up front and busy_timeout queues the writers. Reads begin DEFERRED and,
    # under WAL, never block a writer nor wait for one.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(
    url: str, *, pool_size: int = POSTGRES_POOL_SIZE, pool_overflow: int = POSTGRES_POOL_OVERFLOW
) -> Engine:
    """An engine for `url`: SQLite with WAL, foreign keys and a busy timeout; PostgreSQL pooled (`pool_size`)."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            # Private from the first byte: SQLite gives its -wal and -shm files the database file's mode.
            private_dir(Path(database).parent)
            create_private_file(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    # Bounded: beyond a few transactions per core more connections only queue for the CPU.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_overflow, pool_pre_ping=True, pool_timeout=60)
