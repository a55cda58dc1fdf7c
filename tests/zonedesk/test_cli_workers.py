"""`zonedesk serve --workers N`: N processes serve one port, and each writes its queued log on shutdown (SIGTERM).

One process (the default) writes it too: repeats answered from /ask's kept answers are counted.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.settings import BotSettings
from zonedesk.cli import app as cli

UNANSWERABLE = "食堂中午几点开饭"


def _must_not_serve(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("serve_workers ran: the bot was not refused")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """The worker processes `pid` spawned (not multiprocessing's resource tracker)."""
    children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [child for child in children if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()]


@pytest.mark.parametrize("workers", [1, 2])
def test_n_workers_serve_one_port_and_flush_the_unanswered_log_on_shutdown(tmp_path: Path, workers: int) -> None:
    database = tmp_path / "z.db"
    port = _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("ZONEDESK_")},
        "ZONEDESK_DATABASE_URL": f"sqlite:///{database}",
        "ZONEDESK_SECRET_KEY": "test-secret",
        "HOME": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "zonedesk", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        if workers > 1:
            assert len(_workers(server.pid)) == workers
        for _ in range(4):  # over fresh connections: either worker may answer
            answer = httpx.post(f"{url}/api/v1/ask", json={"text": UNANSWERABLE}, timeout=30).json()
            assert answer["confident"] is False
    finally:
        server.terminate()
        server.wait(timeout=60)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT text, SUM(count) FROM unanswered_questions GROUP BY text").fetchall()
    assert rows == [(UNANSWERABLE, 4)]


def test_workers_refuse_the_embedded_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZONEDESK_BOT_TOKEN", "123:abc")
    monkeypatch.setattr("bot.settings.get_settings", BotSettings)  # read afresh, not the process's cached one
    monkeypatch.setattr("zonedesk.cli.serve.serve_workers", _must_not_serve)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "zonedesk bot" in result.output
