"""Exceptions of attachments (statuses in api/errors.py)."""

from __future__ import annotations

from api.domain_errors import DeskError, NotFound


class AttachmentTooLarge(DeskError):
    """The file is over the 10 MiB limit: 413."""


class UnsupportedType(DeskError):
    """The file is not a PDF, an image, an Office document or a ZIP: 415."""


class AttachmentNotFound(NotFound):
    """No such attachment, or not on a ticket the caller may see."""
