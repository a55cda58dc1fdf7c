"""The eligibility profile: kept per enterprise (bound users share it) or per unbound user, validated."""

from __future__ import annotations

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_enterprise, make_token, make_user


def test_unbound_telegram_user_keeps_own_profile(desk: Desk) -> None:
    assert desk.client.get("/api/v1/profile", headers=bot_header(31)).json() == {"profile": {}}
    saved = desk.client.put(
        "/api/v1/profile",
        json={"profile": {"zone_level": "national", "high_tech_enterprise": True, "tech_sme": None}},
        headers=bot_header(31),
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["profile"] == {"zone_level": "national", "high_tech_enterprise": True}
    assert desk.client.get("/api/v1/profile", headers=bot_header(31)).json()["profile"]["zone_level"] == "national"
    assert desk.client.get("/api/v1/profile", headers=bot_header(32)).json() == {"profile": {}}


def test_colleagues_of_one_enterprise_share_its_profile(desk: Desk) -> None:
    with desk.session() as session:
        enterprise = make_enterprise(session)
        first = make_token(session, make_user(session, Role.ENTERPRISE, enterprise=enterprise))
        second = make_token(session, make_user(session, Role.ENTERPRISE, enterprise=enterprise))
        session.commit()
    desk.client.put("/api/v1/profile", json={"profile": {"ownership": "foreign"}}, headers=auth_header(first))
    assert desk.client.get("/api/v1/profile", headers=auth_header(second)).json()["profile"] == {"ownership": "foreign"}


def test_value_outside_the_facts_is_a_422_and_nothing_is_saved(desk: Desk) -> None:
    desk.client.put("/api/v1/profile", json={"profile": {"zone_level": "provincial"}}, headers=bot_header(33))
    bad = desk.client.put(
        "/api/v1/profile", json={"profile": {"zone_level": "galactic", "colour": "red"}}, headers=bot_header(33)
    )
    assert bad.status_code == 422
    assert bad.json()["detail"]
    assert desk.client.get("/api/v1/profile", headers=bot_header(33)).json()["profile"] == {"zone_level": "provincial"}
