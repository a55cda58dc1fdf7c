"""Fixtures for HTTP tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary


@pytest.fixture
def client(library: PolicyLibrary, sqlite_url: str) -> TestClient:
    """A client of an app on a fresh SQLite database."""
    app = create_app(Settings(database_url=sqlite_url), library=library)
    return TestClient(app)
