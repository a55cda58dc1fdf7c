"""Accounts: disable and enable, password change and reset, revoking every token, the password policy."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from api.auth.models import Role
from api.auth.service import token_digest, user_for_token
from api.db import make_engine, utcnow
from api.schema import alembic_config
from tests.api.conftest import Desk
from tests.conftest import fresh_postgres_database
from tests.factories import PASSWORD, auth_header, make_token, make_user

LOGIN = "/api/v1/auth/login"
USERS = "/api/v1/admin/users"
NEW_PASSWORD = "violet-harbour-73"


def _admin_and_staff(desk: Desk) -> tuple[dict[str, str], dict[str, str]]:
    """Headers of an admin and of staff member `li` (password PASSWORD)."""
    with desk.session() as session:
        admin = auth_header(make_token(session, make_user(session, Role.ADMIN, username="root")))
        staff = auth_header(make_token(session, make_user(session, Role.STAFF, username="li", with_password=True)))
        session.commit()
    return admin, staff


def _login(desk: Desk, password: str = PASSWORD, username: str = "li") -> int:
    return desk.client.post(LOGIN, json={"username": username, "password": password}).status_code


def test_disabled_account_loses_its_tokens_at_once_and_login_says_why(sqlite_desk: Desk) -> None:
    admin, staff = _admin_and_staff(sqlite_desk)
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 200
    response = sqlite_desk.client.post(f"{USERS}/li/disable", headers=admin)
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 401
    refused = sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("账号已停用")
    wrong = sqlite_desk.client.post(LOGIN, json={"username": "li", "password": "not-the-password"})
    assert wrong.json()["detail"].startswith("用户名或密码错误")  # a guesser learns nothing about the account
    assert sqlite_desk.client.post(f"{USERS}/li/enable", headers=admin).json()["is_active"] is True
    assert _login(sqlite_desk) == 200
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 401  # old tokens stay revoked


def test_admin_cannot_disable_their_own_account(sqlite_desk: Desk) -> None:
    admin, _ = _admin_and_staff(sqlite_desk)
    response = sqlite_desk.client.post(f"{USERS}/root/disable", headers=admin)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("不能停用")


def test_only_admins_manage_accounts(sqlite_desk: Desk) -> None:
    _, staff = _admin_and_staff(sqlite_desk)
    for action in ("disable", "enable", "revoke-tokens"):
        assert sqlite_desk.client.post(f"{USERS}/root/{action}", headers=staff).status_code == 403
    reset = sqlite_desk.client.post(f"{USERS}/root/password", headers=staff, json={"password": NEW_PASSWORD})
    assert reset.status_code == 403
    assert sqlite_desk.client.post(f"{USERS}/root/disable").status_code == 401


def test_unknown_account_is_404_in_chinese(sqlite_desk: Desk) -> None:
    admin, _ = _admin_and_staff(sqlite_desk)
    response = sqlite_desk.client.post(f"{USERS}/nobody/disable", headers=admin)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("没有这个账号")


def test_admin_reset_sets_the_password_and_ends_sessions(sqlite_desk: Desk) -> None:
    admin, staff = _admin_and_staff(sqlite_desk)
    response = sqlite_desk.client.post(f"{USERS}/li/password", headers=admin, json={"password": NEW_PASSWORD})
    assert response.status_code == 204
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 401
    assert (_login(sqlite_desk, PASSWORD), _login(sqlite_desk, NEW_PASSWORD)) == (401, 200)


@pytest.mark.parametrize("length", [72, 73, 256])
def test_a_long_password_is_checked_not_crashed_on(sqlite_desk: Desk, length: int) -> None:
    """zxcvbn refuses input over 72 characters: the policy checks a prefix, so a long password is a 204."""
    admin, _ = _admin_and_staff(sqlite_desk)
    password = ("violet-harbour-73-" * 20)[:length]
    response = sqlite_desk.client.post(f"{USERS}/li/password", headers=admin, json={"password": password})
    assert response.status_code == 204, response.text
    assert _login(sqlite_desk, password) == 200


def test_own_password_change_needs_the_current_password_and_keeps_this_session_only(sqlite_desk: Desk) -> None:
    _, staff = _admin_and_staff(sqlite_desk)
    other = sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD}).json()["access_token"]
    wrong = sqlite_desk.client.post(
        "/api/v1/auth/password",
        headers=staff,
        json={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 403
    assert wrong.json()["detail"].startswith("当前密码不正确")
    changed = sqlite_desk.client.post(
        "/api/v1/auth/password", headers=staff, json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 204
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 200
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=auth_header(other)).status_code == 401
    assert (_login(sqlite_desk, PASSWORD), _login(sqlite_desk, NEW_PASSWORD)) == (401, 200)


def test_revoke_all_ends_every_token_of_the_caller(sqlite_desk: Desk) -> None:
    admin, staff = _admin_and_staff(sqlite_desk)
    second = auth_header(
        sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD}).json()["access_token"]
    )
    assert sqlite_desk.client.post("/api/v1/auth/revoke-all", headers=staff).status_code == 204
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 401
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=second).status_code == 401
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=admin).status_code == 200  # only the caller's
    fresh = auth_header(
        sqlite_desk.client.post(LOGIN, json={"username": "li", "password": PASSWORD}).json()["access_token"]
    )
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=fresh).status_code == 200


def test_admin_revokes_another_accounts_tokens(sqlite_desk: Desk) -> None:
    admin, staff = _admin_and_staff(sqlite_desk)
    assert sqlite_desk.client.post(f"{USERS}/li/revoke-tokens", headers=admin).status_code == 204
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=staff).status_code == 401
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=admin).status_code == 200


@pytest.mark.parametrize("password", ["12345678", "1234567890", "password123", "qwertyuiop", "short-9"])
def test_weak_passwords_are_refused_for_every_role_with_422_in_chinese(sqlite_desk: Desk, password: str) -> None:
    admin, staff = _admin_and_staff(sqlite_desk)
    for role in Role:
        body = {"username": f"new-{role.value}", "password": password, "role": role.value}
        response = sqlite_desk.client.post(USERS, headers=admin, json=body)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("密码")
    reset = sqlite_desk.client.post(f"{USERS}/li/password", headers=admin, json={"password": password})
    own = sqlite_desk.client.post(
        "/api/v1/auth/password", headers=staff, json={"current_password": PASSWORD, "new_password": password}
    )
    assert (reset.status_code, own.status_code) == (422, 422)
    assert _login(sqlite_desk) == 200  # nothing changed


def test_a_strong_password_is_accepted(sqlite_desk: Desk) -> None:
    admin, _ = _admin_and_staff(sqlite_desk)
    body = {"username": "wang", "password": NEW_PASSWORD, "role": "admin"}
    assert sqlite_desk.client.post(USERS, headers=admin, json=body).status_code == 201
    assert _login(sqlite_desk, NEW_PASSWORD, username="wang") == 200


def _migrated_tokens_survive(url: str) -> None:
    """Upgrade a database holding a user and a token from 0004 to head: the token still works."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.execute(
                text(
                    "INSERT INTO users (id, username, role, is_active, created_at)"
                    " VALUES (1, 'li', 'staff', true, :now)"
                ),
                {"now": utcnow()},
            )
            connection.execute(
                text("INSERT INTO auth_tokens (token_hash, user_id, created_at) VALUES (:digest, 1, :now)"),
                {"digest": token_digest("kept-token"), "now": utcnow()},
            )
            connection.commit()
            command.upgrade(config, "head")
            connection.commit()
        with Session(engine) as session:
            user = user_for_token(session=session, token="kept-token")
            assert user is not None
            assert user.token_version == 0
    finally:
        engine.dispose()


def test_token_version_migration_keeps_existing_tokens_on_sqlite(sqlite_url: str) -> None:
    _migrated_tokens_survive(sqlite_url)


@pytest.mark.integration
def test_token_version_migration_keeps_existing_tokens_on_postgres() -> None:
    with fresh_postgres_database("zonedesk_tokens") as url:
        _migrated_tokens_survive(url)
