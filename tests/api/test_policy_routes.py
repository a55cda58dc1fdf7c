"""/api/v1/documents and /api/v1/measures."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_documents_lists_seed_document(client: TestClient) -> None:
    body = client.get("/api/v1/documents").json()
    assert body["total"] == 1
    assert body["items"][0]["id"] == "sichuan-hitech-zones-draft"
    assert body["items"][0]["measure_count"] == 28


def test_measures_of_document(client: TestClient) -> None:
    body = client.get("/api/v1/measures", params={"document": "sichuan-hitech-zones-draft", "limit": 200}).json()
    assert body["total"] == 28
    assert [m["number"] for m in body["items"]] == list(range(1, 29))


def test_measures_are_paged(client: TestClient) -> None:
    body = client.get("/api/v1/measures", params={"limit": 5, "offset": 10}).json()
    assert body["total"] == 28
    assert [m["number"] for m in body["items"]] == [11, 12, 13, 14, 15]


def test_measure_by_encoded_id(client: TestClient) -> None:
    response = client.get("/api/v1/measures/sichuan-hitech-zones-draft%2310")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "强化创新人才支撑"
    assert body["lead_units"] == ["省委组织部"]


def test_unknown_measure_is_404_with_chinese_message(client: TestClient) -> None:
    response = client.get("/api/v1/measures/sichuan-hitech-zones-draft%2399")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("未找到政策措施")


def test_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/measures", params={"document": "nope"})
    assert response.status_code == 404
    assert "未找到政策文件" in response.json()["detail"]


def test_bad_paging_is_422_with_message(client: TestClient) -> None:
    response = client.get("/api/v1/measures", params={"limit": 1000})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("输入有误")


def test_readyz_checks_the_database(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body["database"] == "ok"
    assert body["documents"] == 1


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/measures/sichuan-hitech-zones-draft%2313")
    text = client.get("/metrics").text
    assert 'zonedesk_http_requests_total{method="GET",route="/measures/{measure_id:path}",status="200"}' in text
    assert "zonedesk_events_emitted_total" in text or "zonedesk_event_streams" in text
