"""The policy library over HTTP, on SQLite and PostgreSQL: import, versions, diff, metadata, retirement, expiry,
and answers that name their source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from api.policy.models import PolicyDocumentVersion
from common.roles import Role
from policy_index.library import DOCUMENTS_DIR
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user

HERE = Path(__file__).parent
SEED = "sichuan-hitech-zones-draft"
ZONE_IPO = (HERE / "zone-ipo-policy.txt").read_text(encoding="utf-8")
ZONE_META = {"level": "zone", "doc_number": "成高管发〔2026〕8号", "issuer": "成都高新区管理委员会"}


@pytest.fixture
def admin(desk: Desk) -> dict[str, str]:
    with desk.session() as session:
        token = make_token(session, make_user(session, Role.ADMIN))
        session.commit()
    return auth_header(token)


def _import(desk: Desk, admin: dict[str, str], document_id: str, text: str, **meta: object) -> dict[str, object]:
    response = desk.client.post(
        "/api/v1/admin/documents", json={"document_id": document_id, "text": text, **meta}, headers=admin
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _seed_text() -> str:
    return (DOCUMENTS_DIR / f"{SEED}.txt").read_text(encoding="utf-8")


def _amended_seed() -> str:
    """The seed with measure (七) struck out and (十三) amended: later measures move up one number."""
    lines = _seed_text().splitlines()
    kept = [line for line in lines if not line.startswith("（七）")]
    return "\n".join(
        line.replace("大力落实企业研发投入后补助", "按年度落实企业研发投入后补助")
        if line.startswith("（十三）")
        else line
        for line in kept
    )


def test_the_seed_is_stored_as_version_1_a_provincial_draft(desk: Desk) -> None:
    listed = desk.client.get("/api/v1/documents").json()
    seed = next(d for d in listed["items"] if d["id"] == SEED)
    assert (seed["level"], seed["status"], seed["version"], seed["measure_count"]) == ("provincial", "draft", 1, 28)
    versions = desk.client.get(f"/api/v1/documents/{SEED}/versions").json()
    assert [v["version"] for v in versions["items"]] == [1]
    with desk.session() as session:
        assert session.get(PolicyDocumentVersion, 1) is not None  # in the database, not on a replica's disk


def test_import_serves_the_document_and_answers_name_it(desk: Desk, admin: dict[str, str]) -> None:
    stored = _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    assert (stored["version"], stored["level"], stored["doc_number"]) == (1, "zone", "成高管发〔2026〕8号")
    assert stored["diff"] is None
    assert desk.client.get("/api/v1/documents/gaoxin-ipo").json()["measure_count"] == 4
    answer = desk.client.post("/api/v1/ask", json={"text": "在境外主要资本市场上市有奖励吗"}).json()
    assert answer["confident"]
    assert answer["matches"][0]["measure_id"] == "gaoxin-ipo#2"
    assert answer["answer"]["label"] == "2."
    assert answer["answer"]["document"]["doc_number"] == "成高管发〔2026〕8号"
    assert answer["answer"]["document"]["level"] == "zone"
    assert answer["answer"]["notice"] is None  # in force: nothing to caveat
    # The provincial measure answering the same question is offered beside it ("省级另有").
    others = answer["answer"]["others"]
    assert [(o["measure_id"], o["document"]["level"]) for o in others] == [(f"{SEED}#23", "provincial")]
    # Listing at home or abroad: two of its measures answer equally, so the desk asks which one is meant.
    either = desk.client.post("/api/v1/ask", json={"text": "高新区企业上市有啥奖励"}).json()
    assert not either["confident"]
    assert {c["measure_id"] for c in either["clarify"][:2]} == {"gaoxin-ipo#1", "gaoxin-ipo#2"}


def test_a_closing_provision_is_never_the_answer(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    answer = desk.client.post("/api/v1/ask", json={"text": "上市政策由哪个部门负责解释"}).json()
    assert answer["matches"]  # not vacuous: the question is answered, only not by the provision
    assert all(m["measure_id"] != "gaoxin-ipo#4" for m in answer["matches"])


def test_preview_saves_nothing(desk: Desk, admin: dict[str, str]) -> None:
    body = {"document_id": "gaoxin-ipo", "text": ZONE_IPO, **ZONE_META}
    preview = desk.client.post("/api/v1/admin/documents/preview", json=body, headers=admin)
    assert preview.status_code == 200
    assert [m["label"] for m in preview.json()["measures"]] == ["1.", "2.", "3.", "4."]
    assert desk.client.get("/api/v1/documents/gaoxin-ipo").status_code == 404
    assert desk.client.get("/api/v1/documents/gaoxin-ipo/versions").status_code == 404


def test_a_new_version_keeps_the_old_one_and_diffs_by_title(desk: Desk, admin: dict[str, str]) -> None:
    stored = _import(desk, admin, SEED, _amended_seed(), level="provincial", status="draft")
    assert stored["version"] == 2
    diff = desk.client.get(f"/api/v1/documents/{SEED}/diff", params={"from": 1, "to": 2}).json()
    assert [(m["number"], m["title"]) for m in diff["removed"]] == [(7, "加速科技成果转移转化")]
    assert diff["added"] == []
    # (八)…(二十八) moved up one number: renumbering alone is no change; only (十三)'s body changed.
    assert [(c["from_number"], c["to_number"], c["fields"]) for c in diff["changed"]] == [(13, 12, ["body"])]
    assert "按年度" in diff["changed"][0]["after"]["body"]
    assert stored["diff"] == diff  # the import response carries the same diff
    versions = desk.client.get(f"/api/v1/documents/{SEED}/versions").json()
    assert [(v["version"], v["measure_count"]) for v in versions["items"]] == [(2, 27), (1, 28)]
    # Measure ids mean the newest version.
    assert desk.client.get(f"/api/v1/measures/{SEED}%237").json()["title"] == "大力集聚高端创新平台"


def test_clauses_follow_their_measure_to_the_new_version(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, SEED, _amended_seed(), level="provincial", status="draft")
    clauses = {c["id"]: c for c in desk.client.get("/api/v1/clauses").json()["items"]}
    assert "m7-job-invention-cash-reward" not in clauses  # its measure was struck out: withdrawn
    assert clauses["m8-foreign-rd-subsidy"]["measure_id"] == f"{SEED}#7"  # renumbered, unchanged
    assert clauses["m8-foreign-rd-subsidy"]["needs_review"] is False
    assert clauses["m13-rd-post-subsidy"]["measure_id"] == f"{SEED}#12"
    assert clauses["m13-rd-post-subsidy"]["needs_review"] is True  # its text changed: an admin confirms it


def test_faq_links_follow_their_measure_to_the_new_version(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, SEED, _amended_seed(), level="provincial", status="draft")
    answer = desk.client.post("/api/v1/ask", json={"text": "外资研发中心有啥奖补"}).json()
    assert answer["confident"]
    assert answer["matches"][0]["measure_id"] == f"{SEED}#7"
    assert answer["answer"]["title"] == "（八）大力集聚高端创新平台"


def test_metadata_given_at_import_wins_and_can_be_corrected(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    patched = desk.client.patch(
        "/api/v1/admin/documents/gaoxin-ipo",
        json={"doc_number": "成高管发〔2026〕9号", "issued_on": "2026-02-15", "title": "关于支持企业上市的若干政策"},
        headers=admin,
    )
    assert patched.status_code == 200, patched.text
    got = desk.client.get("/api/v1/documents/gaoxin-ipo").json()
    assert (got["doc_number"], got["issued_on"], got["title"], got["version"]) == (
        "成高管发〔2026〕9号",
        "2026-02-15",
        "关于支持企业上市的若干政策",
        1,
    )
    filtered = desk.client.get("/api/v1/documents", params={"level": "zone", "q": "9号"}).json()
    assert [d["id"] for d in filtered["items"]] == ["gaoxin-ipo"]
    assert desk.client.get("/api/v1/documents", params={"level": "national"}).json()["total"] == 0


BOND_QUESTION = "发行公司债券有补贴吗"  # answered by the zone document's measure 3 while it is current


def _ask(desk: Desk, text: str) -> dict[str, Any]:
    answer: dict[str, Any] = desk.client.post("/api/v1/ask", json={"text": text}).json()
    return answer


def _assert_no_longer_current(answer: dict[str, Any], status_label: str) -> None:
    assert answer["matches"][0]["measure_id"] == "gaoxin-ipo#3"
    assert not answer["confident"]
    assert f"《成都高新区关于支持企业上市发展的若干政策》{status_label}" in answer["answer"]["notice"]
    assert "（二十三）加强金融服务" in answer["answer"]["notice"]  # the current measure it points to
    assert answer["answer"]["others"] == []


def test_a_retired_document_is_never_answered_as_current(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    before = _ask(desk, BOND_QUESTION)
    assert (before["confident"], before["matches"][0]["measure_id"]) == (True, "gaoxin-ipo#3")
    retired = desk.client.post("/api/v1/admin/documents/gaoxin-ipo/retire", headers=admin)
    assert retired.json()["status"] == "repealed"
    _assert_no_longer_current(_ask(desk, BOND_QUESTION), "已废止")
    assert desk.client.get("/api/v1/documents", params={"status": "repealed"}).json()["items"][0]["id"] == "gaoxin-ipo"


def test_a_document_past_its_end_date_has_expired(desk: Desk, admin: dict[str, str]) -> None:
    stored = _import(
        desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META, effective_from="2018-01-01", effective_to="2020-12-31"
    )
    assert stored["status"] == "expired"
    _assert_no_longer_current(_ask(desk, BOND_QUESTION), "已失效")
    # Where a current measure answers as well, it answers, and the expired one is not offered beside it.
    overseas = _ask(desk, "在境外主要资本市场上市有奖励吗")
    assert overseas["matches"][0]["document_id"] == SEED
    assert overseas["answer"]["others"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"document_id": "x", "text": "没有任何条目的一段文字。"}, 422),
        ({"document_id": "Bad Id", "text": ZONE_IPO}, 422),
        ({"document_id": "gaoxin-ipo", "text": ZONE_IPO, "level": "galactic"}, 422),
        ({"document_id": "gaoxin-ipo", "text": ZONE_IPO, "effective_to": "2026-13-40"}, 422),
    ],
)
def test_bad_imports_are_refused_with_a_message(
    desk: Desk, admin: dict[str, str], body: dict[str, object], status: int
) -> None:
    response = desk.client.post("/api/v1/admin/documents", json=body, headers=admin)
    assert response.status_code == status
    assert response.json()["detail"]


def test_unknown_documents_and_versions_are_404(desk: Desk) -> None:
    assert desk.client.get("/api/v1/documents/nope/versions").status_code == 404
    assert desk.client.get(f"/api/v1/documents/{SEED}/diff", params={"from": 1, "to": 9}).status_code == 404
    assert desk.client.post("/api/v1/admin/documents/nope/retire").status_code == 401


def test_imports_are_for_admins_only(desk: Desk) -> None:
    with desk.session() as session:
        token = make_token(session, make_user(session, Role.STAFF, queues=["talent"]))
        session.commit()
    body = {"document_id": "gaoxin-ipo", "text": ZONE_IPO}
    assert desk.client.post("/api/v1/admin/documents", json=body, headers=auth_header(token)).status_code == 403


def test_the_library_survives_a_restart(desk: Desk, admin: dict[str, str]) -> None:
    from api.catalog import read_catalog
    from api.catalog_build import today_in_zone
    from api.policy.service import bundled_library

    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    with Session(desk.engine) as session:
        catalog = read_catalog(session, fallback=bundled_library(), day=today_in_zone())
    assert catalog.library.document("gaoxin-ipo").meta.doc_number == "成高管发〔2026〕8号"


def test_a_new_version_keeps_the_issuing_body_unless_told_otherwise(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    unsigned = "\n".join(line for line in ZONE_IPO.splitlines() if "文号" not in line and "〔2026〕" not in line)
    second = _import(desk, admin, "gaoxin-ipo", unsigned)
    assert (second["version"], second["level"], second["doc_number"]) == (2, "zone", "成高管发〔2026〕8号")
    assert second["inherited"] == ["doc_number"]  # the parser reads zone from the text itself
    third = _import(desk, admin, "gaoxin-ipo", unsigned, level="county", doc_number=None)
    assert (third["version"], third["level"], third["doc_number"]) == (3, "county", None)


def test_an_end_date_before_the_start_date_is_refused(desk: Desk, admin: dict[str, str]) -> None:
    _import(desk, admin, "gaoxin-ipo", ZONE_IPO, **ZONE_META)
    response = desk.client.patch(
        "/api/v1/admin/documents/gaoxin-ipo",
        json={"effective_from": "2027-01-01", "effective_to": "2026-01-01"},
        headers=admin,
    )
    assert response.status_code == 422
    assert "生效日期" in response.json()["detail"]
