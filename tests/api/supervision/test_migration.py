"""Migration 0010 keeps memberships (as plain members) and downgrades cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from api.db import make_engine
from api.schema import alembic_config
from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database("zonedesk_0010") as url:
        yield url


def test_existing_members_are_not_supervisors_and_0010_downgrades(empty_url: str) -> None:
    engine = make_engine(empty_url)
    config = alembic_config(empty_url)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")
            connection.execute(text("INSERT INTO queues (key, name, department, sla_hours) VALUES ('q', 'Q', 'D', 8)"))
            connection.execute(
                text(
                    "INSERT INTO users (username, role, is_active, token_version, created_at) "
                    "VALUES ('li', 'staff', true, 0, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(text("INSERT INTO queue_memberships (user_id, queue_id) VALUES (1, 1)"))
            command.upgrade(config, "0010")
            assert connection.execute(text("SELECT supervisor FROM queue_memberships")).scalar_one() in (False, 0)
            command.downgrade(config, "0007")
            assert connection.execute(text("SELECT count(*) FROM queue_memberships")).scalar_one() == 1
            tables = {"sla_alerts", "ticket_supervisions", "canned_replies", "job_leases"}
            if connection.dialect.name == "sqlite":
                listed = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
            else:
                listed = connection.execute(text("SELECT tablename FROM pg_tables")).scalars()
            assert tables.isdisjoint(set(listed))
            connection.commit()
    finally:
        engine.dispose()
