"""Login, bearer tokens and the bot's service token."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from api.auth.models import AuthToken, Role, User
from api.auth.service import telegram_user
from tests.api.conftest import Desk
from tests.factories import PASSWORD, SERVICE_TOKEN, auth_header, bot_header, make_token, make_user


def test_login_returns_a_bearer_token_with_the_role(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.STAFF, username="li", queues=["talent"], with_password=True)
        session.commit()
    response = sqlite_desk.client.post("/api/v1/auth/login", json={"username": "li", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["role"]) == ("bearer", "staff")
    me = sqlite_desk.client.get("/api/v1/auth/me", headers=auth_header(body["access_token"])).json()
    assert (me["username"], me["queues"]) == ("li", ["talent"])
    with sqlite_desk.session() as session:
        stored = session.exec(select(AuthToken.token_hash)).all()
    assert body["access_token"] not in stored  # only the hash is kept


def test_wrong_password_is_401_in_chinese(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.ADMIN, username="root", with_password=True)
        session.commit()
    for username in ("root", "nobody"):
        response = sqlite_desk.client.post("/api/v1/auth/login", json={"username": username, "password": "wrong-pass"})
        assert response.status_code == 401
        assert response.json()["detail"].startswith("用户名或密码错误")


def test_logout_revokes_the_token(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.STAFF)))
        session.commit()
    assert sqlite_desk.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_expired_token_is_401(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.STAFF)))
        for token in session.exec(select(AuthToken)).all():
            token.expires_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
            session.add(token)
        session.commit()
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_service_token_acts_for_the_named_telegram_user_created_on_first_write(sqlite_desk: Desk) -> None:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": "123456789"}
    me = sqlite_desk.client.get("/api/v1/auth/me", headers=headers).json()
    assert (me["role"], me["telegram_user_id"], me["enterprise"]) == ("enterprise", 123456789, None)
    with sqlite_desk.session() as session:  # a read creates no account (issue 15)
        assert session.exec(select(User).where(User.telegram_user_id == 123456789)).first() is None
    for _ in range(2):
        body = {"uscc": "914403001922038216", "binding_code": "wrong"}
        assert (
            sqlite_desk.client.post("/api/v1/auth/bind", headers=headers, json=body).status_code == 404
        )  # no such firm
    with sqlite_desk.session() as session:
        assert len(session.exec(select(User).where(User.telegram_user_id == 123456789)).all()) == 1
    missing = sqlite_desk.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    assert missing.status_code == 401
    bad = sqlite_desk.client.get("/api/v1/auth/me", headers={**headers, "X-Telegram-User-Id": "abc"})
    assert bad.status_code == 422


def test_telegram_header_is_ignored_without_the_service_token(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.STAFF, username="zhang")))
        session.commit()
    spoofed = sqlite_desk.client.get("/api/v1/auth/me", headers={**headers, "X-Telegram-User-Id": "42"}).json()
    assert (spoofed["username"], spoofed["telegram_user_id"]) == ("zhang", None)
    anonymous = sqlite_desk.client.get("/api/v1/auth/me", headers={"X-Telegram-User-Id": "42"})
    assert anonymous.status_code == 401
    with sqlite_desk.session() as session:
        assert session.exec(select(User).where(User.telegram_user_id == 42)).first() is None


def test_service_token_never_acts_as_an_admin(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.ADMIN, telegram_user_id=990001)
        session.commit()
    response = sqlite_desk.client.get("/api/v1/admin/users", headers=bot_header(990001))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("管理员不能通过机器人令牌操作")


def test_admins_list_accounts_by_role_then_username_a_page_at_a_time(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        admin = make_user(session, Role.ADMIN, username="root")
        make_user(session, Role.STAFF, username="wang")
        make_user(session, Role.ENTERPRISE, username="zhao")
        make_user(session, Role.STAFF, username="li")
        headers = auth_header(make_token(session, admin))
        session.commit()
    listed = sqlite_desk.client.get("/api/v1/admin/users", headers=headers).json()
    assert [(u["role"], u["username"]) for u in listed["items"]] == [
        ("admin", "root"),
        ("enterprise", "zhao"),
        ("staff", "li"),
        ("staff", "wang"),
    ]
    page = sqlite_desk.client.get("/api/v1/admin/users?limit=2&offset=1", headers=headers).json()
    assert ([u["username"] for u in page["items"]], page["total"]) == (["zhao", "li"], 4)


def test_me_shows_the_display_name(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        staff = make_user(session, Role.STAFF, username="li", queues=["talent"])
        staff.display_name = "李老师"
        headers = auth_header(make_token(session, staff))
        session.commit()
    me = sqlite_desk.client.get("/api/v1/auth/me", headers=headers).json()
    assert (me["username"], me["display_name"]) == ("li", "李老师")


def test_a_known_telegram_user_is_found_without_discarding_the_callers_unsaved_work(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        known = telegram_user(session=session, telegram_user_id=4242)
        pending = make_user(session, Role.STAFF, username="pending")
        again = telegram_user(session=session, telegram_user_id=4242)
        assert again.id == known.id
        assert session.exec(select(User.id).where(User.username == "pending")).one() == pending.id
