"""督办 through the API, and who is a supervisor (admin API, account creation, the CLI)."""

from __future__ import annotations

import sys
from unittest.mock import patch

import pytest
from sqlmodel import col, select

from api.events.models import OutboxEvent
from common.tickets import EventType
from tests.api.conftest import Desk
from tests.api.supervision.conftest import Window
from zonedesk.cli import main


def _supervise(desk: Desk, window: Window, headers: dict[str, str], body: str = "请今日内答复企业") -> tuple[int, dict]:
    response = desk.client.post(f"/api/v1/tickets/{window.number}/supervisions", json={"body": body}, headers=headers)
    return response.status_code, response.json()


def _acknowledge(desk: Desk, window: Window, supervision_id: int, headers: dict[str, str]) -> int:
    url = f"/api/v1/tickets/{window.number}/supervisions/{supervision_id}/acknowledge"
    return desk.client.post(url, headers=headers).status_code


def test_supervisor_supervises_and_the_assignee_is_alerted(desk: Desk, window: Window) -> None:
    status, body = _supervise(desk, window, window.supervisor)
    assert (status, body["assignee"], body["acknowledged"], body["number"]) == (201, "wang", False, window.number)
    with desk.session() as session:
        [event] = session.exec(select(OutboxEvent).where(OutboxEvent.type == EventType.SUPERVISED)).all()
    assert (event.internal, event.queue_key, event.data["supervision_id"]) == (True, "talent", body["id"])
    pending = desk.client.get("/api/v1/supervisions/pending", headers=window.assignee).json()
    assert [item["id"] for item in pending["items"]] == [body["id"]]
    assert desk.client.get("/api/v1/supervisions/pending", headers=window.colleague).json()["total"] == 0


def test_only_the_assignee_acknowledges_and_only_once(desk: Desk, window: Window) -> None:
    _, body = _supervise(desk, window, window.supervisor)
    assert _acknowledge(desk, window, body["id"], window.colleague) == 403
    assert _acknowledge(desk, window, body["id"], window.supervisor) == 403
    assert _acknowledge(desk, window, body["id"], window.assignee) == 200
    assert _acknowledge(desk, window, body["id"], window.assignee) == 409
    listed = desk.client.get(f"/api/v1/tickets/{window.number}/supervisions", headers=window.colleague).json()
    [item] = listed["items"]
    assert (item["acknowledged"], item["acknowledged_by"]) == (True, "wang")
    assert desk.client.get("/api/v1/supervisions/pending", headers=window.assignee).json()["total"] == 0
    with desk.session() as session:
        acknowledged = session.exec(
            select(OutboxEvent).where(col(OutboxEvent.type) == EventType.SUPERVISION_ACKNOWLEDGED)
        ).all()
    assert len(acknowledged) == 1


def test_a_plain_member_cannot_supervise_and_an_outsider_does_not_see_the_ticket(desk: Desk, window: Window) -> None:
    assert _supervise(desk, window, window.colleague)[0] == 403
    assert _supervise(desk, window, window.outsider)[0] == 404
    assert desk.client.get(f"/api/v1/tickets/{window.number}/supervisions", headers=window.outsider).status_code == 404
    assert _supervise(desk, window, window.admin)[0] == 201


def test_unknown_supervision_is_404_and_an_empty_note_422(desk: Desk, window: Window) -> None:
    assert _acknowledge(desk, window, 999, window.assignee) == 404
    assert _supervise(desk, window, window.supervisor, body="  ")[0] == 422


def test_a_finished_ticket_cannot_be_supervised(desk: Desk, window: Window) -> None:
    version = window.ticket(desk).version
    desk.client.post(f"/api/v1/tickets/{window.number}/resolve", json={"version": version}, headers=window.assignee)
    status, body = _supervise(desk, window, window.supervisor)
    assert status == 409
    assert "已结束" in body["detail"]


def test_the_enterprise_cannot_reach_supervision(desk: Desk, window: Window) -> None:
    response = desk.client.get(f"/api/v1/tickets/{window.number}/supervisions", headers=window.enterprise)
    assert response.status_code == 403


