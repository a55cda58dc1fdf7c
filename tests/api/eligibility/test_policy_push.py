"""Policy push over HTTP, on SQLite and PostgreSQL: a published clause notifies each enterprise that meets it
(or is one fact away) once per clause version, through the outbox; enterprises can turn it off."""

from __future__ import annotations

import time

import pytest
from sqlmodel import col, select

from api.eligibility.models import PolicyMatchJob
from api.eligibility.push import run_pending
from common.roles import Role
from tests.api.conftest import Desk
from tests.api.eligibility.test_authoring_routes import CLAUSES, DOCUMENT, LITTLE_GIANT_FACT, TEXT
from tests.factories import auth_header, make_enterprise, make_token, make_user

PROFILES = {
    "meets": {"org_type": "enterprise", "first_little_giant": True},
    "one_fact_away": {"org_type": "enterprise"},
    "two_facts_away": {},
    "ruled_out": {"org_type": "university", "first_little_giant": True},
    "opted_out": {"org_type": "enterprise", "first_little_giant": True},
}


@pytest.fixture
def enterprises(desk: Desk) -> dict[str, dict[str, str]]:
    """An admin and one enterprise user per profile of PROFILES (profiles saved after the fact exists)."""
    headers = {}
    with desk.session() as session:
        headers["admin"] = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        for name in PROFILES:
            user = make_user(session, Role.ENTERPRISE, enterprise=make_enterprise(session))
            headers[name] = auth_header(make_token(session, user))
        session.commit()
    admin = headers["admin"]
    assert (
        desk.client.post(
            "/api/v1/admin/documents", json={"document_id": DOCUMENT, "text": TEXT}, headers=admin
        ).status_code
        == 201
    )
    assert desk.client.post("/api/v1/admin/facts", json=LITTLE_GIANT_FACT, headers=admin).status_code == 201
    for name, profile in PROFILES.items():
        saved = desk.client.put("/api/v1/profile", json={"profile": profile}, headers=headers[name])
        assert saved.status_code == 200, saved.text
    off = desk.client.put("/api/v1/notifications/settings", json={"enabled": False}, headers=headers["opted_out"])
    assert off.json() == {"enabled": False}
    return headers


def _push(desk: Desk) -> None:
    """Run the pending jobs here; wait for one the app's own worker holds (PostgreSQL skips locked jobs)."""
    run_pending(desk.engine, lambda: desk.app.state.catalog_holder.current.clauses)
    for _ in range(200):
        with desk.session() as session:
            if not session.exec(select(PolicyMatchJob).where(col(PolicyMatchJob.done_at).is_(None))).all():
                return
        time.sleep(0.05)
    raise AssertionError("a policy-match job stayed pending")


def _notified(desk: Desk, headers: dict[str, str]) -> list[tuple[str, str]]:
    body = desk.client.get("/api/v1/notifications", headers=headers).json()
    return [(item["clause_id"], item["status"]) for item in body["items"]]


def test_a_published_clause_notifies_who_meets_it_or_is_one_fact_away_once(
    desk: Desk, enterprises: dict[str, dict[str, str]]
) -> None:
    admin = enterprises["admin"]
    assert desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin).status_code == 201
    with desk.session() as session:  # the job was committed with the publish: a restart would still run it
        assert [j.clause_id for j in session.exec(select(PolicyMatchJob)).all()] == ["m1-little-giant-award"]
    _push(desk)
    _push(desk)
    assert _notified(desk, enterprises["meets"]) == [("m1-little-giant-award", "eligible")]
    assert _notified(desk, enterprises["one_fact_away"]) == [("m1-little-giant-award", "needs_info")]
    for nobody in ("two_facts_away", "ruled_out", "opted_out"):
        assert _notified(desk, enterprises[nobody]) == []
    page = desk.client.get("/api/v1/notifications", headers=enterprises["meets"]).json()
    assert page["unread"] == 1
    assert page["items"][0]["measure_id"] == f"{DOCUMENT}#1"
    assert page["items"][0]["kind"] == "policy_match"
    assert page["items"][0]["read"] is False

    # The same text again is no new version: nobody hears twice.
    assert desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin).status_code == 201
    _push(desk)
    assert len(_notified(desk, enterprises["meets"])) == 1
    # A changed clause is a new version: one more notification.
    changed = CLAUSES.replace("title: 首次获评“小巨人”一次性奖励", "title: 首次获评国家级“小巨人”一次性奖励")
    assert desk.client.post("/api/v1/admin/clauses", json={"text": changed}, headers=admin).status_code == 201
    _push(desk)
    assert len(_notified(desk, enterprises["meets"])) == 2


def test_read_marks_and_another_enterprise_cannot_touch_them(
    desk: Desk, enterprises: dict[str, dict[str, str]]
) -> None:
    desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=enterprises["admin"])
    _push(desk)
    [item] = desk.client.get("/api/v1/notifications", headers=enterprises["meets"]).json()["items"]
    other = desk.client.post("/api/v1/notifications/read", json={"ids": [item["id"]]}, headers=enterprises["ruled_out"])
    assert other.json() == {"marked": 0}
    mine = desk.client.post("/api/v1/notifications/read", json={"ids": [item["id"]]}, headers=enterprises["meets"])
    assert mine.json() == {"marked": 1}
    assert desk.client.get("/api/v1/notifications", headers=enterprises["meets"]).json()["unread"] == 0


def test_staff_have_no_notifications(desk: Desk) -> None:
    with desk.session() as session:
        token = make_token(session, make_user(session, Role.STAFF))
        session.commit()
    assert desk.client.get("/api/v1/notifications", headers=auth_header(token)).status_code == 403


def test_my_policies_lists_what_the_enterprise_meets_or_may_meet(
    desk: Desk, enterprises: dict[str, dict[str, str]]
) -> None:
    desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=enterprises["admin"])
    mine = desk.client.get("/api/v1/my/policies", headers=enterprises["meets"]).json()["items"]
    award = next(item for item in mine if item["clause_id"] == "m1-little-giant-award")
    assert award["status"] == "eligible"
    assert award["amount"] == "最高不超过100万元"
    assert award["lead_unit"] == "经济运行局"
    assert award["document_title"] == "成都高新区关于支持专精特新企业高质量发展的若干措施"
    away = desk.client.get("/api/v1/my/policies", headers=enterprises["one_fact_away"]).json()["items"]
    award = next(item for item in away if item["clause_id"] == "m1-little-giant-award")
    assert award["status"] == "needs_info"
    assert award["unknown"] == ["首次获评国家级专精特新“小巨人”"]
    ruled_out = desk.client.get("/api/v1/my/policies", headers=enterprises["ruled_out"]).json()["items"]
    assert "m1-little-giant-award" not in {item["clause_id"] for item in ruled_out}
