"""Attachments both ways: stored in the database, type sniffed from the bytes, limits 413/415, shown in the
thread, downloadable only by those who may see the ticket (404 for anyone else)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from api.attachments.models import TicketAttachment
from common.roles import Role
from tests.api.conftest import Desk
from tests.api.desk.accounts import signed_in
from tests.factories import bot_header

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FIRM, OTHER_FIRM = 1001, 1002
REQUEST = {"category": "housing", "subject": "人才公寓", "body": "申请", "contact": "028-1"}


def office_document(folder: str) -> bytes:
    """A minimal OOXML package (a ZIP with [Content_Types].xml and the part folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<doc/>")
    return buffer.getvalue()


@dataclass
class World:
    desk: Desk
    staff: dict[str, str]
    colleague: dict[str, str]
    outsider: dict[str, str]
    number: str

    def upload(self, side: str, data: bytes, name: str = "证明.pdf", **form: Any) -> Any:
        """Upload as the enterprise (`firm`) or a staff member (`staff`, `colleague`, `outsider`)."""
        files = {"file": (name, data, "image/png")}  # the client's type is never believed
        if side == "firm":
            url, headers = f"/api/v1/requests/{self.number}/attachments", bot_header(FIRM)
        else:
            url, headers = f"/api/v1/tickets/{self.number}/attachments", getattr(self, side)
        return self.desk.client.post(url, files=files, data=form, headers=headers)

    def claim(self) -> None:
        """The staff member claims the ticket."""
        assert self.desk.client.post(f"/api/v1/tickets/{self.number}/claim", headers=self.staff).status_code == 200


@pytest.fixture
def world(desk: Desk) -> World:
    headers = signed_in(desk, (Role.STAFF, ["talent"]), (Role.STAFF, ["talent"]), (Role.STAFF, ["approvals"]))
    created = desk.client.post("/api/v1/requests", json=REQUEST, headers={**bot_header(FIRM), "Idempotency-Key": "a"})
    return World(desk, *headers, number=created.json()["number"])


def test_an_enterprise_file_is_stored_sniffed_shown_and_downloadable_by_its_staff(world: World) -> None:
    response = world.upload("firm", PDF, name="../../社保证明.pdf")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["name"], body["size"], body["content_type"]) == ("社保证明.pdf", len(PDF), "application/pdf")
    with world.desk.session() as session:
        stored = session.exec(select(TicketAttachment)).one()
    assert stored.data == PDF
    detail = world.desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).json()
    assert [(a["id"], a["name"], a["author_role"]) for a in detail["attachments"]] == [
        (body["id"], "社保证明.pdf", "enterprise")
    ]
    assert "社保证明.pdf" in detail["messages"][-1]["body"]
    download = world.desk.client.get(f"/api/v1/attachments/{body['id']}", headers=world.staff)
    assert (download.status_code, download.content) == (200, PDF)
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in download.headers["content-disposition"]
    own = world.desk.client.get(f"/api/v1/attachments/{body['id']}", headers=bot_header(FIRM))
    assert own.status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_firm", "missing"])
def test_a_file_is_404_for_whoever_may_not_see_its_ticket(world: World, who: str) -> None:
    attachment_id = world.upload("firm", PDF).json()["id"]
    headers = {"outsider": world.outsider, "other_firm": bot_header(OTHER_FIRM), "missing": world.staff}[who]
    if who == "missing":
        attachment_id += 1000
    if who == "other_firm":  # a Telegram user the desk knows, of no enterprise of this ticket
        world.desk.client.post("/api/v1/requests", json=REQUEST, headers={**headers, "Idempotency-Key": "b"})
    assert world.desk.client.get(f"/api/v1/attachments/{attachment_id}", headers=headers).status_code == 404
    assert world.desk.client.get(f"/api/v1/attachments/{attachment_id}").status_code == 401


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "setup.exe", 415),
        (b"just text, not a document", "notes.pdf", 415),  # a PDF name does not make a PDF
        (b"", "empty.pdf", 422),
        (PDF + b"\x00" * (10 * 1024 * 1024), "big.pdf", 413),
    ],
)
def test_bad_files_are_refused(world: World, data: bytes, name: str, status: int) -> None:
    response = world.upload("firm", data, name=name)
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    with world.desk.session() as session:
        assert session.exec(select(TicketAttachment)).all() == []


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PNG, "photo.jpg", "image/png"),
        (office_document("word/"), "x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office_document("xl/"), "x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (office_document("scans/"), "材料.zip", "application/zip"),
    ],
)
def test_the_type_comes_from_the_bytes(world: World, data: bytes, name: str, content_type: str) -> None:
    response = world.upload("firm", data, name=name)
    assert (response.status_code, response.json()["content_type"]) == (201, content_type)


def test_a_file_answers_a_request_for_more(world: World) -> None:
    world.claim()
    world.desk.client.post(
        f"/api/v1/tickets/{world.number}/wait", json={"version": 2, "body": "请补充"}, headers=world.staff
    )
    assert world.upload("firm", PDF).status_code == 201
    request = world.desk.client.get(f"/api/v1/requests/{world.number}", headers=bot_header(FIRM)).json()
    assert (request["status"], request["sla_paused"]) == ("claimed", False)


def test_staff_files_follow_the_reply_rules(world: World) -> None:
    first = world.upload("colleague", PNG, name="回执.png")  # a file on a new ticket claims it
    assert first.status_code == 201, first.text
    detail = world.desk.client.get(f"/api/v1/tickets/{world.number}", headers=world.staff).json()
    assert detail["status"] == "claimed"
    assert world.upload("staff", PDF).status_code == 403  # not the assignee
    assert world.upload("colleague", PDF, version="1").status_code == 409  # stale
    assert world.upload("outsider", PDF).status_code == 404
    firm = world.desk.client.get(f"/api/v1/requests/{world.number}", headers=bot_header(FIRM)).json()
    assert [(a["name"], a["author_role"]) for a in firm["attachments"]] == [("回执.png", "staff")]


def test_no_file_on_a_closed_request(world: World) -> None:
    world.desk.client.post(f"/api/v1/requests/{world.number}/cancel", json={}, headers=bot_header(FIRM))
    assert world.upload("firm", PDF).status_code == 409
