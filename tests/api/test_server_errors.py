"""Every 5xx is JSON `{"detail"}`; a database that cannot be reached is a 503 (DESIGN.md "Limits")."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from api.deps import get_catalog
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.factories import SERVICE_TOKEN, auth_header


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def outage_app(library: PolicyLibrary) -> Iterator[FastAPI]:
    """An app whose PostgreSQL is unreachable (connection refused)."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/zonedesk"
    app = create_app(Settings(database_url=url, bot_service_token=SERVICE_TOKEN), library=library)
    yield app
    app.state.catalog_holder.stop()
    app.state.engine.dispose()


@pytest.fixture
def outage(outage_app: FastAPI) -> TestClient:
    return TestClient(outage_app, raise_server_exceptions=False)


def _is_chinese_detail(body: object) -> bool:
    assert isinstance(body, dict)
    return isinstance(body["detail"], str) and "\u4e00" <= body["detail"][0] <= "\u9fff"


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/api/v1/auth/login", {"json": {"username": "root", "password": "secret-secret"}}),
        ("GET", "/api/v1/auth/me", {"headers": auth_header("some-token")}),
        ("GET", "/api/v1/auth/me", {"headers": {**auth_header(SERVICE_TOKEN), "X-Telegram-User-Id": "42"}}),
        ("GET", "/api/v1/categories", {}),
    ],
)
def test_database_outage_is_a_503_in_chinese(outage: TestClient, method: str, path: str, kwargs: dict) -> None:
    response = outage.request(method, path, **kwargs)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert _is_chinese_detail(response.json())
    assert "Traceback" not in response.text


def test_ask_answers_during_a_database_outage_and_keeps_the_question_queued(outage: TestClient) -> None:
    response = outage.post("/api/v1/ask", json={"text": "今天天气怎么样，能不能帮我订一张机票"})
    assert response.status_code == 200  # answering needs no database
    assert response.json()["confident"] is False
    app = outage.app
    assert isinstance(app, FastAPI)
    with pytest.raises(OperationalError):
        app.state.unanswered_log.flush()  # the write fails now…
    with pytest.raises(OperationalError):
        app.state.unanswered_log.flush()  # …and the question is still queued for the next try


def test_an_unexpected_error_is_a_json_500_without_a_traceback(client: TestClient) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals /etc/zonedesk")

    app = client.app
    assert isinstance(app, FastAPI)
    app.dependency_overrides[get_catalog] = broken
    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/documents")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert _is_chinese_detail(response.json())
    assert "secret internals" not in response.text
