"""/ask's kept answers: the same bytes as a fresh answer, per matcher, never an old catalogue's."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.ask.answer_cache import Answer, AnswerCache
from api.ask.schemas import AskOut
from common.roles import Role
from faq.matcher import Matcher
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user

ASK = "/api/v1/ask"
ZONE_IPO = (Path(__file__).parent / "library" / "zone-ipo-policy.txt").read_text(encoding="utf-8")
LISTING_ABROAD = "在境外主要资本市场上市有奖励吗"


def _matcher(app: FastAPI) -> Matcher:
    matcher: Matcher = app.state.catalog_holder.current.matcher
    return matcher


def _answer(body: bytes) -> Answer:
    return Answer(body=body, unanswered=False, text="高企有啥支持", normalised="高企有啥支持")


def test_a_kept_answer_is_the_bytes_of_a_fresh_one(client: TestClient) -> None:
    question = "外籍员工年龄超了工作许可还能办吗"
    first = client.post(ASK, json={"text": question})
    again = client.post(ASK, json={"text": question, "log": False})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert again.headers["content-type"] == "application/json"
    matcher = _matcher(client.app)  # type: ignore[arg-type]
    fresh = AskOut.of(matcher.match(question), matcher.sources)
    assert AskOut.model_validate_json(again.content) == fresh


def test_a_bad_question_is_refused_every_time(client: TestClient) -> None:
    for _ in range(2):
        assert client.post(ASK, json={"text": "问" * 501}).status_code == 422


def test_answers_are_kept_per_matcher(client: TestClient) -> None:
    matcher = _matcher(client.app)  # type: ignore[arg-type]
    rebuilt = matcher.with_entries(matcher.entries)  # the same content, another catalogue's matcher
    cache = AnswerCache()
    cache.put(matcher, "高企有啥支持", _answer(b"{}"))
    assert cache.get(rebuilt, "高企有啥支持") is None
    assert cache.get(matcher, "高企有啥支持") == _answer(b"{}")
    assert cache.get(matcher, "高企有啥支持 ") is None  # keyed by the exact text


def test_the_least_recently_used_answer_goes_first(client: TestClient) -> None:
    matcher = _matcher(client.app)  # type: ignore[arg-type]
    cache = AnswerCache(size=2)
    cache.put(matcher, "a", _answer(b"1"))
    cache.put(matcher, "b", _answer(b"2"))
    assert cache.get(matcher, "a") is not None  # "a" used again: "b" is now the oldest
    cache.put(matcher, "c", _answer(b"3"))
    assert [cache.get(matcher, text) is not None for text in ("a", "b", "c")] == [True, False, True]


def test_a_new_catalogue_never_gets_the_old_catalogues_answer(desk: Desk) -> None:
    before = desk.client.post(ASK, json={"text": LISTING_ABROAD}).json()  # now kept for the served matcher
    assert not before["matches"][0]["measure_id"].startswith("gaoxin-ipo")
    with desk.session() as session:
        admin = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    imported = desk.client.post(
        "/api/v1/admin/documents",
        json={"document_id": "gaoxin-ipo", "text": ZONE_IPO, "level": "zone", "doc_number": "成高管发〔2026〕8号"},
        headers=admin,
    )
    assert imported.status_code == 201, imported.text
    after = desk.client.post(ASK, json={"text": LISTING_ABROAD}).json()
    assert after["matches"][0]["measure_id"] == "gaoxin-ipo#2"
    assert after["answer"]["document"]["doc_number"] == "成高管发〔2026〕8号"
