"""Fuzzing the edge with hypothesis: bodies, headers and Unicode (NUL, lone surrogates, huge lengths).

Whatever arrives, the answer is 2xx or 4xx, and every error is JSON `{"detail": "..."}` — never a 5xx.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.auth.models import Role
from tests.api.conftest import Desk
from tests.factories import SERVICE_TOKEN, auth_header, make_enterprise, make_token, make_user

ROUTES = [
    ("POST", "/api/v1/ask"),
    ("POST", "/api/v1/eligibility/check"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/bind"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/requests"),
    ("POST", "/api/v1/feedback"),
    ("PUT", "/api/v1/profile"),
    ("POST", "/api/v1/admin/faq"),
    ("POST", "/api/v1/admin/users"),
    ("POST", "/api/v1/admin/clauses/validate"),
    ("POST", "/api/v1/admin/documents/preview"),
    ("GET", "/api/v1/documents"),
    ("GET", "/api/v1/measures/{}"),
    ("GET", "/api/v1/requests/{}"),
    ("POST", "/api/v1/tickets/{}/reply"),
    ("POST", "/api/v1/admin/users/{}/password"),
]
FIELDS = ["text", "profile", "username", "password", "uscc", "binding_code", "current_password", "new_password",
          "subject", "body", "contact", "category", "question", "answer", "role", "document_id", "measure_id",
          "helpful", "version", "score"]  # fmt: skip

# Every code point, surrogates and NUL included; now and then far past any column's size.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
huge_text = st.builds(
    lambda c, n: c * n, st.sampled_from(["ﷺ", "\x00", "\ud800", "a", "高"]), st.integers(500, 300_000)
)
text = st.one_of(any_text, huge_text)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=8,
)
json_object = st.dictionaries(st.sampled_from(FIELDS) | any_text, json_value, max_size=6)
# Bodies: JSON with \u escapes (lone surrogates survive), raw bytes (invalid UTF-8 too), or nothing.
body = st.one_of(
    json_object.map(lambda o: json.dumps(o, ensure_ascii=True).encode()),
    json_value.map(lambda v: json.dumps(v, ensure_ascii=True).encode()),
    st.binary(max_size=2000),
    st.just(b""),
)
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=80)
content_type = (
    st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
    )
    | header_text
)


@pytest.fixture
def tokens(sqlite_desk: Desk) -> dict[str, str]:
    """Bearer headers of an enterprise user, a staff member and an admin."""
    with sqlite_desk.session() as session:
        users = {
            "enterprise": make_user(session, Role.ENTERPRISE, enterprise=make_enterprise(session)),
            "staff": make_user(session, Role.STAFF, queues=["talent"]),
            "admin": make_user(session, Role.ADMIN),
        }
        made = {k: auth_header(make_token(session, u))["Authorization"] for k, u in users.items()}
        session.commit()
    return made


def _headers(auth: str, extra: dict[str, str]) -> dict[str, Any]:
    return {"Authorization": auth, **extra} if auth else extra


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    route=st.sampled_from(ROUTES),
    path_part=any_text,
    query=st.dictionaries(
        st.sampled_from(["q", "limit", "offset", "level", "status"]) | any_text, any_text, max_size=3
    ),
    payload=body,
    who=st.sampled_from(["anonymous", "junk", "enterprise", "staff", "admin", "bot"]),
    telegram_id=header_text,
    kind=content_type,
    extra=st.dictionaries(
        st.sampled_from(["Idempotency-Key", "X-CSRF-Token", "Accept-Language", "Last-Event-ID"]),
        header_text,
        max_size=3,
    ),
)
def test_the_edge_answers_any_request_with_json_and_never_5xx(
    sqlite_desk: Desk,
    tokens: dict[str, str],
    route: tuple[str, str],
    path_part: str,
    query: dict[str, str],
    payload: bytes,
    who: str,
    telegram_id: str,
    kind: str,
    extra: dict[str, str],
) -> None:
    method, template = route
    path = template.format(quote(path_part.encode("utf-8", "surrogatepass"), safe="")) if "{}" in template else template
    auth = {"anonymous": "", "junk": f"Bearer {telegram_id}", "bot": f"Bearer {SERVICE_TOKEN}"}.get(
        who, tokens.get(who, "")
    )
    headers = _headers(auth, {"Content-Type": kind, "X-Telegram-User-Id": telegram_id, **extra})
    encoded = {k.encode("latin-1"): v.encode("latin-1") for k, v in headers.items()}
    params = {k.encode("utf-8", "surrogatepass"): v.encode("utf-8", "surrogatepass") for k, v in query.items()}
    response = sqlite_desk.client.request(
        method, path, content=payload if method != "GET" else None, headers=encoded, params=params
    )
    assert response.status_code < 500, (method, path, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json")
        assert isinstance(response.json()["detail"], str)
