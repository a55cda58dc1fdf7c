"""Registering an enterprise checks its 统一社会信用代码."""

from __future__ import annotations

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user


def test_admin_registration_rejects_a_wrong_check_character(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    path = "/api/v1/admin/enterprises"
    bad = sqlite_desk.client.post(path, json={"name": "华为", "uscc": "914403001922038217"}, headers=headers)
    assert bad.status_code == 422
    assert "校验位" in bad.json()["detail"]
    good = sqlite_desk.client.post(path, json={"name": "华为", "uscc": " 914403001922038216"}, headers=headers)
    assert (good.status_code, good.json()["uscc"], len(good.json()["binding_code"])) == (201, "914403001922038216", 16)
    again = sqlite_desk.client.post(path, json={"name": "华为", "uscc": "914403001922038216"}, headers=headers)
    assert again.status_code == 409
