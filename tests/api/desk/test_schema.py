"""Migrations from an empty database on SQLite and PostgreSQL, and the `zonedesk db`/`users` commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from api.db import make_engine
from api.models import metadata
from api.schema import MIGRATIONS_DIR, alembic_config, upgrade_schema
from tests.conftest import fresh_postgres_database
from zonedesk.cli import main


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database("zonedesk_empty") as url:
        yield url


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """The `zonedesk` entry point (`main`, with its error handling) run in-process."""

    def run(*args: str, database_url: str) -> Run:
        with patch.object(sys, "argv", ["zonedesk", *args, "--database-url", database_url]):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def test_migrations_build_the_model_schema_from_empty(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
            head = ScriptDirectory.from_config(alembic_config(empty_url)).get_current_head()
            assert context.get_current_revision() == head
    finally:
        engine.dispose()


def test_outbox_table_is_in_the_migration() -> None:
    source = next((MIGRATIONS_DIR / "versions").glob("0001_*.py")).read_text(encoding="utf-8")
    assert "'outbox_events'" in source


def test_db_upgrade_twice_is_idempotent_and_seeds_defaults(empty_url: str, run_cli: Callable[..., Run]) -> None:
    first = run_cli("db", "upgrade", database_url=empty_url)
    second = run_cli("db", "upgrade", database_url=empty_url)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            queues = connection.execute(text("SELECT key FROM queues ORDER BY key")).scalars().all()
            routes = connection.execute(text("SELECT count(*) FROM routing_rules")).scalar_one()
    finally:
        engine.dispose()
    assert queues == ["approvals", "foreign-talent", "front-desk", "talent"]
    assert routes == 8


def test_users_create_right_after_db_upgrade(empty_url: str, run_cli: Callable[..., Run]) -> None:
    assert run_cli("db", "upgrade", database_url=empty_url).returncode == 0
    args = ("users", "create", "--role", "staff", "--username", "li", "--password", "secret-pass")
    created = run_cli(*args, "--queue", "talent", "--queue", "approvals", database_url=empty_url)
    assert created.returncode == 0, created.stderr
    duplicate = run_cli(*args, database_url=empty_url)
    assert duplicate.returncode == 2
    assert duplicate.stderr.strip() == "zonedesk: 错误：用户名已存在：li (username taken)"
    unknown = run_cli("users", "create", "--role", "staff", "--username", "wang", "--password", "secret-pass",
                      "--queue", "nope", database_url=empty_url)  # fmt: skip
    assert (unknown.returncode, unknown.stderr.count("\n")) == (2, 1)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT q.key FROM queue_memberships m JOIN queues q ON q.id = m.queue_id "
                    "JOIN users u ON u.id = m.user_id WHERE u.username = 'li' ORDER BY q.key"
                )
            )
            assert rows.scalars().all() == ["approvals", "talent"]
            hashed = connection.execute(text("SELECT password_hash FROM users WHERE username = 'li'")).scalar_one()
            assert hashed.startswith("$argon2id$")
    finally:
        engine.dispose()


def test_migration_0005_keeps_logged_questions_as_new_and_downgrades(empty_url: str) -> None:
    engine = make_engine(empty_url)
    config = alembic_config(empty_url)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.execute(
                text(
                    "INSERT INTO unanswered_questions (text, normalized_text, count, first_seen, last_seen) "
                    "VALUES ('停车位', '停车位', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            command.upgrade(config, "0005")
            row = connection.execute(text("SELECT status, answered_by FROM unanswered_questions")).one()
            assert tuple(row) == ("new", None)
            assert connection.execute(text("SELECT count(*) FROM ask_picks")).scalar_one() == 0
            command.downgrade(config, "0004")
            assert connection.execute(text("SELECT count(*) FROM unanswered_questions")).scalar_one() == 1
            connection.commit()
    finally:
        engine.dispose()