def test_supervisor_flag_is_set_and_cleared_through_the_membership_api(desk: Desk, window: Window) -> None:
    members = desk.client.get("/api/v1/admin/queues/talent/members", headers=window.admin).json()["items"]
    assert {m["username"]: m["supervisor"] for m in members} == {"li": False, "wang": False, "zhao": True}
    me = desk.client.get("/api/v1/auth/me", headers=window.supervisor).json()
    assert me["supervises"] == ["talent"]
    cleared = desk.client.put(
        "/api/v1/admin/queues/talent/members/zhao", json={"supervisor": False}, headers=window.admin
    )
    assert cleared.status_code == 204
    assert desk.client.get("/api/v1/auth/me", headers=window.supervisor).json()["supervises"] == []
    assert _supervise(desk, window, window.supervisor)[0] == 403
    plain = desk.client.put("/api/v1/admin/queues/approvals/members/zhao", headers=window.admin)  # no body: as before
    assert plain.status_code == 204
    assert desk.client.get("/api/v1/auth/me", headers=window.supervisor).json()["queues"] == ["approvals", "talent"]
    refused = desk.client.put(
        "/api/v1/admin/queues/talent/members/zhao", json={"supervisor": True}, headers=window.supervisor
    )
    assert refused.status_code == 403


def test_admin_creates_a_supervisor_account(desk: Desk, window: Window) -> None:
    body = {"username": "sun", "password": "a-long-secret-42", "role": "staff", "supervises": ["approvals"]}
    assert desk.client.post("/api/v1/admin/users", json=body, headers=window.admin).status_code == 201
    members = desk.client.get("/api/v1/admin/queues/approvals/members", headers=window.admin).json()["items"]
    assert {m["username"]: m["supervisor"] for m in members} == {"chen": False, "sun": True}
    enterprise = {"username": "ent", "password": "a-long-secret-42", "role": "enterprise", "supervises": ["talent"]}
    assert desk.client.post("/api/v1/admin/users", json=enterprise, headers=window.admin).status_code == 422


def test_cli_creates_a_supervisor(desk: Desk, window: Window, capsys: pytest.CaptureFixture[str]) -> None:
    url = desk.engine.url.render_as_string(hide_password=False)
    argv = ["zonedesk", "users", "create", "--role", "staff", "--username", "zhou", "--password", "a-long-secret-42",
            "--queue", "talent", "--supervisor", "approvals", "--database-url", url]  # fmt: skip
    with patch.object(sys, "argv", argv), pytest.raises(SystemExit) as exited:
        main()
    assert not exited.value.code
    assert "approvals(supervisor)" in capsys.readouterr().out
    members = desk.client.get("/api/v1/admin/queues/approvals/members", headers=window.admin).json()["items"]
    assert {m["username"]: m["supervisor"] for m in members}["zhou"] is True
    talent = desk.client.get("/api/v1/admin/queues/talent/members", headers=window.admin).json()["items"]
    assert {m["username"]: m["supervisor"] for m in talent}["zhou"] is False


def _pending(desk: Desk, headers: dict[str, str]) -> list[int]:
    return [item["id"] for item in desk.client.get("/api/v1/supervisions/pending", headers=headers).json()["items"]]


def test_a_supervision_follows_the_ticket_to_its_new_assignee(desk: Desk, window: Window) -> None:
    _, body = _supervise(desk, window, window.supervisor)
    version = window.ticket(desk).version
    moved = desk.client.post(
        f"/api/v1/tickets/{window.number}/transfer",
        json={"version": version, "queue": "approvals", "reason": "审批类事项"},
        headers=window.assignee,
    )
    assert moved.status_code == 200, moved.text
    assert _pending(desk, window.assignee) == []  # no longer wang's ticket
    assert _pending(desk, window.outsider) == [body["id"]]  # unassigned in approvals: its members see it
    assert desk.client.post(f"/api/v1/tickets/{window.number}/claim", headers=window.outsider).status_code == 200
    assert _pending(desk, window.outsider) == [body["id"]]
    assert _acknowledge(desk, window, body["id"], window.assignee) in (403, 404)  # wang no longer sees the ticket
    assert _acknowledge(desk, window, body["id"], window.outsider) == 200
    assert _pending(desk, window.outsider) == []
