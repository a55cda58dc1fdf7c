"""Admin routes of the web pages over HTTP: FAQ edit/publish/preview, unanswered clusters, policy import."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.faqs.models import UnansweredQuestion
from api.main import create_app
from api.schema import prepare_database
from api.settings import Settings
from common.roles import Role
from policy_index.library import PolicyLibrary
from tests.factories import auth_header, make_token, make_user, reset_database

FIXTURES = Path(__file__).parents[1] / "policy_index" / "fixtures"
CANTEEN = {
    "question": "园区职工食堂补贴怎么申请",
    "variants": ["食堂补贴去哪里办"],
    "answer": "职工食堂补贴由园区管委会综合办受理。",
    "measure_ids": ["13"],
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def web_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary
) -> Iterator[FastAPI]:
    directory = tmp_path_factory.mktemp("webadmin")
    if request.param == "postgres":
        url = str(request.getfixturevalue("postgres_url"))
    else:
        url = f"sqlite:///{directory / 'z.db'}"
    app = create_app(Settings(database_url=url, secret_key="t"), library=library)
    prepare_database(app.state.engine)  # create_app migrates SQLite only
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(web_app: FastAPI) -> TestClient:
    web_app.state.unanswered_log.flush()  # an earlier test's queued questions go before the reset
    reset_database(web_app.state.engine)
    web_app.state.catalog_holder.refresh(force=True)
    return TestClient(web_app)


def _headers(app: FastAPI, role: Role) -> dict[str, str]:
    with Session(app.state.engine, expire_on_commit=False) as session:
        user = make_user(session, role, queues=["talent"] if role == Role.STAFF else None)
        token = make_token(session, user)
        session.commit()
    return auth_header(token)


@pytest.fixture
def admin(client: TestClient, web_app: FastAPI) -> dict[str, str]:
    return _headers(web_app, Role.ADMIN)


def test_published_entry_is_answered_and_changes_the_index_version(client: TestClient, admin: dict[str, str]) -> None:
    before = client.get("/api/v1/admin/faq/index", headers=admin).json()["version"]
    created = client.post("/api/v1/admin/faq", json={**CANTEEN, "publish": True}, headers=admin)
    assert created.status_code == 201
    assert created.json()["measure_ids"] == ["sichuan-hitech-zones-draft#13"]
    assert created.json()["index_version"] not in (None, before)
    answer = client.post("/api/v1/ask", json={"text": "食堂补贴去哪里办"}).json()
    assert answer["confident"]
    assert answer["answer"]["summary"].startswith("职工食堂补贴由园区管委会综合办受理")


def test_draft_is_not_served(client: TestClient, admin: dict[str, str]) -> None:
    before = client.get("/api/v1/admin/faq/index", headers=admin).json()["version"]
    created = client.post("/api/v1/admin/faq", json=CANTEEN, headers=admin).json()
    assert created["published"] is False
    assert client.get("/api/v1/admin/faq/index", headers=admin).json()["version"] == before
    answer = client.post("/api/v1/ask", json={"text": "园区职工食堂补贴怎么申请"}).json()
    assert "综合办" not in answer["answer"]["summary"]


def test_stale_edit_gets_409_and_keeps_the_first_edit(client: TestClient, admin: dict[str, str]) -> None:
    entry = client.post("/api/v1/admin/faq", json={**CANTEEN, "publish": True}, headers=admin).json()
    first = {**CANTEEN, "answer": "第一位管理员的修改。", "version": entry["version"], "publish": True}
    second = {**CANTEEN, "answer": "第二位管理员的修改。", "version": entry["version"], "publish": True}
    assert client.put(f"/api/v1/admin/faq/{entry['id']}", json=first, headers=admin).status_code == 200
    stale = client.put(f"/api/v1/admin/faq/{entry['id']}", json=second, headers=admin)
    assert stale.status_code == 409
    assert "他人修改" in stale.json()["detail"]
    assert client.get(f"/api/v1/admin/faq/{entry['id']}", headers=admin).json()["answer"] == "第一位管理员的修改。"


def test_edit_of_a_bundled_question_replaces_the_bundled_entry(client: TestClient, admin: dict[str, str]) -> None:
    listing = client.get("/api/v1/admin/faq", params={"q": "指导思想", "limit": 200}, headers=admin).json()
    bundled = next(item for item in listing["items"] if item["source"] == "bundled")
    body = {**CANTEEN, "question": bundled["question"], "answer": "管理员改写的答案。", "publish": True}
    client.post("/api/v1/admin/faq", json=body, headers=admin)
    after = client.get("/api/v1/admin/faq", params={"q": bundled["question"]}, headers=admin).json()["items"]
    assert [item["source"] for item in after if item["question"] == bundled["question"]] == ["db"]
    assert (
        client.post("/api/v1/ask", json={"text": bundled["question"]}).json()["answer"]["summary"]
        == "管理员改写的答案。"
    )


MEDICAL = "bundled:m10-medical-insurance-apply"
MEDICAL_QUESTION = "人才医疗保险怎么办理？"


def test_bundled_entry_edited_in_its_wording_still_answers_its_own_questions(
    client: TestClient, admin: dict[str, str]
) -> None:
    listing = client.get("/api/v1/admin/faq", params={"q": MEDICAL_QUESTION}, headers=admin).json()["items"]
    bundled = next(item for item in listing if item["id"] == MEDICAL)
    body = {
        "question": "引进人才的医疗保险怎么办理？",
        "variants": bundled["variants"],
        "answer": "管理员改写：人才医保由市医保局经办窗口受理。",
        "measure_ids": bundled["measure_ids"],
        "replaces": MEDICAL,
        "publish": True,
    }
    created = client.post("/api/v1/admin/faq", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["replaces"] == MEDICAL
    served = f"db-{created.json()['id']}"
    ids = [item["id"] for item in client.get("/api/v1/admin/faq", params={"limit": 200}, headers=admin).json()["items"]]
    assert MEDICAL not in ids
    for text in [MEDICAL_QUESTION, *bundled["variants"]]:
        answer = client.post("/api/v1/ask", json={"text": text}).json()
        assert (answer["confident"], answer["matches"][0]["faq_id"]) == (True, served), text
        assert answer["answer"]["summary"].startswith("管理员改写"), text
    assert client.post("/api/v1/ask", json={"text": MEDICAL_QUESTION}).json()["category"] == "medical_insurance"


def test_preview_warns_when_an_edit_loses_the_entrys_own_question(client: TestClient, admin: dict[str, str]) -> None:
    keeping = {"question": MEDICAL_QUESTION, "answer": "改写的答案。", "measure_ids": ["10"], "replaces": MEDICAL}
    kept = client.post("/api/v1/admin/faq/preview", json=keeping, headers=admin).json()
    assert kept["warnings"] == []
    losing = {**CANTEEN, "replaces": MEDICAL}
    lost = client.post("/api/v1/admin/faq/preview", json=losing, headers=admin).json()
    assert len(lost["warnings"]) == 1
    assert MEDICAL_QUESTION in lost["warnings"][0]
    assert MEDICAL_QUESTION in [row["text"] for row in lost["rows"]]


def test_unknown_bundled_entry_is_refused_with_422(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post("/api/v1/admin/faq", json={**CANTEEN, "replaces": "bundled:nope"}, headers=admin)
    assert response.status_code == 422


def test_unknown_measure_is_refused_with_422(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post("/api/v1/admin/faq", json={**CANTEEN, "measure_ids": ["99"]}, headers=admin)
    assert response.status_code == 422
    assert "找不到条款" in response.json()["detail"]


def test_preview_shows_the_answer_now_and_after_publishing(client: TestClient, admin: dict[str, str]) -> None:
    rows = client.post("/api/v1/admin/faq/preview", json=CANTEEN, headers=admin).json()["rows"]
    assert [r["text"] for r in rows] == ["园区职工食堂补贴怎么申请", "食堂补贴去哪里办"]
    assert all(r["after"]["faq"] == "园区职工食堂补贴怎么申请" and r["after"]["confident"] for r in rows)
    assert all(r["now"] is None or r["now"]["faq"] != "园区职工食堂补贴怎么申请" for r in rows)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ENTERPRISE])
def test_admin_routes_refuse_other_roles(client: TestClient, web_app: FastAPI, role: Role) -> None:
    headers = _headers(web_app, role)
    assert client.get("/api/v1/admin/faq", headers=headers).status_code == 403
    assert client.post("/api/v1/admin/faq", json=CANTEEN, headers=headers).status_code == 403
    assert client.get("/api/v1/admin/unanswered/clusters", headers=headers).status_code == 403
    assert (
        client.post(
            "/api/v1/admin/documents/preview", json={"document_id": "x", "text": "y"}, headers=headers
        ).status_code
        == 403
    )


def test_admin_routes_need_authentication(client: TestClient) -> None:
    assert client.get("/api/v1/admin/faq").status_code == 401
    assert client.post("/api/v1/admin/clauses/validate", json={"text": "x"}).status_code == 401


def test_unanswered_questions_are_grouped_with_counts(
    client: TestClient, web_app: FastAPI, admin: dict[str, str]
) -> None:
    with Session(web_app.state.engine) as session:
        for text, count in [("食堂补贴怎么申请", 3), ("公司食堂怎么申请补贴", 2), ("停车位怎么办理", 1)]:
            session.add(UnansweredQuestion(text=text, normalized_text=text, count=count))
        session.commit()
    items = client.get("/api/v1/admin/unanswered/clusters", headers=admin).json()["items"]
    assert [(c["text"], c["count"], len(c["questions"])) for c in items] == [
        ("食堂补贴怎么申请", 5, 2),
        ("停车位怎么办理", 1, 1),
    ]


def test_policy_import_previews_then_saves_and_serves_the_document(client: TestClient, admin: dict[str, str]) -> None:
    client.post("/api/v1/admin/faq", json={**CANTEEN, "publish": True}, headers=admin)
    text = (FIXTURES / "chengdu-talent-measures.txt").read_text(encoding="utf-8")
    body = {"document_id": "chengdu-talent-measures", "text": text}
    preview = client.post("/api/v1/admin/documents/preview", json=body, headers=admin).json()
    assert preview["measure_count"] == len(preview["measures"]) > 0
    assert client.get("/api/v1/documents/chengdu-talent-measures").status_code == 404
    saved = client.post("/api/v1/admin/documents", json=body, headers=admin)
    assert saved.status_code == 201
    assert client.get("/api/v1/documents/chengdu-talent-measures").json()["measure_count"] == preview["measure_count"]
    # The rebuilt matcher still serves the admins' published entries.
    assert "综合办" in client.post("/api/v1/ask", json={"text": "食堂补贴去哪里办"}).json()["answer"]["summary"]


def test_policy_import_refuses_text_without_measures(client: TestClient, admin: dict[str, str]) -> None:
    body = {"document_id": "empty-notice", "text": "这是一段没有任何条目的文字。"}
    response = client.post("/api/v1/admin/documents/preview", json=body, headers=admin)
    assert response.status_code == 422


def test_clause_validation_reports_errors_with_lines(client: TestClient, admin: dict[str, str]) -> None:
    yaml_text = (
        "- id: m8-test\n"
        "  measure: sichuan-hitech-zones-draft#8\n"
        "  title: 测试\n"
        "  benefit: 测试\n"
        "  lead_unit: 科技厅\n"
        "  condition: {fact: no_such_fact, op: '==', value: true}\n"
    )
    result = client.post("/api/v1/admin/clauses/validate", json={"text": yaml_text}, headers=admin).json()
    assert result["clauses"] == 0
    assert {"line": 6, "message": "未知的事实“no_such_fact” (unknown fact)"} in result["errors"]
    assert {"line": 2, "message": "未知的键“measure”(unknown key)"} in result["errors"]
    assert all(e["line"] >= 1 for e in result["errors"])


@pytest.mark.integration
def test_publish_rebuilds_the_index_of_another_replica_over_redis(
    library: PolicyLibrary, tmp_path: Path, redis_url: str
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = create_app(Settings(database_url=url, redis_url=redis_url, secret_key="t"), library=library)
    second = create_app(Settings(database_url=url, redis_url=redis_url, secret_key="t"), library=library)
    try:
        before = second.state.catalog_holder.current.faq_version
        headers = _headers(first, Role.ADMIN)
        published = TestClient(first).post("/api/v1/admin/faq", json={**CANTEEN, "publish": True}, headers=headers)
        version = published.json()["index_version"]
        assert version != before
        deadline = time.monotonic() + 10
        while second.state.catalog_holder.current.faq_version != version and time.monotonic() < deadline:
            time.sleep(0.05)
        assert second.state.catalog_holder.current.faq_version == version
        answer = TestClient(second).post("/api/v1/ask", json={"text": "食堂补贴去哪里办"}).json()
        assert "综合办" in answer["answer"]["summary"]
    finally:
        for app in (first, second):
            app.state.catalog_holder.stop()
            app.state.engine.dispose()
