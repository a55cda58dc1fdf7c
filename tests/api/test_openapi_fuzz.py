"""schemathesis over the app's own OpenAPI spec, as every role: no input the spec allows gives a 5xx.

In-process (ASGI) and bounded: a fixed number of examples per role, drawn across every operation.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from api.auth.models import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, bot_header, make_enterprise, make_token, make_user

EXAMPLES_PER_ROLE = 120
# A stream never ends by itself; logout and revoke-all end the very session the run goes on with
# (tests/api/desk/test_accounts.py covers them).
SKIPPED = {("GET", "/api/v1/events"), ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/revoke-all")}


def _anonymous(_: Session) -> dict[str, str]:
    return {}


def _enterprise(session: Session) -> dict[str, str]:
    user = make_user(session, Role.ENTERPRISE, enterprise=make_enterprise(session))
    return auth_header(make_token(session, user))


def _staff(session: Session) -> dict[str, str]:
    return auth_header(make_token(session, make_user(session, Role.STAFF, queues=["talent"])))


def _admin(session: Session) -> dict[str, str]:
    return auth_header(make_token(session, make_user(session, Role.ADMIN)))


def _bot(_: Session) -> dict[str, str]:
    return bot_header(424242)


ROLES: dict[str, Callable[[Session], dict[str, str]]] = {
    "anonymous": _anonymous,
    "enterprise": _enterprise,
    "staff": _staff,
    "admin": _admin,
    "bot": _bot,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_answers_5xx(sqlite_desk: Desk, role: str) -> None:
    with sqlite_desk.session() as session:
        headers = ROLES[role](session)
        session.commit()
    schema = schemathesis.openapi.from_asgi("/openapi.json", sqlite_desk.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if (op.method.upper(), op.path) not in SKIPPED]
    assert len(operations) > 40  # the whole API, not an empty spec
    seen: list[int] = []

    @settings(
        max_examples=EXAMPLES_PER_ROLE,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of([op.as_strategy() for op in operations]))
    def call(case: schemathesis.Case) -> None:
        kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
        if not kwargs.get("cookies"):
            kwargs.pop("cookies", None)  # the spec declares no cookies; starlette warns about per-request ones
        response = sqlite_desk.client.request(**kwargs)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
        if response.status_code >= 400:
            assert isinstance(response.json()["detail"], str)

    call()
    assert len(seen) >= EXAMPLES_PER_ROLE // 2
    assert any(code < 300 for code in seen)  # some examples got past validation and authorisation
