"""POST /api/v1/ask: the matching JSON, and 422 for bad questions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_ask_returns_the_matching_json(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"text": "外籍员工年龄超了工作许可还能办吗"})
    assert response.status_code == 200
    payload = response.json()
    assert list(payload) == ["text", "intent", "confident", "category", "matches", "answer", "clarify"]
    assert payload["matches"][0]["measure_id"] == "sichuan-hitech-zones-draft#10"
    assert payload["answer"]["lead_units"] == ["省委组织部"]


def test_service_question_carries_its_category(client: TestClient) -> None:
    payload = client.post("/api/v1/ask", json={"text": "帮忙办下营业执照"}).json()
    assert (payload["intent"], payload["category"]) == ("service", "business_license")
    assert "create_request" in payload["answer"]["actions"]


@pytest.mark.parametrize(
    "body", [{"text": ""}, {"text": "   "}, {"text": "问" * 501}, {}, {"text": None}, {"q": "高企"}]
)
def test_bad_question_gets_422_with_chinese_detail(client: TestClient, body: dict[str, object]) -> None:
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert any("\u4e00" <= c <= "\u9fff" for c in detail)
