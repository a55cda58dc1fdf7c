"""Authoring eligibility over HTTP, on SQLite and PostgreSQL: a new fact and clauses for an imported document,
their YAML test cases run on save, and verdicts that cite the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user

HERE = Path(__file__).parent
DOCUMENT = "little-giant-measures"
TEXT = (HERE / f"{DOCUMENT}.txt").read_text(encoding="utf-8")

LITTLE_GIANT_FACT = {
    "name": "first_little_giant",
    "type": "bool",
    "label": {"zh": "首次获评国家级专精特新“小巨人”", "en": "first named a national little giant"},
    "question": {"zh": "贵企业是否首次获评国家级专精特新“小巨人”？", "en": "Newly named a little giant?"},
    "help": {"zh": "以工业和信息化部公布的名单为准。", "en": "As listed by the MIIT."},
}

CLAUSES = """\
document: little-giant-measures
clauses:
  - id: m1-little-giant-award
    measure_id: little-giant-measures#1
    title: 首次获评“小巨人”一次性奖励
    benefit: 一次性奖励
    amount: 最高不超过100万元
    application_window: 每年3月申报
    lead_unit: 经济运行局
    source: 对首次获评国家级专精特新“小巨人”的企业，给予最高不超过100万元一次性奖励
    condition:
      all:
        - {fact: org_type, op: "==", value: enterprise}
        - {fact: first_little_giant, op: "==", value: true}
cases:
  - name: a newly named little giant qualifies
    profile: {org_type: enterprise, first_little_giant: true}
    expect: {m1-little-giant-award: eligible}
  - name: a university does not
    profile: {org_type: university}
    expect: {m1-little-giant-award: ineligible}
