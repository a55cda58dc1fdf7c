"""👍/👎 on answers: recorded for any signed-in caller (the bot acts for a Telegram user), listed for admins."""

from __future__ import annotations

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user


def test_feedback_from_the_bot_is_listed_for_admins(desk: Desk) -> None:
    for helpful in (True, False):
        response = desk.client.post(
            "/api/v1/feedback",
            json={"text": "IPO有补贴么", "measure_id": "sichuan-hitech-zones-draft#23", "helpful": helpful},
            headers=bot_header(777),
        )
        assert response.status_code == 201, response.text
    with desk.session() as session:
        admin = make_token(session, make_user(session, Role.ADMIN))
        session.commit()
    down = desk.client.get("/api/v1/admin/feedback", params={"helpful": "false"}, headers=auth_header(admin)).json()
    assert down["total"] == 1
    assert down["items"][0]["measure_id"] == "sichuan-hitech-zones-draft#23"
    assert down["items"][0]["helpful"] is False
    assert desk.client.get("/api/v1/admin/feedback", headers=auth_header(admin)).json()["total"] == 2


def test_over_long_feedback_text_is_refused(desk: Desk) -> None:
    response = desk.client.post("/api/v1/feedback", json={"text": "长" * 501, "helpful": True}, headers=bot_header(778))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("输入有误")


def test_admin_sets_a_staff_telegram_id_once_and_the_member_links_it_themself(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_token(session, make_user(session, Role.ADMIN))
        session.commit()
    account = {"username": "zhang.wei", "password": "correct-horse-9", "role": "staff", "queues": ["talent"]}
    created = desk.client.post(
        "/api/v1/admin/users", json={**account, "telegram_user_id": 90001}, headers=auth_header(admin)
    )
    assert created.status_code == 201, created.text
    assert created.json()["telegram_user_id"] == 90001
    # Issue 15: an admin-set id addresses alerts; the bot acts as staff only after the member's own link.
    assert desk.client.get("/api/v1/queues", headers=bot_header(90001)).status_code == 403
    login = desk.client.post("/api/v1/auth/login", json={"username": "zhang.wei", "password": "correct-horse-9"})
    own = auth_header(login.json()["access_token"])
    code = desk.client.post("/api/v1/auth/telegram-code", headers=own).json()["code"]
    linked = desk.client.post("/api/v1/auth/telegram-link", headers=bot_header(90001), json={"code": code})
    assert linked.status_code == 200
    assert desk.client.get("/api/v1/queues", headers=bot_header(90001)).status_code == 200  # acts as staff
    twin = desk.client.post(
        "/api/v1/admin/users",
        json={**account, "username": "li.na", "telegram_user_id": 90001},
        headers=auth_header(admin),
    )
    assert twin.status_code == 409
    assert "Telegram" in twin.json()["detail"]
