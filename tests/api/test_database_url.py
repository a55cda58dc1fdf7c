"""The CLI's quick read of the database URL agrees with the settings, or declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.database_url import default_database_url, environment_database_url, sqlite_file
from api.settings import Settings


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"ZONEDESK_DATABASE_URL": ""},
        {"ZONEDESK_DATABASE_URL": "sqlite:///x.db"},
        {"zonedesk_database_url": "postgresql://h/d"},
    ],
)
def test_the_quick_read_gives_what_the_settings_give(
    environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZONEDESK_DATABASE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert environment_database_url() == Settings().effective_database_url


def test_a_dotenv_file_leaves_the_read_to_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZONEDESK_DATABASE_URL", raising=False)
    (tmp_path / ".env").write_text("ZONEDESK_DATABASE_URL=sqlite:///from-dotenv.db\n", encoding="utf-8")
    assert environment_database_url() is None
    assert Settings().effective_database_url == "sqlite:///from-dotenv.db"


def test_only_a_plain_sqlite_file_url_names_a_file() -> None:
    assert sqlite_file("sqlite:////srv/zonedesk.db") == Path("/srv/zonedesk.db")
    assert sqlite_file("sqlite+pysqlite:///rel.db") == Path("rel.db")
    assert sqlite_file(default_database_url()) is not None
    for other in (
        "postgresql+psycopg://h/d",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///x.db?mode=ro",
        "sqlite:///a%20b.db",
    ):
        assert sqlite_file(other) is None
