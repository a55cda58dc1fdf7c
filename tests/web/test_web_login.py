"""Logging in and out through the web forms against the real auth routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.main import create_app
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.api.test_throttle import throttled_by_fake_clock
from tests.factories import PASSWORD, make_user, reset_database
from web.session import CSRF_COOKIE, SESSION_COOKIE


@pytest.fixture(scope="module")
def login_app(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> Iterator[FastAPI]:
    url = f"sqlite:///{tmp_path_factory.mktemp('weblogin') / 'z.db'}"
    app = create_app(Settings(database_url=url, secret_key="t"), library=library)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(login_app: FastAPI) -> TestClient:
    reset_database(login_app.state.engine)
    with Session(login_app.state.engine) as session:
        make_user(session, Role.STAFF, username="wangfang", queues=["talent"], with_password=True)
        make_user(session, Role.ENTERPRISE, username="acme", with_password=True)
        session.commit()
    return TestClient(login_app, follow_redirects=False)


def _login(client: TestClient, username: str, password: str, target: str = "/staff") -> object:
    client.get(target)
    form = {"username": username, "password": password, "csrf_token": client.cookies[CSRF_COOKIE], "next": target}
    return client.post("/web/login", data=form)


def test_staff_login_sets_a_signed_httponly_cookie_and_opens_the_console(client: TestClient) -> None:
    response = _login(client, "wangfang", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    set_cookie = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in set_cookie if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie or "samesite=lax" in session_cookie.lower()
    assert 'id="queue-tabs"' in client.get("/staff").text
    assert client.get("/api/v1/queues").status_code == 200  # the cookie works on the JSON API


def test_wrong_password_shows_the_form_again_with_an_error(client: TestClient) -> None:
    response = _login(client, "wangfang", "not the password")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert SESSION_COOKIE not in response.cookies


def test_enterprise_account_cannot_log_into_the_console(client: TestClient) -> None:
    response = _login(client, "acme", PASSWORD)
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_enterprise_logs_in_on_the_chat_page(client: TestClient) -> None:
    assert _login(client, "acme", PASSWORD, target="/").headers["location"] == "/"
    assert 'id="request-form"' in client.get("/").text


def test_logout_revokes_the_token_so_a_copied_cookie_is_worthless(client: TestClient) -> None:
    _login(client, "wangfang", PASSWORD)
    stolen = client.cookies[SESSION_COOKIE]
    csrf = client.cookies[CSRF_COOKIE]
    replay = TestClient(client.app)
    replay.cookies.set(SESSION_COOKIE, stolen)
    assert replay.get("/api/v1/queues").status_code == 200  # the copy works until the logout
    client.post("/web/logout", data={"csrf_token": csrf, "next": "/staff"})
    assert replay.get("/api/v1/queues").status_code == 401


def test_cookie_write_without_csrf_header_is_refused_before_the_route(client: TestClient) -> None:
    _login(client, "acme", PASSWORD, target="/")
    body = {"subject": "s", "body": "b", "contact": "c"}
    refused = client.post("/api/v1/requests", json=body, headers={"Idempotency-Key": "k"})
    assert refused.status_code == 403
    accepted = client.post(
        "/api/v1/requests", json=body, headers={"Idempotency-Key": "k", "X-CSRF-Token": client.cookies[CSRF_COOKIE]}
    )
    assert accepted.status_code == 201


def test_cookies_are_secure_behind_an_https_proxy(client: TestClient) -> None:
    # The browser speaks HTTPS to the proxy, so it sends the Secure CSRF cookie back: so does this client.
    secure = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    secure.headers["X-Forwarded-Proto"] = "https"
    response = _login(secure, "wangfang", PASSWORD)
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    assert any(cookie.startswith(f"{SESSION_COOKIE}=") for cookie in cookies)
    assert all("Secure" in cookie for cookie in cookies)


def test_the_login_form_shares_the_api_throttle(client: TestClient, login_app: FastAPI) -> None:
    with throttled_by_fake_clock(login_app):
        for _ in range(5):
            assert _login(client, "wangfang", "not the password").status_code == 401
        for _ in range(5):
            api = client.post("/api/v1/auth/login", json={"username": "wangfang", "password": "not the password"})
            assert api.status_code == 401
        refused = _login(client, "wangfang", PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert "登录失败次数过多" in refused.text
    assert SESSION_COOKIE not in refused.cookies


def _admin_client(login_app: FastAPI) -> TestClient:
    with Session(login_app.state.engine) as session:
        make_user(session, Role.ADMIN, username="root", with_password=True)
        session.commit()
    admin = TestClient(login_app, follow_redirects=False)
    _login(admin, "root", PASSWORD, target="/admin")
    return admin


def test_admin_page_has_a_users_tab_that_disables_accounts_and_ends_their_web_sessions(
    client: TestClient, login_app: FastAPI
) -> None:
    _login(client, "wangfang", PASSWORD)
    assert client.get("/api/v1/queues").status_code == 200
    admin = _admin_client(login_app)
    page = admin.get("/admin").text
    assert 'data-admin-tab="users"' in page
    assert 'id="users-list"' in page
    csrf = {"X-CSRF-Token": admin.cookies[CSRF_COOKIE]}
    listed = admin.get("/api/v1/admin/users").json()["items"]
    assert {"wangfang", "root"} <= {u["username"] for u in listed}
    assert admin.post("/api/v1/admin/users/wangfang/disable", headers=csrf).status_code == 200
    assert client.get("/api/v1/queues").status_code == 401  # the cookie's token was revoked at once
    again = _login(client, "wangfang", PASSWORD)
    assert again.status_code == 403
    assert "账号已停用" in again.text


def test_admin_resets_a_password_from_the_page_with_the_policy_in_chinese(
    client: TestClient, login_app: FastAPI
) -> None:
    admin = _admin_client(login_app)
    csrf = {"X-CSRF-Token": admin.cookies[CSRF_COOKIE]}
    weak = admin.post("/api/v1/admin/users/wangfang/password", headers=csrf, json={"password": "12345678"})
    assert weak.status_code == 422
    assert weak.json()["detail"].startswith("密码至少10位")
    ok = admin.post("/api/v1/admin/users/wangfang/password", headers=csrf, json={"password": "violet-harbour-73"})
    assert ok.status_code == 204
    assert _login(client, "wangfang", "violet-harbour-73").status_code == 303
