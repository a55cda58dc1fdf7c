"""The typed API client: error mapping, URL encoding, the SSE parser."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bot.client import (
    ApiClient,
    ApiConflict,
    ApiNotFound,
    ApiRejected,
    ApiUnavailable,
    DocumentLevel,
    DocumentStatus,
    EventType,
    Role,
    ServiceEventData,
)

MEASURE: dict[str, Any] = {
    "id": "doc#8",
    "document_id": "doc",
    "number": 8,
    "label": "（八）",
    "title": "t",
    "section": None,
    "lead_units": ["科技厅"],
    "participating_units": [],
    "provision": False,
    "body": "…",
}
TICKET: dict[str, Any] = {
    "number": "ZD-000001",
    "status": "new",
    "status_name": "待受理",
    "category": "other",
    "category_name": "其他",
    "queue": "front-desk",
    "queue_name": "综合受理窗口",
    "subject": "s",
    "body": "b",
    "contact": "13800000000",
    "version": 1,
    "messages": [],
}


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
        return httpx.Response(200, json=MEASURE)

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
        return httpx.Response(201, json=TICKET)

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
        'id: 9\nevent: ticket.resolved\ndata: {"number": "ZD-000001",\ndata:  "status": "resolved"}\n\n'
    )
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, text=body)))
    events = [e async for e in api.events(last_event_id="6")]
    assert [(e.id, e.event, e.number, e.status) for e in events] == [
        ("7", None, "", ""),
        ("8", "ticket.message", "ZD-000001", "claimed"),
        ("9", "ticket.resolved", "ZD-000001", "resolved"),
    ]


async def test_an_event_the_bot_cannot_read_only_moves_the_cursor() -> None:
    body = (
        'id: 3\nevent: ticket.teleported\ndata: {"number": "ZD-000001", "status": "new"}\n\n'
        'id: 4\nevent: ticket.claimed\ndata: {"number": "ZD-000001", "status": "lost"}\n\n'
        "id: 5\nevent: ticket.claimed\ndata: not json\n\n"
        'id: 6\nevent: ticket.claimed\ndata: {"number": "ZD-000001", "status": "claimed"}\n\n'
    )
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, text=body)))
    events = [(e.id, e.event) async for e in api.events(last_event_id="2")]
    assert events == [("3", None), ("4", None), ("5", None), ("6", EventType.CLAIMED)]


async def test_the_service_stream_opens_as_the_bot_and_skips_events_without_recipients() -> None:
    full = {"number": "ZD-000001", "status": "new", "queue": "talent", "internal": False,
            "recipients": {"enterprise": [1001], "staff": [7001]}}  # fmt: skip
    loose = {"number": "ZD-000001", "status": "new", "queue": "talent"}  # a user's stream's shape
    body = "".join(f"id: {n}\nevent: ticket.created\ndata: {json.dumps(d)}\n\n" for n, d in ((3, loose), (4, full)))
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text=body)

    api = client_with(httpx.MockTransport(record)).as_user(1001)
    events = [e async for e in api.service_events(last_event_id="2")]
    assert [(e.id, e.event) for e in events] == [("3", None), ("4", EventType.CREATED)]
    data = ServiceEventData.of(events[1])
    assert (data.queue, data.recipients.staff, data.internal) == ("talent", [7001], False)
    assert "X-Telegram-User-Id" not in seen[0].headers  # the bot itself, whoever the client acted for
    assert seen[0].headers["Last-Event-ID"] == "2"


ASK_WITH_SOURCE: dict[str, Any] = {
    "text": "外资研发中心有啥奖补",
    "intent": "policy",
    "confident": True,
    "category": None,
    "matches": [
        {
            "measure_id": "sichuan-hitech-zones-draft#8",
            "number": 8,
            "title": "大力集聚高端创新平台",
            "score": 0.91,
            "faq_id": None,
            "document_id": "sichuan-hitech-zones-draft",
            "label": "（八）",
        }
    ],
    "answer": {
        "title": "（八）大力集聚高端创新平台",
        "summary": "…",
        "lead_units": ["科技厅"],
        "participating_units": [],
        "actions": ["contact_staff"],
        "label": "（八）",
        "document": {
            "id": "sichuan-hitech-zones-draft",
            "title": "关于促进…的实施意见（征求意见稿）",
            "doc_number": None,
            "level": "provincial",
            "status": "draft",
            "level_label": "省级",
            "status_label": "征求意见稿",
        },
        "notice": "本措施出自征求意见稿，最终以正式印发的文件为准。",
        "others": [
            {
                "measure_id": "gaoxin-ipo#3",
                "label": "3.",
                "title": "上市奖励",
                "document": {
                    "id": "gaoxin-ipo",
                    "title": "支持企业上市的若干政策",
                    "doc_number": "成高管发〔2026〕8号",
                    "level": "zone",
                    "status": "in_force",
                    "level_label": "园区",
                    "status_label": "现行有效",
                },
            }
        ],
    },
}


async def test_ask_reads_the_answers_source_as_typed_values() -> None:
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, json=ASK_WITH_SOURCE)))
    result = await api.ask("外资研发中心有啥奖补")
    assert result.top is not None
    assert (result.top.document_id, result.top.label) == ("sichuan-hitech-zones-draft", "（八）")
    answer = result.answer
    assert answer is not None
    assert answer.document is not None
    assert (answer.label, answer.document.level, answer.document.status) == (
        "（八）",
        DocumentLevel.PROVINCIAL,
        DocumentStatus.DRAFT,
    )
    assert answer.notice == "本措施出自征求意见稿，最终以正式印发的文件为准。"
    [other] = answer.others
    assert (other.label, other.document.doc_number, other.document.level) == (
        "3.",
        "成高管发〔2026〕8号",
        DocumentLevel.ZONE,
    )
    assert other.document.status.current


async def test_an_unknown_document_level_is_contract_drift() -> None:
    drifted = {
        **ASK_WITH_SOURCE,
        "answer": {
            **ASK_WITH_SOURCE["answer"],
            "document": {"id": "d", "title": "t", "level": "galactic", "status": "draft"},
        },
    }
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, json=drifted)))
    with pytest.raises(ApiUnavailable):
        await api.ask("问题")


@pytest.mark.parametrize(
    "payload",
    [
        {"unexpected": True},
        {"role": "enterprise", "display_name": None, "enterprise": None},  # queues missing
        {"role": "superuser", "display_name": None, "enterprise": None, "queues": []},
    ],
)
async def test_an_account_that_does_not_match_the_contract_is_unavailable(payload: dict[str, Any]) -> None:
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, json=payload)))
    with pytest.raises(ApiUnavailable):
        await api.me()


async def test_unknown_extra_fields_are_ignored() -> None:
    me = {"role": "staff", "display_name": "王五", "enterprise": None, "queues": ["talent"], "new_field": 1}
    api = client_with(httpx.MockTransport(lambda _: httpx.Response(200, json=me)))
    assert (await api.me()).role is Role.STAFF
