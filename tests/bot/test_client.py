"""The typed API client: error mapping, URL encoding, the SSE parser."""

from __future__ import annotations

import httpx
import pytest

from bot.client import ApiClient, ApiConflict, ApiNotFound, ApiRejected, ApiUnavailable


def client_with(handler: httpx.MockTransport) -> ApiClient:
    return ApiClient.connect("http://api.test", "tok", transport=handler).as_user(42)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, ApiUnavailable),
        (503, ApiUnavailable),
        (404, ApiNotFound),
        (409, ApiConflict),
        (422, ApiRejected),
        (403, ApiRejected),
    ],
)
async def test_error_status_maps_to_typed_error_with_detail(status: int, error: type[Exception]) -> None:
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(status, json={"detail": "中文说明 (detail)"})))
    with pytest.raises(error) as raised:
        await api.ask("问题")
    assert raised.value.detail == "中文说明 (detail)"  # type: ignore[attr-defined]


async def test_connection_refused_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ApiUnavailable):
        await client_with(httpx.MockTransport(refuse)).ask("问题")


async def test_requests_carry_service_token_user_header_and_encoded_measure_id() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "doc#8", "number": 8, "title": "t"})

    measure = await client_with(httpx.MockTransport(record)).measure("doc#8")
    assert measure.number == 8
    assert seen[0].url.raw_path == b"/api/v1/measures/doc%238"
    assert seen[0].headers["Authorization"] == "Bearer tok"
    assert seen[0].headers["X-Telegram-User-Id"] == "42"


async def test_contract_drift_is_unavailable_not_a_crash() -> None:
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, json={"unexpected": True})))
    with pytest.raises(ApiUnavailable):
        await api.measure("doc#1")


async def test_idempotency_key_header_is_sent() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"number": "ZD-000001", "status": "new"})

    ticket = await client_with(httpx.MockTransport(record)).submit_request(
        category=None, subject="s", body="b", contact="13800000000", idempotency_key="tg-1-2"
    )
    assert ticket.number == "ZD-000001"
    assert seen[0].headers["Idempotency-Key"] == "tg-1-2"


async def test_sse_parser_yields_events_and_cursor_moves_but_skips_pings() -> None:
    body = (
        "id: 7\n: resuming\nretry: 2000\n\n"
        ": ping\n\n"
        'id: 8\nevent: ticket.message\ndata: {"number": "ZD-000001", "status": "claimed"}\n\n'
        ": ping\n\n"
        'id: 9\nevent: ticket.updated\ndata: {"number": "ZD-000001",\ndata:  "status": "resolved"}\n\n'
    )
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, text=body)))
    events = [e async for e in api.events(last_event_id="6")]
    assert [(e.id, e.event, e.number, e.status) for e in events] == [
        ("7", "", "", ""),
        ("8", "ticket.message", "ZD-000001", "claimed"),
        ("9", "ticket.updated", "ZD-000001", "resolved"),
    ]
