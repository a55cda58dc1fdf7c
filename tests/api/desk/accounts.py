"""Signed-in accounts for the service-window tests: one bearer header per (role, queues) asked for."""

from __future__ import annotations

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user


def signed_in(desk: Desk, *accounts: tuple[Role, list[str]]) -> list[dict[str, str]]:
    """Create each account (role, queues) and return its `Authorization` header, in order."""
    with desk.session() as session:
        users = [make_user(session, role, queues=queues) for role, queues in accounts]
        session.commit()
        headers = [auth_header(make_token(session, user)) for user in users]
        session.commit()
    return headers
