"""Routes: POST /api/v1/requests/{number}/attachments (enterprise), POST /api/v1/tickets/{number}/attachments
(staff), GET /api/v1/attachments/{id} (whoever may see the ticket)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Response, UploadFile

from api.attachments import service
from api.attachments.schemas import AttachmentOut
from api.deps import CurrentUser, DbDep, EnterpriseActor, StaffUser, UnitOfWorkDep
from api.pagination import RowId
from api.routing import SessionReleasingRoute
from api.tickets.service import get_request, get_ticket

router = APIRouter(tags=["attachments"], route_class=SessionReleasingRoute)
FileField = Annotated[UploadFile, File(description="PDF, image, Office document or ZIP; at most 10 MiB")]


def _read(upload: UploadFile) -> tuple[str, str, bytes]:
    """The cleaned name, sniffed type and bytes of an upload (read before the write lock is taken)."""
    data = upload.file.read(service.MAX_BYTES + 1)
    name = service.clean_name(upload.filename)
    return name, service.check_file(data, name), data


@router.post("/requests/{number}/attachments", response_model=AttachmentOut, status_code=201)
def upload_from_enterprise(number: str, file: FileField, user: EnterpriseActor, uow: UnitOfWorkDep) -> AttachmentOut:
    """Send a file on the caller's request (answers a request for more, like a message)."""
    name, content_type, data = _read(file)
    with uow as session:
        ticket = get_request(session=session, user=user, number=number)
        attachment = service.attach_from_enterprise(
            session=session, ticket=ticket, author=user, name=name, content_type=content_type, data=data
        )
    return AttachmentOut.of(attachment)


@router.post("/tickets/{number}/attachments", response_model=AttachmentOut, status_code=201)
def upload_from_staff(
    number: str,
    file: FileField,
    staff: StaffUser,
    uow: UnitOfWorkDep,
    version: Annotated[int | None, Form(ge=1, description="the ticket version (409 when stale)")] = None,
) -> AttachmentOut:
    """Send a file to the enterprise (a public reply: the assignee's; on a new ticket it claims it)."""
    name, content_type, data = _read(file)
    with uow as session:
        ticket = get_ticket(session=session, user=staff, number=number)
        attachment = service.attach_from_staff(
            session=session,
            ticket=ticket,
            staff=staff,
            version=ticket.version if version is None else version,
            name=name,
            content_type=content_type,
            data=data,
        )
    return AttachmentOut.of(attachment)


@router.get("/attachments/{attachment_id}", response_class=Response)
def download(attachment_id: RowId, user: CurrentUser, session: DbDep) -> Response:
    """The file, for whoever may see its ticket (404 for anyone else)."""
    attachment = service.get_attachment(session=session, user=user, attachment_id=attachment_id)
    return Response(
        content=attachment.data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.name)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
