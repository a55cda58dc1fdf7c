"""The configured database URL, read for a command that must start fast (no pydantic-settings).

`api.settings` is the reader of record. This reads its one variable the same way — ZONEDESK_DATABASE_URL
in any case, empty meaning the SQLite file in the data directory — and declines (None) wherever the two
could disagree: a `.env` file in the working directory, or the variable set in more than one case.
"""

from __future__ import annotations

import os
from pathlib import Path

from api.data_dir import default_data_dir

ENV_FILE = ".env"  # read by `api.settings.Settings` too
VARIABLE = "zonedesk_database_url"
SQLITE_SCHEMES = ("sqlite:///", "sqlite+pysqlite:///")


def default_database_url() -> str:
    """An SQLite file in the user's data directory."""
    return f"sqlite:///{default_data_dir() / 'zonedesk.db'}"


def environment_database_url() -> str | None:
    """The database URL the settings would give, from the environment alone; None when only they can tell."""
    if Path(ENV_FILE).exists():
        return None
    values = [value for name, value in os.environ.items() if name.lower() == VARIABLE]
    if len(values) > 1:
        return None
    return (values[0] if values else "") or default_database_url()


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (`sqlite:///path`); None for any other URL, or one with options."""
    for scheme in SQLITE_SCHEMES:
        if url.startswith(scheme):
            path = url.removeprefix(scheme)
            if path and path != ":memory:" and not any(c in path for c in "?%#"):
                return Path(path)
    return None
