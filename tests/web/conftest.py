"""Browser tests: the real app under uvicorn on a loopback port, driven by Debian's Chromium.

Never a downloaded browser: `/usr/bin/chromium` (apt-get install chromium fonts-noto-cjk; `.ci/run`
installs it). Without it the browser tests skip, or fail under CI=true.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

CHROMIUM = os.environ.get("ZONEDESK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving an app in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=1, lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running while the browser is open: the asyncio tests of
    other packages must not run inside that window.
    """
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def login_page(page: Any, base: str, path: str, username: str, password: str) -> None:
    """Log in through the page's form (username, password, Enter) and wait for the next page."""
    page.goto(f"{base}{path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_load_state()


@contextmanager
def admin_policy_tab(browser: Any, base: str, password: str, *, ready: str, timeout_ms: int) -> Iterator[Any]:
    """A page logged in as `admin` on the admin page's policy tab once `ready` is attached; closed after.

    Any dialog (alert, confirm) fails the test: the admin page reports errors in place."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog {dialog.message!r}"))
    login_page(page, base, "/admin", "admin", password)
    page.click("[data-admin-tab=policy]")
    page.wait_for_selector(ready, state="attached")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    """Browser contexts a test opens, closed after it."""
    opened: list[Any] = []
    yield opened
    for context in opened:
        context.close()
