"""Exceptions of the ticket workflow (statuses in api/errors.py via their bases)."""

from __future__ import annotations

from api.domain_errors import Conflict, Forbidden, InvalidInput, NotFound


class TicketNotFound(NotFound):
    """No such ticket, or not one the caller may see."""


class ClaimLost(Conflict):
    """Someone claimed the ticket first (or it is no longer new)."""


class StaleVersion(Conflict):
    """The ticket changed since the caller read it."""


class InvalidTransition(Conflict):
    """The ticket's status does not allow that action."""


class AlreadyRated(Conflict):
    """The ticket has its rating already."""


class IdempotencyMismatch(InvalidInput):
    """The Idempotency-Key was used before for a different request."""


class NotQueueMember(Forbidden):
    """The staff member does not work that queue."""


class NotAssignee(Forbidden):
    """The ticket is claimed by someone else: only its assignee (or an admin) acts on it."""
