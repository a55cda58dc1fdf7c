"""常用回复 per queue, and queues without staff flagged for admins and in the transfer dialog."""

from __future__ import annotations

from tests.api.conftest import Desk
from tests.api.supervision.conftest import Window

URL = "/api/v1/queues/talent/canned-replies"
REPLY = {"title": "材料清单", "body": "请提供营业执照、劳动合同和社保缴纳证明。"}


def test_supervisor_keeps_canned_replies_and_members_read_them(desk: Desk, window: Window) -> None:
    created = desk.client.post(URL, json=REPLY, headers=window.supervisor)
    assert created.status_code == 201
    reply_id = created.json()["id"]
    listed = desk.client.get(URL, headers=window.colleague).json()
    assert [(r["title"], r["body"]) for r in listed["items"]] == [(REPLY["title"], REPLY["body"])]
    patched = desk.client.patch(f"{URL}/{reply_id}", json={"title": "所需材料"}, headers=window.admin)
    assert (patched.status_code, patched.json()["title"], patched.json()["body"]) == (200, "所需材料", REPLY["body"])
    assert desk.client.delete(f"{URL}/{reply_id}", headers=window.supervisor).status_code == 204
    assert desk.client.get(URL, headers=window.assignee).json()["total"] == 0


def test_plain_members_cannot_edit_and_outsiders_cannot_read(desk: Desk, window: Window) -> None:
    assert desk.client.post(URL, json=REPLY, headers=window.assignee).status_code == 403
    assert desk.client.get(URL, headers=window.outsider).status_code == 403
    assert desk.client.get(URL, headers=window.enterprise).status_code == 403
    reply_id = desk.client.post(URL, json=REPLY, headers=window.supervisor).json()["id"]
    assert desk.client.delete(f"{URL}/{reply_id}", headers=window.colleague).status_code == 403
    assert desk.client.patch(f"{URL}/{reply_id}", json={"body": "x"}, headers=window.outsider).status_code == 403


def test_a_reply_of_another_queue_is_404_and_bad_input_422(desk: Desk, window: Window) -> None:
    reply_id = desk.client.post(URL, json=REPLY, headers=window.supervisor).json()["id"]
    other = f"/api/v1/queues/approvals/canned-replies/{reply_id}"
    assert desk.client.delete(other, headers=window.admin).status_code == 404
    assert desk.client.post(URL, json={"title": "", "body": "x"}, headers=window.supervisor).status_code == 422
    assert desk.client.get("/api/v1/queues/nope/canned-replies", headers=window.admin).status_code == 404


def test_queues_without_staff_are_flagged(desk: Desk, window: Window) -> None:
    admin = {
        q["key"]: q["members"] for q in desk.client.get("/api/v1/admin/queues", headers=window.admin).json()["items"]
    }
    assert admin == {"approvals": 1, "foreign-talent": 0, "front-desk": 0, "talent": 3}
    targets = desk.client.get("/api/v1/queues/targets", headers=window.assignee).json()["items"]
    assert {q["key"]: q["members"] for q in targets} == admin
    assert desk.client.get("/api/v1/queues/targets", headers=window.enterprise).status_code == 403
    desk.client.post("/api/v1/admin/users/chen/disable", headers=window.admin)
    targets = desk.client.get("/api/v1/queues/targets", headers=window.assignee).json()["items"]
    assert {q["key"]: q["members"] for q in targets}["approvals"] == 0  # a disabled account sees nothing
