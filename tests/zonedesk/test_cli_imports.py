"""A command imports only what it needs: `zonedesk ask` starts without alembic, the evaluation code or the web app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
sys.argv = ["zonedesk", *sys.argv[1:]]
from zonedesk.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules_loaded_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, timeout=120, env=env
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_ask_loads_no_migrations_evaluation_or_web_app() -> None:
    loaded = _modules_loaded_by("ask", "高企有啥支持", "--json")
    assert "faq.matcher" in loaded  # it did answer
    assert not loaded & {"alembic", "faq.evaluate", "api.main", "fastapi", "uvicorn", "aiogram"}


DATABASE_LAYER = {"sqlalchemy", "sqlmodel", "pydantic_settings", "redis"}


def test_ask_without_a_database_loads_no_database_layer(tmp_path: Path) -> None:
    env = {**os.environ, "ZONEDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'absent.db'}"}
    assert not _modules_loaded_by("ask", "高企有啥支持", "--json", env=env) & DATABASE_LAYER


def test_ask_on_an_unchanged_sqlite_database_loads_no_database_layer(tmp_path: Path) -> None:
    env = {**os.environ, "ZONEDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'zonedesk.db'}"}
    for args in (("db", "upgrade"), ("ask", "高企有啥支持")):  # the first ask reads the database and keeps its inputs
        subprocess.run([sys.executable, "-m", "zonedesk", *args], capture_output=True, check=True, timeout=120, env=env)
    loaded = _modules_loaded_by("ask", "高企有啥支持", "--json", env=env)
    assert "faq.matcher" in loaded
    assert not loaded & DATABASE_LAYER


def test_help_still_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zonedesk", "--help"], capture_output=True, text=True, check=True, timeout=120
    )
    for name in (
        "policy",
        "serve",
        "ask",
        "eval",
        "train-confidence",
        "train-intent",
        "db",
        "users",
        "clauses",
        "eligibility",
        "bot",
    ):
        assert name in done.stdout
