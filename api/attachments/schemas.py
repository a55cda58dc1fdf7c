"""HTTP shapes of attachments."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from api.attachments.models import TicketAttachment
from common.roles import Role


class AttachmentOut(BaseModel):
    """A stored file (its bytes at GET /api/v1/attachments/{id})."""

    id: int
    name: str
    size: int
    content_type: str

    @classmethod
    def of(cls, attachment: TicketAttachment) -> AttachmentOut:
        """Build from the row."""
        assert attachment.id is not None
        return cls(id=attachment.id, name=attachment.name, size=attachment.size, content_type=attachment.content_type)


class ThreadAttachmentOut(AttachmentOut):
    """A file in a ticket's thread: who sent it and when."""

    author_role: Role
    author_name: str
    created_at: dt.datetime
