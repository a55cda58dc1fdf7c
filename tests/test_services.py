"""The test fixtures reach the real PostgreSQL and Redis of this machine."""

from __future__ import annotations

import pytest
import redis
import sqlalchemy as sa

pytestmark = pytest.mark.integration


def test_postgres_database_per_session_is_usable(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("select current_database()")).scalar_one().startswith("zonedesk_test_")
    engine.dispose()


def test_redis_database_is_flushed_per_test(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    assert client.dbsize() == 0
    client.set("zonedesk:probe", "1")
    assert client.get("zonedesk:probe") == b"1"
