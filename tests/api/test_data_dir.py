"""The app's private files: the persisted secret key, the SQLite database and jieba's cache."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.ask.pipeline import pipeline
from api.auth.models import Role
from api.data_dir import SECRET_KEY_FILE, default_data_dir, persisted_secret_key
from api.db import make_engine
from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.factories import PASSWORD, make_user
from web.session import CSRF_COOKIE, SESSION_COOKIE
from web.setup import session_key


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_secret_key_is_generated_once_private_and_never_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / SECRET_KEY_FILE
    with caplog.at_level(logging.DEBUG):
        first = persisted_secret_key(path)
        second = persisted_secret_key(path)
    assert first == second
    assert len(first) >= 32
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert first not in caplog.text
    assert [p.name for p in path.parent.iterdir()] == [SECRET_KEY_FILE]  # no draft left behind


def test_a_configured_secret_key_wins_and_writes_nothing(tmp_path: Path) -> None:
    key = session_key(Settings(secret_key="configured"), data_dir=tmp_path)
    assert key.endswith(b"configured")
    assert list(tmp_path.iterdir()) == []


def test_web_session_survives_a_restart_without_a_configured_secret_key(
    sqlite_url: str, library: PolicyLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZONEDESK_SECRET_KEY", raising=False)  # CI configures one
    first = create_app(Settings(database_url=sqlite_url), library=library)
    with Session(first.state.engine) as session:
        make_user(session, Role.STAFF, username="li", queues=["talent"], with_password=True)
        session.commit()
    browser = TestClient(first, follow_redirects=False)
    browser.get("/staff")
    form = {"username": "li", "password": PASSWORD, "csrf_token": browser.cookies[CSRF_COOKIE], "next": "/staff"}
    assert browser.post("/web/login", data=form).status_code == 303
    cookie = browser.cookies[SESSION_COOKIE]
    first.state.engine.dispose()
    restarted = create_app(Settings(database_url=sqlite_url), library=library)
    try:
        after = TestClient(restarted, cookies={SESSION_COOKIE: cookie})
        assert after.get("/api/v1/auth/me").json()["username"] == "li"
        assert _mode(default_data_dir() / SECRET_KEY_FILE) == 0o600
    finally:
        restarted.state.engine.dispose()


def test_sqlite_database_file_is_created_private(tmp_path: Path) -> None:
    database = tmp_path / "new" / "zonedesk.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (a INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert _mode(database) == 0o600
        assert _mode(database.parent) == 0o700
        assert all(_mode(p) & 0o077 == 0 for p in database.parent.iterdir())  # -wal and -shm too
    finally:
        engine.dispose()


def test_the_apps_jieba_cache_lives_in_its_private_data_directory() -> None:
    cache_dir = Path(pipeline().analyzer.tokenizer.tmp_dir)
    assert cache_dir.is_relative_to(default_data_dir())
    assert _mode(cache_dir) == _mode(default_data_dir()) == 0o700
    assert any(p.suffix == ".cache" for p in cache_dir.iterdir())
