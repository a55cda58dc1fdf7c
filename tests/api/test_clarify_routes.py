"""Ask instead of guessing: `clarify` on unsure answers, picks recorded, the admins' review and its states."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from api.faqs.models import AskPick, UnansweredQuestion
from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_token, make_user
from tests.unsure import make_unsure

QUESTION = "外资研发中心有什么补贴？"
M8 = "sichuan-hitech-zones-draft#8"
DRAFT_TITLE = "关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）"


@pytest.fixture
def unsure(desk: Desk) -> Iterator[Desk]:
    """The desk with a matcher that is never confident."""
    make_unsure(desk.app)
    yield desk
    desk.app.dependency_overrides.clear()


def _token(desk: Desk, role: Role) -> dict[str, str]:
    with desk.session() as session:
        token = make_token(session, make_user(session, role, queues=["talent"] if role == Role.STAFF else None))
        session.commit()
    return auth_header(token)


def _offer(desk: Desk, text: str = QUESTION) -> list[dict[str, object]]:
    payload = desk.client.post("/api/v1/ask", json={"text": text}).json()
    assert payload["confident"] is False
    clarify: list[dict[str, object]] = payload["clarify"]
    return clarify


def test_confident_answer_offers_no_choices(desk: Desk) -> None:
    payload = desk.client.post("/api/v1/ask", json={"text": QUESTION}).json()
    assert payload["confident"] is True
    assert payload["clarify"] == []


def test_out_of_scope_answer_offers_no_choices(unsure: Desk) -> None:
    payload = unsure.client.post("/api/v1/ask", json={"text": "今天天气怎么样"}).json()
    assert payload["intent"] in ("chitchat", "out_of_scope")
    assert payload["clarify"] == []


def test_unsure_in_scope_answer_offers_the_top_three_with_their_documents(unsure: Desk) -> None:
    clarify = _offer(unsure)
    assert 2 <= len(clarify) <= 3
    assert clarify[0]["measure_id"] == M8
    assert clarify[0]["label"] == "（八）"
    assert clarify[0]["title"] == "大力集聚高端创新平台"
    document = clarify[0]["document"]
    assert isinstance(document, dict)
    assert (document["id"], document["title"], document["status"]) == (
        "sichuan-hitech-zones-draft",
        DRAFT_TITLE,
        "draft",
    )


def test_a_pick_is_answered_at_once_and_recorded_for_the_asker(unsure: Desk) -> None:
    offered = [str(c["measure_id"]) for c in _offer(unsure)]
    response = unsure.client.post(
        "/api/v1/ask/pick",
        json={"text": QUESTION, "choice": "measure", "measure_id": M8, "offered": offered},
        headers=bot_header(4242),
    )
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result["confident"] is True
    assert result["matches"][0]["measure_id"] == M8
    assert result["answer"]["title"] == "（八）大力集聚高端创新平台"
    assert result["answer"]["lead_units"] == ["科技厅"]
    with unsure.session() as session:
        rows = session.exec(select(AskPick)).all()
    assert [(r.text, r.choice, r.measure_id, r.offered) for r in rows] == [(QUESTION, "measure", M8, offered)]
    assert rows[0].user_id is not None


def test_anyone_who_may_ask_may_pick_none_of_these(unsure: Desk) -> None:
    offered = [str(c["measure_id"]) for c in _offer(unsure)]
    response = unsure.client.post(
        "/api/v1/ask/pick", json={"text": QUESTION, "choice": "none", "measure_id": M8, "offered": offered}
    )
    assert response.status_code == 201, response.text
    assert (response.json()["measure_id"], response.json()["result"]) == (None, None)
    with unsure.session() as session:
        row = session.exec(select(AskPick)).one()
    assert (row.choice, row.measure_id, row.user_id) == ("none", None, None)


def test_a_pick_with_an_expired_token_is_recorded_as_anonymous(unsure: Desk) -> None:
    body = {"text": QUESTION, "choice": "measure", "measure_id": M8}
    response = unsure.client.post("/api/v1/ask/pick", json=body, headers=auth_header("expired-token"))
    assert response.status_code == 201, response.text
    with unsure.session() as session:
        assert session.exec(select(AskPick.user_id)).all() == [None]


@pytest.mark.parametrize(
    "body",
    [
        {"text": QUESTION, "choice": "measure"},
        {"text": QUESTION, "choice": "measure", "measure_id": "sichuan-hitech-zones-draft#99"},
        {"text": QUESTION, "choice": "maybe"},
        {"text": "", "choice": "none"},
    ],
)
def test_a_bad_pick_gets_422_and_records_nothing(unsure: Desk, body: dict[str, object]) -> None:
    response = unsure.client.post("/api/v1/ask/pick", json=body)
    assert response.status_code == 422
    with unsure.session() as session:
        assert session.exec(select(AskPick)).all() == []


def _pick(desk: Desk, text: str, measure_id: str) -> int:
    body = {"text": text, "choice": "measure", "measure_id": measure_id, "offered": [measure_id]}
    response = desk.client.post("/api/v1/ask/pick", json=body, headers=bot_header(5151))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.STAFF])
def test_review_and_accept_are_for_admins_only(unsure: Desk, role: Role) -> None:
    pick = _pick(unsure, "我的私人问题：外资研发中心", M8)
    headers = _token(unsure, role)
    for method, path in [
        ("GET", "/api/v1/admin/picks"),
        ("GET", "/api/v1/admin/unanswered"),
        ("POST", f"/api/v1/admin/picks/{pick}/accept"),
        ("POST", "/api/v1/admin/unanswered/1/dismiss"),
    ]:
        response = unsure.client.request(method, path, headers=headers)
        assert response.status_code == 403, (method, path)
        assert "我的私人问题" not in response.text
    for method, path in [("GET", "/api/v1/admin/picks"), ("POST", f"/api/v1/admin/picks/{pick}/accept")]:
        assert unsure.client.request(method, path, headers=bot_header(5151)).status_code == 403


def test_admin_sees_picks_and_accepts_one_as_a_variant_that_is_then_answered(unsure: Desk) -> None:
    text = "搞外资研发机构的企业能拿多少钱"
    unsure.client.post("/api/v1/ask", json={"text": text})  # logged as unanswered: the matcher is unsure
    pick = _pick(unsure, text, M8)
    admin = _token(unsure, Role.ADMIN)
    listed = unsure.client.get("/api/v1/admin/picks", headers=admin).json()
    assert [(p["text"], p["measure_id"], p["measure_title"], p["accepted_at"]) for p in listed["items"]] == [
        (text, M8, "大力集聚高端创新平台", None)
    ]
    accepted = unsure.client.post(f"/api/v1/admin/picks/{pick}/accept", headers=admin)
    assert accepted.status_code == 200, accepted.text
    entry = accepted.json()["entry"]
    assert text in entry["variants"]
    assert entry["measure_ids"][0] == M8
    assert entry["published"] is True
    again = unsure.client.post(f"/api/v1/admin/picks/{pick}/accept", headers=admin).json()["entry"]
    assert again["id"] == entry["id"]
    assert again["variants"].count(text) == 1
    unsure.app.dependency_overrides.clear()  # the real matcher from here on
    answer = unsure.client.post("/api/v1/ask", json={"text": text}).json()
    assert answer["confident"] is True
    assert answer["matches"][0]["faq_id"] == f"db-{entry['id']}"
    rows = unsure.client.get("/api/v1/admin/unanswered", headers=admin).json()["items"]
    assert [(r["text"], r["status"], r["answered_by"]) for r in rows] == [(text, "answered", f"faq:db-{entry['id']}")]


def test_a_pick_of_none_of_these_cannot_be_accepted(unsure: Desk) -> None:
    response = unsure.client.post("/api/v1/ask/pick", json={"text": QUESTION, "choice": "staff"})
    admin = _token(unsure, Role.ADMIN)
    refused = unsure.client.post(f"/api/v1/admin/picks/{response.json()['id']}/accept", headers=admin)
    assert refused.status_code == 422


def test_admin_dismisses_a_question_and_it_leaves_the_new_list(desk: Desk) -> None:
    with desk.session() as session:
        for text in ("停车位怎么办理", "食堂几点开门"):
            session.add(UnansweredQuestion(text=text, normalized_text=text))
        session.commit()
    admin = _token(desk, Role.ADMIN)
    new = desk.client.get("/api/v1/admin/unanswered", params={"status": "new"}, headers=admin).json()["items"]
    parking = next(q for q in new if q["text"] == "停车位怎么办理")
    dismissed = desk.client.post(f"/api/v1/admin/unanswered/{parking['id']}/dismiss", headers=admin)
    assert dismissed.json()["status"] == "dismissed"
    left = desk.client.get("/api/v1/admin/unanswered", params={"status": "new"}, headers=admin).json()
    assert [q["text"] for q in left["items"]] == ["食堂几点开门"]
    clusters = desk.client.get("/api/v1/admin/unanswered/clusters", headers=admin).json()["items"]
    assert [c["text"] for c in clusters] == ["食堂几点开门"]
    assert desk.client.post("/api/v1/admin/unanswered/999/dismiss", headers=admin).status_code == 404


def test_publishing_an_faq_entry_marks_the_questions_it_now_answers(desk: Desk) -> None:
    with desk.session() as session:
        for text in ("园区职工食堂补贴怎么申请", "火星移民有补贴吗"):
            session.add(UnansweredQuestion(text=text, normalized_text=text))
        session.commit()
    admin = _token(desk, Role.ADMIN)
    entry = {
        "question": "园区职工食堂补贴怎么申请",
        "variants": ["食堂补贴去哪里办"],
        "answer": "职工食堂补贴由园区管委会综合办受理。",
        "measure_ids": ["13"],
        "publish": True,
    }
    created = desk.client.post("/api/v1/admin/faq", json=entry, headers=admin)
    assert created.status_code == 201, created.text
    settling = desk.app.state.catalog_holder.settling
    assert settling is not None
    assert settling.result(timeout=60) >= 1
    rows = desk.client.get("/api/v1/admin/unanswered", headers=admin).json()["items"]
    states = {r["text"]: (r["status"], r["answered_by"]) for r in rows}
    assert states["园区职工食堂补贴怎么申请"] == ("answered", f"faq:db-{created.json()['id']}")
    assert states["火星移民有补贴吗"] == ("new", None)


def test_importing_a_document_marks_the_questions_it_now_answers(desk: Desk) -> None:
    with desk.session() as session:
        session.add(UnansweredQuestion(text="发行公司债券有补贴吗", normalized_text="发行公司债券有补贴吗"))
        session.commit()
    admin = _token(desk, Role.ADMIN)
    text = (Path(__file__).parent / "library" / "zone-ipo-policy.txt").read_text(encoding="utf-8")
    imported = desk.client.post(
        "/api/v1/admin/documents", json={"document_id": "gaoxin-ipo", "text": text, "level": "zone"}, headers=admin
    )
    assert imported.status_code == 201, imported.text
    settling = desk.app.state.catalog_holder.settling
    assert settling is not None
    settling.result(timeout=60)
    rows = desk.client.get("/api/v1/admin/unanswered", headers=admin).json()["items"]
    assert [(r["status"], r["answered_by"], r["measure_id"]) for r in rows] == [
        ("answered", "document:gaoxin-ipo", "gaoxin-ipo#3")
    ]


def test_text_asked_with_log_false_never_enters_the_unanswered_log(desk: Desk) -> None:
    admin = _token(desk, Role.ADMIN)
    draft = desk.client.post(
        "/api/v1/ask", json={"text": "身份证 510104199001011234 丢了，今天天气怎么样", "log": False}
    )
    assert draft.status_code == 200
    question = desk.client.post("/api/v1/ask", json={"text": "今天天气怎么样"})
    assert question.json()["intent"] == "out_of_scope"
    rows = desk.client.get("/api/v1/admin/unanswered", headers=admin).json()["items"]
    assert [r["text"] for r in rows] == ["今天天气怎么样"]


def test_personal_data_in_questions_picks_and_feedback_reaches_admins_masked(unsure: Desk) -> None:
    admin = _token(unsure, Role.ADMIN)
    asked = "我手机13912345678，身份证510104199001011234，外资研发中心有补贴吗"
    assert unsure.client.post("/api/v1/ask", json={"text": asked}).status_code == 200
    picked = unsure.client.post("/api/v1/ask/pick", json={"text": asked, "choice": "none", "offered": []})
    assert picked.status_code == 201, picked.text
    liked = unsure.client.post("/api/v1/feedback", json={"text": asked, "helpful": True}, headers=bot_header(4243))
    assert liked.status_code == 201, liked.text
    shown = [
        *(r["text"] for r in unsure.client.get("/api/v1/admin/unanswered", headers=admin).json()["items"]),
        *(r["text"] for r in unsure.client.get("/api/v1/admin/picks", headers=admin).json()["items"]),
        *(r["text"] for r in unsure.client.get("/api/v1/admin/feedback", headers=admin).json()["items"]),
    ]
    assert len(shown) == 3
    assert all("139****5678" in text and "5101**********1234" in text for text in shown)
    assert not any("13912345678" in text or "510104199001011234" in text for text in shown)