"""


@pytest.fixture
def admin(desk: Desk) -> dict[str, str]:
    with desk.session() as session:
        token = make_token(session, make_user(session, Role.ADMIN))
        session.commit()
    return auth_header(token)


def _import_with_fact(desk: Desk, admin: dict[str, str]) -> None:
    imported = desk.client.post("/api/v1/admin/documents", json={"document_id": DOCUMENT, "text": TEXT}, headers=admin)
    assert imported.status_code == 201, imported.text
    added = desk.client.post("/api/v1/admin/facts", json=LITTLE_GIANT_FACT, headers=admin)
    assert added.status_code == 201, added.text


def test_the_bundled_facts_and_clauses_are_served_from_the_database(desk: Desk) -> None:
    from sqlmodel import select

    from api.eligibility.models import EligibilityClause, EligibilityFact

    with desk.session() as session:
        assert len(session.exec(select(EligibilityFact)).all()) == 15
        assert len(session.exec(select(EligibilityClause)).all()) == 14
    assert desk.client.get("/api/v1/clauses").json()["total"] == 14


def test_a_new_fact_and_clause_make_an_imported_measure_checkable(desk: Desk, admin: dict[str, str]) -> None:
    _import_with_fact(desk, admin)
    published = desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin)
    assert published.status_code == 201, published.text
    clause = published.json()["items"][0]
    assert (clause["amount"], clause["application_window"]) == ("最高不超过100万元", "每年3月申报")
    listed = desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#1"}).json()
    assert [c["id"] for c in listed["items"]] == ["m1-little-giant-award"]
    body = {"profile": {"org_type": "enterprise", "first_little_giant": True}, "measure_id": f"{DOCUMENT}#1"}
    verdict = desk.client.post("/api/v1/eligibility/check", json=body).json()["verdicts"]
    assert [(v["clause_id"], v["status"]) for v in verdict] == [("m1-little-giant-award", "eligible")]
    assert verdict[0]["document_title"] == "成都高新区关于支持专精特新企业高质量发展的若干措施"
    assert verdict[0]["measure_label"] == "1.支持企业获评“小巨人”"
    assert {c["state"] for c in verdict[0]["conditions"]} == {"met"}
    saved = desk.client.put("/api/v1/profile", json={"profile": body["profile"]}, headers=bot_header(71))
    assert saved.status_code == 200, saved.text  # a stored profile accepts the new fact


def test_a_clause_on_an_unknown_fact_is_refused_at_its_line(desk: Desk, admin: dict[str, str]) -> None:
    desk.client.post("/api/v1/admin/documents", json={"document_id": DOCUMENT, "text": TEXT}, headers=admin)
    refused = desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin)
    assert refused.status_code == 422
    assert {"line": 14, "message": "未知的事实“first_little_giant” (unknown fact)"} in refused.json()["errors"]
    assert desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#1"}).json()["total"] == 0


def test_a_clause_that_breaks_its_cases_is_not_published(desk: Desk, admin: dict[str, str]) -> None:
    _import_with_fact(desk, admin)
    broken = CLAUSES.replace("expect: {m1-little-giant-award: ineligible}", "expect: {m1-little-giant-award: eligible}")
    refused = desk.client.post("/api/v1/admin/clauses", json={"text": broken}, headers=admin)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["line"] == 19
    assert "a university does not" in error["message"]
    assert desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#1"}).json()["total"] == 0


def test_cases_saved_with_a_clause_guard_its_later_versions(desk: Desk, admin: dict[str, str]) -> None:
    _import_with_fact(desk, admin)
    assert desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin).status_code == 201
    loosened = CLAUSES.split("cases:")[0].replace(
        'op: "==", value: enterprise', "op: in, value: [enterprise, university]"
    )
    assert "university" in loosened
    refused = desk.client.post("/api/v1/admin/clauses", json={"text": loosened}, headers=admin)
    assert refused.status_code == 422
    assert "a university does not" in refused.json()["errors"][0]["message"]


def test_a_clause_id_of_another_measure_is_refused(desk: Desk, admin: dict[str, str]) -> None:
    _import_with_fact(desk, admin)
    assert desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin).status_code == 201
    copy = {"document_id": "little-giant-copy", "text": TEXT}
    assert desk.client.post("/api/v1/admin/documents", json=copy, headers=admin).status_code == 201
    stolen = CLAUSES.split("cases:")[0].replace("little-giant-measures", "little-giant-copy")
    refused = desk.client.post("/api/v1/admin/clauses", json={"text": stolen}, headers=admin)
    assert refused.status_code == 422
    assert "已用于措施 little-giant-measures#1" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"type": "number", "options": None, "unit": "万元"}, 201),
        ({"type": "colour"}, 422),
        ({"name": "Bad Name"}, 422),
    ],
)
def test_facts_are_checked_like_the_facts_file(
    desk: Desk, admin: dict[str, str], change: dict[str, object], status: int
) -> None:
    fact = {k: v for k, v in {**LITTLE_GIANT_FACT, **change}.items() if v is not None}
    response = desk.client.post("/api/v1/admin/facts", json=fact, headers=admin)
    assert response.status_code == status, response.text
    if status == 201:
        assert response.json()["unit"] == "万元"
        again = desk.client.post("/api/v1/admin/facts", json=fact, headers=admin)
        assert again.status_code == 409


def test_only_admins_author_eligibility(desk: Desk) -> None:
    with desk.session() as session:
        token = make_token(session, make_user(session, Role.STAFF))
        session.commit()
    assert (
        desk.client.post("/api/v1/admin/facts", json=LITTLE_GIANT_FACT, headers=auth_header(token)).status_code == 403
    )
    assert (
        desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=auth_header(token)).status_code == 403
    )


def test_drafts_are_proposed_from_the_wording_and_never_published(desk: Desk, admin: dict[str, str]) -> None:
    desk.client.post("/api/v1/admin/documents", json={"document_id": DOCUMENT, "text": TEXT}, headers=admin)
    body = {"measure_id": f"{DOCUMENT}#1"}
    drafts = desk.client.post("/api/v1/admin/clauses/drafts", json=body, headers=admin).json()
    [draft] = drafts["items"]
    assert "amount: 最高不超过100万元" in draft["text"]
    assert draft["unresolved"] == ["首次获评国家级专精特新“小巨人”"]
    assert desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#1"}).json()["total"] == 0
    missing = desk.client.post("/api/v1/admin/clauses/drafts", json={"measure_id": "nowhere#1"}, headers=admin)
    assert missing.status_code == 404


def test_an_authored_clause_follows_its_measure_to_a_new_version(desk: Desk, admin: dict[str, str]) -> None:
    _import_with_fact(desk, admin)
    assert desk.client.post("/api/v1/admin/clauses", json={"text": CLAUSES}, headers=admin).status_code == 201
    renumbered = (
        TEXT.replace("1.支持企业获评", "2.支持企业获评")
        .replace("2.支持企业研发投入", "3.支持企业研发投入")
        .replace("3.本措施自", "4.本措施自")
        .replace(
            "一、支持企业梯度培育\n",
            "一、支持企业梯度培育\n1.支持企业升规。对首次升规的企业给予一次性奖励。（责任单位：经济运行局）\n",
        )
    )
    body = {"document_id": DOCUMENT, "text": renumbered}
    assert desk.client.post("/api/v1/admin/documents", json=body, headers=admin).status_code == 201
    [clause] = desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#2"}).json()["items"]
    assert clause["id"] == "m1-little-giant-award"
    assert clause["needs_review"] is False  # renumbered only: its text did not change
    assert desk.client.get("/api/v1/clauses", params={"measure_id": f"{DOCUMENT}#1"}).json()["total"] == 0
