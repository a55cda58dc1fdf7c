"""`zonedesk serve` limits: slow request headers are cut off, idle keep-alives end, connections are capped."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.api.conftest import LiveServer
from zonedesk.cli import app as cli
from zonedesk.cli.server_limits import ServerLimits, uvicorn_config


def _tiny_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return app


@pytest.fixture
def limited_server() -> Iterator[int]:
    """A real uvicorn configured as `zonedesk serve` would be, with a short header timeout; yields its port."""
    live = LiveServer(_tiny_app())
    config = uvicorn_config(live.server.config.app, host="127.0.0.1", port=live.port, limits=ServerLimits(0.3, 1, 50))
    config.log_level = "warning"
    live.server = uvicorn.Server(config)
    live.thread = threading.Thread(target=live.server.run, daemon=True)
    with live:
        yield live.port


def _read_until_closed(conn: socket.socket) -> bytes:
    received = b""
    while chunk := conn.recv(4096):
        received += chunk
    return received


def test_a_client_that_never_finishes_its_headers_is_disconnected(limited_server: int) -> None:
    with socket.create_connection(("127.0.0.1", limited_server), timeout=30) as conn:
        conn.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        assert _read_until_closed(conn) == b""  # closed by the server, not by our 30 s timeout


def test_complete_requests_are_served_and_a_second_slow_one_is_cut_off(limited_server: int) -> None:
    with socket.create_connection(("127.0.0.1", limited_server), timeout=30) as conn:
        conn.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        first = conn.recv(4096)
        assert first.startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET /ping HTTP/1.1\r\n")  # the next request on the kept-alive connection stalls
        assert _read_until_closed(conn) == b""


def test_serve_passes_safe_default_limits_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[uvicorn.Config] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, *a, **k: seen.append(server.config))
    monkeypatch.delenv("ZONEDESK_BOT_TOKEN", raising=False)
    monkeypatch.setattr("api.main.create_app", lambda settings: _tiny_app())
    result = CliRunner().invoke(cli, ["serve", "--max-connections", "300"])
    assert result.exit_code == 0, result.output
    (config,) = seen
    assert (config.timeout_keep_alive, config.limit_concurrency) == (ServerLimits().keep_alive_timeout, 300)
    assert config.http.keywords["header_timeout"] == ServerLimits().header_timeout  # type: ignore[union-attr]
