"""Credential guessing through the API is throttled (DESIGN.md "Limits")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.auth.throttle import LOGIN_PER_ADDRESS, Throttle
from common.roles import Role
from tests.api.conftest import Desk
from tests.api.test_throttle import FakeClock, throttled_by_fake_clock
from tests.factories import PASSWORD, auth_header, make_enterprise, make_token, make_user

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def clock(sqlite_desk: Desk) -> Iterator[FakeClock]:
    """A fresh in-memory throttle on the app, driven by a hand-moved clock."""
    with throttled_by_fake_clock(sqlite_desk.app) as clock:
        yield clock


def test_eleventh_login_for_a_username_is_429_even_with_the_right_password(sqlite_desk: Desk, clock: FakeClock) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.ADMIN, username="root", with_password=True)
        session.commit()
    for _ in range(10):
        wrong = sqlite_desk.client.post(LOGIN, json={"username": "root", "password": "guess-guess"})
        assert wrong.status_code == 401
        clock.advance(1)
    refused = sqlite_desk.client.post(LOGIN, json={"username": "root", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(600 - 10)
    assert refused.json()["detail"].startswith("登录失败次数过多")
    assert "access_token" not in refused.json()
    other = sqlite_desk.client.post(LOGIN, json={"username": "other", "password": "guess-guess"})
    assert other.status_code == 401  # another username from the same address is still checked
    clock.advance(590)
    assert sqlite_desk.client.post(LOGIN, json={"username": "root", "password": PASSWORD}).status_code == 200


def test_a_success_clears_the_username_count(sqlite_desk: Desk, clock: FakeClock) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.STAFF, username="li", with_password=True)
        session.commit()
    for _ in range(9):
        sqlite_desk.client.post(LOGIN, json={"username": "li", "password": "guess-guess"})
    assert sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD}).status_code == 200
    for _ in range(9):
        sqlite_desk.client.post(LOGIN, json={"username": "li", "password": "guess-guess"})
    assert sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD}).status_code == 200


def test_a_hundred_failures_from_one_address_refuse_every_username(sqlite_desk: Desk, clock: FakeClock) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.STAFF, username="li", with_password=True)
        session.commit()
    throttle: Throttle = sqlite_desk.app.state.throttle
    for _ in range(99):
        throttle.fail(LOGIN_PER_ADDRESS, "testclient")  # TestClient's address; argon2 100 times is slow
    assert sqlite_desk.client.post(LOGIN, json={"username": "x1", "password": "guess-guess"}).status_code == 401
    refused = sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 600


def test_eleventh_failed_binding_is_429(sqlite_desk: Desk, clock: FakeClock) -> None:
    with sqlite_desk.session() as session:
        enterprise = make_enterprise(session)
        headers = auth_header(make_token(session, make_user(session, Role.ENTERPRISE)))
        uscc, code = enterprise.uscc, enterprise.binding_code
        session.commit()
    for _ in range(10):
        response = sqlite_desk.client.post(
            "/api/v1/auth/bind", json={"uscc": uscc, "binding_code": "WRONG"}, headers=headers
        )
        assert response.status_code == 404
    refused = sqlite_desk.client.post("/api/v1/auth/bind", json={"uscc": uscc, "binding_code": code}, headers=headers)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    clock.advance(600)
    bound = sqlite_desk.client.post("/api/v1/auth/bind", json={"uscc": uscc, "binding_code": code}, headers=headers)
    assert bound.status_code == 200
