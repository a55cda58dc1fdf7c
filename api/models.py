"""Every table, imported once so the SQLModel metadata (and Alembic) sees them all."""

from __future__ import annotations

from sqlmodel import SQLModel

from api.auth.models import AuthToken, TelegramLinkCode, User
from api.calendar.models import CalendarDay
from api.eligibility.models import EligibilityClause, EligibilityFact, PolicyMatchJob, PolicyNotification
from api.enterprises.models import Enterprise
from api.events.models import OutboxEvent
from api.faqs.models import AnswerFeedback, AskPick, FaqEntry, UnansweredQuestion
from api.policy.models import LibraryRevision, PolicyDocument, PolicyDocumentVersion, PolicyMeasure
from api.profiles.models import EligibilityProfile
from api.queues.models import Queue, QueueMembership, RoutingRule
from api.tickets.models import AuditEntry, Ticket, TicketMessage, TicketRating

metadata = SQLModel.metadata

__all__ = [
    "AnswerFeedback",
    "AskPick",
    "AuditEntry",
    "AuthToken",
    "CalendarDay",
    "EligibilityClause",
    "EligibilityFact",
    "EligibilityProfile",
    "Enterprise",
    "FaqEntry",
    "LibraryRevision",
    "OutboxEvent",
    "PolicyDocument",
    "PolicyDocumentVersion",
    "PolicyMatchJob",
    "PolicyMeasure",
    "PolicyNotification",
    "Queue",
    "QueueMembership",
    "RoutingRule",
    "TelegramLinkCode",
    "Ticket",
    "TicketMessage",
    "TicketRating",
    "UnansweredQuestion",
    "User",
    "metadata",
]
