"""Base exceptions of the service desk; api/errors.py maps each base to its HTTP status.

Domain exceptions subclass one of these (`TicketNotFound(NotFound)`, `ClaimLost(Conflict)`), and the
message — Chinese first, English in brackets — becomes the response's `detail`.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base of the service desk's errors."""


class Unauthenticated(DeskError):
    """No valid credentials: 401."""


class Forbidden(DeskError):
    """Authenticated, not allowed: 403."""


class NotFound(DeskError):
    """Absent, or not visible to the caller: 404."""


class Conflict(DeskError):
    """Lost a race, stale version or an invalid transition: 409."""


class InvalidInput(DeskError):
    """Well-formed but unacceptable input: 422."""
