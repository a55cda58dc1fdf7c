"""HTTP: /api/v1/facts, /api/v1/clauses and /api/v1/eligibility/check."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user
from tests.policy_index.test_yaml_lines import ALIAS_BOMB


def test_facts_lists_every_fact_with_question_and_options(client: TestClient) -> None:
    body = client.get("/api/v1/facts").json()
    assert body["total"] == 15
    first = body["items"][0]
    assert first["name"] == "zone_level"
    assert first["question"].endswith("？")
    assert [o["value"] for o in first["options"]] == ["national", "provincial", "none"]
    hte = next(item for item in body["items"] if item["name"] == "high_tech_enterprise")
    assert hte["type"] == "bool"
    assert hte["options"][0] == {"value": True, "label": "是", "label_en": "yes"}


def test_clauses_lists_the_fourteen_with_conditions_as_data(client: TestClient) -> None:
    body = client.get("/api/v1/clauses").json()
    assert body["total"] == 14
    m8 = next(item for item in body["items"] if item["id"] == "m8-foreign-rd-subsidy")
    assert m8["measure_id"] == "sichuan-hitech-zones-draft#8"
    assert m8["lead_unit"] == "科技厅"
    assert {"fact": "ownership", "op": "==", "value": "foreign"} in m8["condition"]["all"]


def test_check_returns_verdicts_and_next_question(client: TestClient) -> None:
    profile = {"zone_level": "national", "org_type": "enterprise", "ownership": "foreign"}
    response = client.post("/api/v1/eligibility/check", json={"profile": profile})
    assert response.status_code == 200
    body = response.json()
    m8 = next(v for v in body["verdicts"] if v["clause_id"] == "m8-foreign-rd-subsidy")
    assert m8["status"] == "needs_info"
    assert m8["missing"] == ["certified_foreign_rd_center"]
    assert set(m8) >= {"clause_id", "measure_id", "title", "status", "reasons", "missing", "benefit", "lead_unit"}
    assert "科技厅" in m8["note"]
    m7 = next(v for v in body["verdicts"] if v["clause_id"] == "m7-job-invention-cash-reward")
    assert m7["status"] == "ineligible"
    assert m7["reasons"] == ["本条款要求单位类型为“科研院所（非营利性研发机构）”或“高等学校”，您填写的是“企业”。"]
    question = body["next_question"]
    assert set(question) >= {"fact", "question", "options"}
    assert all(set(option) >= {"value", "label"} for option in question["options"])


def test_check_of_a_settled_profile_has_no_next_question(client: TestClient) -> None:
    body = client.post("/api/v1/eligibility/check", json={"profile": {"zone_level": "none"}}).json()
    assert body["next_question"] is None
    assert {v["status"] for v in body["verdicts"]} == {"ineligible"}


@pytest.mark.parametrize(
    "profile",
    [{"zone_level": "city"}, {"unknown_fact": True}, {"tech_sme": "yes"}, {"org_type": 3}],
)
def test_bad_profile_gets_422_with_chinese_detail(client: TestClient, profile: dict[str, object]) -> None:
    response = client.post("/api/v1/eligibility/check", json={"profile": profile})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("企业情况有误：")


@pytest.mark.parametrize("body", [{"zone_level": "national"}, {"profile": ["zone_level"]}, {}])
def test_malformed_body_gets_422(client: TestClient, body: object) -> None:
    response = client.post("/api/v1/eligibility/check", json=body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("输入有误")


def _admin_headers(desk: Desk) -> dict[str, str]:
    with desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    return headers


def test_an_alias_bomb_to_clause_validation_is_a_fast_422(sqlite_desk: Desk) -> None:
    response = sqlite_desk.client.post(
        "/api/v1/admin/clauses/validate", json={"text": ALIAS_BOMB}, headers=_admin_headers(sqlite_desk)
    )
    assert response.status_code == 422
    assert "别名或节点过多" in response.json()["detail"]


@pytest.mark.parametrize(
    "tagged", ["!!python/object/apply:os.system ['true']", "!!int lots", "!!python/name:os.system"]
)
def test_a_malformed_tag_in_clause_yaml_is_an_error_at_its_line(sqlite_desk: Desk, tagged: str) -> None:
    text = f"clauses:\n  - id: {tagged}\n"
    response = sqlite_desk.client.post(
        "/api/v1/admin/clauses/validate", json={"text": text}, headers=_admin_headers(sqlite_desk)
    )
    assert response.status_code == 200  # the checker reports it like any syntax error, with its line
    errors = response.json()["errors"]
    assert errors[0]["line"] == 2
    assert "标签" in errors[0]["message"]
