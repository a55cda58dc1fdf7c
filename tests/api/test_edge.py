"""The edge of the API (DESIGN.md "Limits"): bounded bodies, valid text only, never a 500 for bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from api.edge import BODY_LIMIT, EdgeLimitsMiddleware
from tests.api.conftest import Desk
from tests.api.test_throttle import throttled_by_fake_clock
from tests.factories import SERVICE_TOKEN

JSON = {"Content-Type": "application/json"}


def _is_chinese_detail(response_json: object) -> bool:
    assert isinstance(response_json, dict)
    detail = response_json["detail"]
    return isinstance(detail, str) and "\u4e00" <= detail[0] <= "\u9fff"


def test_body_declared_over_one_mib_is_413_json(sqlite_desk: Desk) -> None:
    response = sqlite_desk.client.post("/api/v1/ask", content=b"x" * (BODY_LIMIT + 1), headers=JSON)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert _is_chinese_detail(response.json())


def test_body_of_exactly_one_mib_is_read(sqlite_desk: Desk) -> None:
    body = json.dumps({"text": "高企认定"}).encode().ljust(BODY_LIMIT, b" ")
    assert sqlite_desk.client.post("/api/v1/ask", content=body, headers=JSON).status_code == 200


class Streamed:
    """A 4 MiB chunked body: counts the chunks the app asked for."""

    CHUNK = 64 * 1024
    TOTAL = 64

    def __init__(self) -> None:
        self.chunks = 0

    async def __call__(self) -> Message:
        self.chunks += 1
        return {"type": "http.request", "body": b" " * self.CHUNK, "more_body": self.chunks < self.TOTAL}


async def _call(app: object, path: str, receive: Receive) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await app(scope, receive, send)  # type: ignore[operator]
    return sent


async def test_chunked_body_is_refused_once_it_passes_the_limit_without_reading_the_rest(sqlite_desk: Desk) -> None:
    body = Streamed()
    sent = await _call(sqlite_desk.app, "/api/v1/ask", body)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    payload = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    assert _is_chinese_detail(payload)
    assert body.chunks == BODY_LIMIT // Streamed.CHUNK + 1  # stopped at the first chunk past the limit


async def test_a_body_read_outside_fastapi_is_refused_too() -> None:
    async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
        body = await Request(scope, receive).body()
        await JSONResponse({"length": len(body)})(scope, receive, send)

    body = Streamed()
    sent = await _call(EdgeLimitsMiddleware(echo_length), "/upload", body)
    assert sent[0]["status"] == 413
    assert body.chunks == BODY_LIMIT // Streamed.CHUNK + 1


@pytest.fixture
def fresh_throttle(desk: Desk) -> Iterator[None]:
    with throttled_by_fake_clock(desk.app):
        yield


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/v1/auth/login", b'{"username": "root\\u0000", "password": "secret-secret"}'),
        ("/api/v1/auth/login", b'{"username": "root", "password": "\\ud800secret"}'),
        ("/api/v1/ask", b'{"text": "\\ud800"}'),
        ("/api/v1/ask", b'{"text": "\\u0000\xe9\xab\x98\xe4\xbc\x81"}'),
        ("/api/v1/ask", json.dumps({"text": "ﷺ" * 500}).encode()),
        ("/api/v1/eligibility/check", b'{"profile": {"zone_level": "\\udfff"}}'),
        ("/api/v1/eligibility/check", b'{"profile": {"\\ud800": "national"}}'),
        ("/api/v1/eligibility/check", b'{"profile": {"zone_level": ["\\u0000"]}}'),
    ],
)
def test_bad_text_in_a_body_is_422_in_chinese(desk: Desk, fresh_throttle: None, path: str, raw: bytes) -> None:
    response = desk.client.post(path, content=raw, headers=JSON)
    assert response.status_code == 422
    assert _is_chinese_detail(response.json())


@pytest.mark.parametrize("path", ["/api/v1/tickets/%00", "/api/v1/documents?q=%00", "/api/v1/documents/a%00b"])
def test_nul_in_path_or_query_is_422(desk: Desk, path: str) -> None:
    response = desk.client.get(path)
    assert response.status_code == 422
    assert _is_chinese_detail(response.json())


@pytest.mark.parametrize("telegram_id", ["²", "¹²", str(2**63), str(2**64), "0"])
def test_bot_header_outside_positive_ascii_bigint_is_422(desk: Desk, telegram_id: str) -> None:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": telegram_id.encode("latin-1")}
    response = desk.client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 422


def test_bot_header_at_the_bigint_limit_is_accepted(desk: Desk) -> None:
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(2**63 - 1)}
    assert desk.client.get("/api/v1/auth/me", headers=headers).json()["telegram_user_id"] == 2**63 - 1


def test_nul_in_the_web_login_form_is_422(sqlite_desk: Desk) -> None:
    client = sqlite_desk.client
    client.get("/staff")
    form = {"username": "root\x00", "password": "secret-secret", "csrf_token": client.cookies["zd_csrf"]}
    assert client.post("/web/login", data=form).status_code == 422


unicode_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=600)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=unicode_text, key=unicode_text)
def test_any_text_to_ask_and_eligibility_is_never_a_5xx(sqlite_desk: Desk, text: str, key: str) -> None:
    for path, payload in (
        ("/api/v1/ask", {"text": text}),
        ("/api/v1/eligibility/check", {"profile": {key[:50]: text, "zone_level": text[:10]}}),
    ):
        raw = json.dumps(payload, ensure_ascii=True).encode()  # escapes keep lone surrogates in the JSON
        response = sqlite_desk.client.post(path, content=raw, headers=JSON)
        assert response.status_code < 500, (path, response.text)
