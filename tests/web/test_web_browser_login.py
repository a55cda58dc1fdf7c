"""The login form in a real browser: username first, then password; Enter submits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from tests.web.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def server(library: PolicyLibrary, sqlite_url: str) -> Iterator[LiveServer]:
    with LiveServer(create_app(Settings(database_url=sqlite_url, secret_key="s"), library=library)) as live:
        yield live


def test_staff_login_form_username_then_password_and_enter_submits(browser: Any, server: LiveServer) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/staff")
    fields = page.locator("#login-form input:not([type=hidden])")
    assert fields.nth(0).get_attribute("name") == "username"
    assert fields.nth(1).get_attribute("name") == "password"
    page.keyboard.type("nobody")  # the username field has focus
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-error")
    assert page.locator("#login-form").is_visible()
    page.close()
