"""Issue 15: the bot acts as a staff member only for a Telegram id that staff member linked with a one-time code."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from api.auth.models import TelegramLinkCode, User
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user

STAFF_TG = 700001
OTHER_TG = 700002


def _staff(desk: Desk, *, telegram_user_id: int | None = None) -> dict[str, str]:
    with desk.session() as session:
        staff = make_user(session, Role.STAFF, username="wu", queues=["talent"], telegram_user_id=telegram_user_id)
        headers = auth_header(make_token(session, staff))
        session.commit()
    return headers


def _code(desk: Desk, headers: dict[str, str]) -> str:
    response = desk.client.post("/api/v1/auth/telegram-code", headers=headers)
    assert response.status_code == 201
    code: str = response.json()["code"]
    return code


def _link(desk: Desk, code: str, telegram_user_id: int) -> int:
    response = desk.client.post("/api/v1/auth/telegram-link", headers=bot_header(telegram_user_id), json={"code": code})
    return response.status_code


def test_the_bot_cannot_act_as_staff_whose_telegram_id_was_never_linked(sqlite_desk: Desk) -> None:
    _staff(sqlite_desk, telegram_user_id=STAFF_TG)
    assert sqlite_desk.client.get("/api/v1/queues", headers=bot_header(STAFF_TG)).status_code == 403
    refused = sqlite_desk.client.get("/api/v1/auth/me", headers=bot_header(STAFF_TG))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("此 Telegram 账号尚未由本人绑定")


def test_after_linking_with_the_code_the_bot_acts_as_that_staff_member(sqlite_desk: Desk) -> None:
    headers = _staff(sqlite_desk)
    assert _link(sqlite_desk, _code(sqlite_desk, headers), STAFF_TG) == 200
    me = sqlite_desk.client.get("/api/v1/auth/me", headers=bot_header(STAFF_TG)).json()
    assert (me["username"], me["role"], me["telegram_user_id"]) == ("wu", "staff", STAFF_TG)
    assert sqlite_desk.client.get("/api/v1/queues", headers=bot_header(STAFF_TG)).status_code == 200


def test_a_link_code_is_single_use_and_stored_hashed(sqlite_desk: Desk) -> None:
    code = _code(sqlite_desk, _staff(sqlite_desk))
    with sqlite_desk.session() as session:
        assert code not in session.exec(select(TelegramLinkCode.code_hash)).all()
    assert _link(sqlite_desk, code, STAFF_TG) == 200
    assert _link(sqlite_desk, code, OTHER_TG) == 403
    with sqlite_desk.session() as session:
        assert session.exec(select(User).where(User.telegram_user_id == OTHER_TG)).first() is None
    me = sqlite_desk.client.get("/api/v1/auth/me", headers=bot_header(OTHER_TG)).json()
    assert me["role"] == "enterprise"


def test_a_link_code_expires_after_ten_minutes(sqlite_desk: Desk) -> None:
    code = _code(sqlite_desk, _staff(sqlite_desk))
    with sqlite_desk.session() as session:
        for stored in session.exec(select(TelegramLinkCode)).all():
            assert stored.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=10)
            stored.expires_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
            session.add(stored)
        session.commit()
    assert _link(sqlite_desk, code, STAFF_TG) == 403
    assert sqlite_desk.client.get("/api/v1/queues", headers=bot_header(STAFF_TG)).status_code == 403


def test_a_new_code_ends_the_previous_one(sqlite_desk: Desk) -> None:
    headers = _staff(sqlite_desk)
    first = _code(sqlite_desk, headers)
    second = _code(sqlite_desk, headers)
    assert _link(sqlite_desk, first, STAFF_TG) == 403
    assert _link(sqlite_desk, second, STAFF_TG) == 200


def test_only_the_bot_spends_a_code_and_only_staff_get_one(sqlite_desk: Desk) -> None:
    headers = _staff(sqlite_desk)
    code = _code(sqlite_desk, headers)
    spoofed = sqlite_desk.client.post(
        "/api/v1/auth/telegram-link", headers={**headers, "X-Telegram-User-Id": str(STAFF_TG)}, json={"code": code}
    )
    assert spoofed.status_code == 403
    assert sqlite_desk.client.post("/api/v1/auth/telegram-code", headers=bot_header(OTHER_TG)).status_code == 403
    with sqlite_desk.session() as session:
        admin = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    assert sqlite_desk.client.post("/api/v1/auth/telegram-code", headers=admin).status_code == 403


def test_wrong_link_codes_are_throttled_per_telegram_id(sqlite_desk: Desk) -> None:
    code = _code(sqlite_desk, _staff(sqlite_desk))
    guesser = 700099  # its own id: the throttle outlives the test in the module's app
    statuses = [_link(sqlite_desk, "WRONGCOD", guesser) for _ in range(11)]
    assert statuses == [403] * 10 + [429]
    assert _link(sqlite_desk, code, guesser) == 429


def test_linking_takes_the_telegram_id_from_the_bot_created_enterprise_account(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        make_user(session, Role.ENTERPRISE, username=None, telegram_user_id=STAFF_TG)
        session.commit()
    assert _link(sqlite_desk, _code(sqlite_desk, _staff(sqlite_desk)), STAFF_TG) == 200
    assert sqlite_desk.client.get("/api/v1/auth/me", headers=bot_header(STAFF_TG)).json()["username"] == "wu"


def test_reads_for_an_unknown_telegram_id_create_no_account(sqlite_desk: Desk) -> None:
    for path in ("/api/v1/auth/me", "/api/v1/requests", "/api/v1/profile", "/api/v1/requests/ZD-000001"):
        sqlite_desk.client.get(path, headers=bot_header(OTHER_TG))
    listed = sqlite_desk.client.get("/api/v1/requests", headers=bot_header(OTHER_TG)).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    assert sqlite_desk.client.get("/api/v1/requests/ZD-000001", headers=bot_header(OTHER_TG)).status_code == 404
    with sqlite_desk.session() as session:
        assert session.exec(select(User).where(User.telegram_user_id == OTHER_TG)).first() is None
