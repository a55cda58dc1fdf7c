"""Files on a ticket, both ways: each upload is announced by a message in the thread (so the enterprise's
answers a request for more and restarts the clock, and a staff file follows the reply rules)."""

from __future__ import annotations

import unicodedata
from typing import Any, cast

from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from api.attachments import messages
from api.attachments.errors import AttachmentNotFound, AttachmentTooLarge, UnsupportedType
from api.attachments.models import TicketAttachment
from api.attachments.sniff import sniff_content_type
from api.auth.models import User
from api.domain_errors import InvalidInput, NotFound
from api.tickets import service as tickets
from api.tickets.models import Ticket
from common.roles import Role

MAX_BYTES = 10 * 1024 * 1024
NAME_CHARS = 255
_DATA = cast(QueryableAttribute[Any], TicketAttachment.data)  # the bytes: loaded only for a download


def clean_name(raw: str | None) -> str:
    """A file name safe to store and to send back: no directories, controls or NUL, at most 255 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = (" " if unicodedata.category(ch) == "Zs" else ch for ch in name)
    name = "".join(
        ch for ch in kept if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp")
    )
    name = name.strip().strip(".")
    return name[-NAME_CHARS:] or messages.DEFAULT_NAME


def check_file(data: bytes, name: str) -> str:
    """The sniffed content type of an acceptable file (413 over 10 MiB, 415 for other kinds)."""
    if len(data) > MAX_BYTES:
        raise AttachmentTooLarge(messages.TOO_LARGE)
    if not data:
        raise InvalidInput(messages.EMPTY_FILE)
    content_type = sniff_content_type(data, name)
    if content_type is None:
        raise UnsupportedType(messages.UNSUPPORTED_TYPE)
    return content_type


def _store(
    session: Session, ticket: Ticket, uploader: User, name: str, content_type: str, data: bytes
) -> TicketAttachment:
    assert ticket.id is not None
    attachment = TicketAttachment(
        ticket_id=ticket.id,
        uploader_id=uploader.id,
        author_role=uploader.role,
        name=name,
        content_type=content_type,
        size=len(data),
        data=data,
    )
    session.add(attachment)
    session.flush()
    return attachment


def attach_from_enterprise(
    *, session: Session, ticket: Ticket, author: User, name: str, content_type: str, data: bytes
) -> TicketAttachment:
    """The enterprise sends a file: a message announces it (answering a request for more resumes the clock)."""
    tickets.add_enterprise_message(
        session=session, ticket=ticket, author=author, body=messages.ENTERPRISE_SENT.format(name=name)
    )
    return _store(session, ticket, author, name, content_type, data)


def attach_from_staff(
    *, session: Session, ticket: Ticket, staff: User, version: int, name: str, content_type: str, data: bytes
) -> TicketAttachment:
    """Staff send a file: a public reply announces it (the assignee's; a file on a new ticket claims it)."""
    tickets.reply(
        session=session, ticket=ticket, staff=staff, version=version, body=messages.STAFF_SENT.format(name=name)
    )
    return _store(session, ticket, staff, name, content_type, data)


def list_attachments(*, session: Session, ticket: Ticket) -> list[TicketAttachment]:
    """A ticket's files, oldest first, without loading their bytes."""
    statement = (
        select(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id).order_by(col(TicketAttachment.id))
    )
    return list(session.exec(statement.options(defer(_DATA))).all())


def get_attachment(*, session: Session, user: User, attachment_id: int) -> TicketAttachment:
    """A file of a ticket the caller may see (404 for any other, as for the ticket itself)."""
    attachment = session.get(TicketAttachment, attachment_id)
    if attachment is None:
        raise AttachmentNotFound(messages.NOT_FOUND)
    ticket = session.get(Ticket, attachment.ticket_id)
    assert ticket is not None
    assert ticket.number is not None
    try:
        if user.role == Role.ENTERPRISE:
            tickets.get_request(session=session, user=user, number=ticket.number)
        else:
            tickets.get_ticket(session=session, user=user, number=ticket.number)
    except NotFound as exc:
        raise AttachmentNotFound(messages.NOT_FOUND) from exc
    return attachment
