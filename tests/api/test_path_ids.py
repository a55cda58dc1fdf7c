"""Every integer path id of every route is bounded to the database's INTEGER range: 422, never a 500."""

from __future__ import annotations

from common.roles import Role
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user

TOO_LARGE = (2**31, 2**63, 10**30)  # past PostgreSQL's INTEGER, past SQLite's, past both


def _int_path_routes(desk: Desk) -> list[tuple[str, str, str]]:
    """(method, path, parameter) of every operation of the OpenAPI spec with an integer path parameter."""
    found = []
    for path, operations in desk.app.openapi()["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "path" and param["schema"].get("type") == "integer":
                    found.append((method.upper(), path, param["name"]))
    return found


def test_every_integer_path_id_past_integer_is_422(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_user(session, Role.ADMIN, username="root")
        session.commit()
        headers = auth_header(make_token(session, admin))
        session.commit()
    routes = _int_path_routes(desk)
    assert ("POST", "/api/v1/admin/faq/{entry_id}/unpublish", "entry_id") in routes
    for method, path, name in routes:
        for value in TOO_LARGE:
            url = path.replace(f"{{{name}}}", str(value)).replace("{number}", "ZD-000001").replace("{key}", "talent")
            response = desk.client.request(method, url, headers=headers, json={"version": 1})
            assert response.status_code == 422, (method, url, response.status_code, response.text)
            assert "detail" in response.json()


def test_a_path_id_within_integer_but_unknown_is_404(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_user(session, Role.ADMIN, username="root")
        session.commit()
        headers = auth_header(make_token(session, admin))
        session.commit()
    assert desk.client.get(f"/api/v1/admin/faq/{2**31 - 1}", headers=headers).status_code == 404
    assert desk.client.get(f"/api/v1/attachments/{2**31 - 1}", headers=headers).status_code == 404


def test_an_event_id_past_integer_is_422(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_user(session, Role.ADMIN, username="root")
        session.commit()
        headers = auth_header(make_token(session, admin))
        session.commit()
    for value in TOO_LARGE:
        by_query = desk.client.get("/api/v1/events", params={"last_event_id": value}, headers=headers)
        by_header = desk.client.get("/api/v1/events", headers={**headers, "Last-Event-ID": str(value)})
        assert (by_query.status_code, by_header.status_code) == (422, 422)


def test_every_list_offset_past_integer_is_422(desk: Desk) -> None:
    with desk.session() as session:
        admin = make_user(session, Role.ADMIN, username="root")
        session.commit()
        headers = auth_header(make_token(session, admin))
        session.commit()
    paths = [
        path
        for path, operations in desk.app.openapi()["paths"].items()
        if any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert "/api/v1/ratings" in paths
    for path in paths:
        url = path.replace("{number}", "ZD-000001").replace("{key}", "talent").replace("{document_id}", "x")
        response = desk.client.get(url, params={"offset": 2**63}, headers=headers)
        # 403 where the route is not an admin's (enterprise-only lists): refused before it reads anything
        assert response.status_code in (403, 422), (url, response.status_code, response.text)
    assert desk.client.get("/api/v1/ratings", params={"offset": 2**31}, headers=headers).status_code == 422
