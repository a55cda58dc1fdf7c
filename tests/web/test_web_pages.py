"""Page routes, role checks and the cookie-session middleware, over HTTP without a browser."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from policy_index.library import PolicyLibrary
from web.session import CSRF_COOKIE, SESSION_COOKIE, encode_session, new_session


def _app(library: PolicyLibrary, sqlite_url: str) -> FastAPI:
    app = create_app(Settings(database_url=sqlite_url, secret_key="test-secret"), library=library)

    def echo(request: Request) -> dict[str, str | None]:
        return {"authorization": request.headers.get("authorization")}

    app.add_api_route("/api/v1/_test/echo", echo, methods=["GET", "POST"])
    return app


def _login_as(client: TestClient, app: FastAPI, role: str, csrf: str = "csrf-1") -> None:
    session = new_session(token=f"token-of-{role}", role=role, username=f"{role}1", csrf=csrf)
    client.cookies.set(SESSION_COOKIE, encode_session(session, app.state.web_session_key))
    client.cookies.set(CSRF_COOKIE, csrf)


def test_chat_page_is_public_and_sets_a_csrf_cookie(library: PolicyLibrary, sqlite_url: str) -> None:
    client = TestClient(_app(library, sqlite_url))
    response = client.get("/")
    assert response.status_code == 200
    assert "问政策" in response.text
    assert response.cookies.get(CSRF_COOKIE)
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_staff_without_session_shows_login_form_username_first(library: PolicyLibrary, sqlite_url: str) -> None:
    client = TestClient(_app(library, sqlite_url))
    html = client.get("/staff").text
    assert 'id="login-form"' in html
    assert html.index('name="username"') < html.index('name="password"')


def test_enterprise_session_is_refused_by_staff_and_admin_pages(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "enterprise")
    assert client.get("/staff").status_code == 403
    assert client.get("/admin").status_code == 403
    assert client.get("/").status_code == 200


def test_staff_session_opens_console_but_not_admin(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "staff")
    response = client.get("/staff")
    assert response.status_code == 200
    assert 'id="queue-tabs"' in response.text
    assert 'id="login-form"' not in response.text
    assert client.get("/admin").status_code == 403


def test_admin_session_opens_admin(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "admin")
    response = client.get("/admin")
    assert response.status_code == 200
    assert 'data-admin-tab="faq"' in response.text
    assert 'id="login-form"' not in response.text


def test_session_cookie_becomes_bearer_token_on_reads(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "staff")
    assert client.get("/api/v1/_test/echo").json() == {"authorization": "Bearer token-of-staff"}


def test_cookie_write_without_csrf_header_is_refused(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "staff", csrf="right")
    refused = client.post("/api/v1/_test/echo")
    assert refused.status_code == 403
    assert "校验" in refused.json()["detail"]
    assert client.post("/api/v1/_test/echo", headers={"X-CSRF-Token": "wrong"}).status_code == 403
    accepted = client.post("/api/v1/_test/echo", headers={"X-CSRF-Token": "right"})
    assert accepted.json() == {"authorization": "Bearer token-of-staff"}


def test_explicit_authorization_header_is_left_alone(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    _login_as(client, app, "staff")
    response = client.post("/api/v1/_test/echo", headers={"Authorization": "Bearer bot"})
    assert response.json() == {"authorization": "Bearer bot"}


def test_forged_session_cookie_is_ignored(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app)
    forged = encode_session(new_session(token="t", role="admin", username="x", csrf="c"), b"not the key")
    client.cookies.set(SESSION_COOKIE, forged)
    assert client.get("/api/v1/_test/echo").json() == {"authorization": None}
    assert 'id="login-form"' in client.get("/admin").text


def test_login_form_without_csrf_is_refused(library: PolicyLibrary, sqlite_url: str) -> None:
    client = TestClient(_app(library, sqlite_url))
    client.get("/staff")
    response = client.post("/web/login", data={"username": "a", "password": "b", "csrf_token": "nope"})
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_logout_clears_the_session(library: PolicyLibrary, sqlite_url: str) -> None:
    app = _app(library, sqlite_url)
    client = TestClient(app, follow_redirects=False)
    _login_as(client, app, "staff", csrf="c9")
    assert client.post("/web/logout", data={"csrf_token": "bad"}).status_code == 403
    response = client.post("/web/logout", data={"csrf_token": "c9", "next": "/staff"})
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    assert 'zd_session=""' in response.headers.get("set-cookie", "")
