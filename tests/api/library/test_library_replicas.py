"""Two replicas on one PostgreSQL: an import on one is answered by the other within seconds, with Redis
waking it and without Redis by the periodic revision check. Nothing lives on a replica's disk."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from api.main import create_app
from api.schema import prepare_database
from api.settings import Settings
from common.roles import Role
from tests.api.conftest import LiveServer
from tests.conftest import fresh_postgres_database
from tests.factories import auth_header, make_token, make_user

pytestmark = pytest.mark.integration

ZONE_IPO = (Path(__file__).parent / "zone-ipo-policy.txt").read_text(encoding="utf-8")
QUESTION = "高新区企业上市有啥奖励"


@pytest.fixture
def shared_database() -> Iterator[str]:
    with fresh_postgres_database("zonedesk_replicas") as url:
        yield url


def _replica(url: str, redis_url: str | None, poll_seconds: float) -> FastAPI:
    settings = Settings(database_url=url, redis_url=redis_url, secret_key="r", catalog_poll_seconds=poll_seconds)
    return create_app(settings)


def _admin_header(app: FastAPI) -> dict[str, str]:
    with Session(app.state.engine) as session:
        token = make_token(session, make_user(session, Role.ADMIN))
        session.commit()
    return auth_header(token)


def _answered_from(base_url: str, document_id: str, seconds: float) -> dict[str, object] | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer: dict[str, object] = httpx.post(f"{base_url}/api/v1/ask", json={"text": QUESTION}).json()
        matches = answer["matches"]
        assert isinstance(matches, list)
        if matches and matches[0]["document_id"] == document_id:
            return answer
        time.sleep(0.1)
    return None


@pytest.mark.parametrize("with_redis", [True, False], ids=["redis", "polling"])
def test_an_import_on_one_replica_is_answered_by_the_other(
    shared_database: str, redis_url: str, with_redis: bool
) -> None:
    # With Redis the wake-up carries it (the poll is set far beyond the wait); without, the poll does.
    poll = 60.0 if with_redis else 0.5
    first = _replica(shared_database, redis_url if with_redis else None, poll)
    prepare_database(first.state.engine)
    second = _replica(shared_database, redis_url if with_redis else None, poll)
    try:
        with LiveServer(first) as a, LiveServer(second) as b:
            before = httpx.post(f"{b.url}/api/v1/ask", json={"text": QUESTION}).json()
            assert before["matches"][0]["document_id"] != "gaoxin-ipo"
            imported = httpx.post(
                f"{a.url}/api/v1/admin/documents",
                json={
                    "document_id": "gaoxin-ipo",
                    "text": ZONE_IPO,
                    "level": "zone",
                    "doc_number": "成高管发〔2026〕8号",
                },
                headers=_admin_header(first),
            )
            assert imported.status_code == 201, imported.text
            answer = _answered_from(b.url, "gaoxin-ipo", seconds=10)
            assert answer is not None, "the second replica never served the imported document"
            document = answer["answer"]["document"]  # type: ignore[index]
            assert document["doc_number"] == "成高管发〔2026〕8号"
            assert httpx.get(f"{b.url}/api/v1/documents/gaoxin-ipo").json()["level"] == "zone"
            # Retiring on the second replica reaches the first.
            retired = httpx.post(f"{b.url}/api/v1/admin/documents/gaoxin-ipo/retire", headers=_admin_header(second))
            assert retired.status_code == 200
            deadline = time.monotonic() + 10
            while httpx.get(f"{a.url}/api/v1/documents/gaoxin-ipo").json()["status"] != "repealed":
                assert time.monotonic() < deadline, "the first replica never saw the retirement"
                time.sleep(0.1)
    finally:
        for app in (first, second):
            app.state.catalog_holder.stop()
            app.state.engine.dispose()
