"""Every table, imported once so the SQLModel metadata (and Alembic) sees them all."""

from __future__ import annotations

from sqlmodel import SQLModel

from api.attachments.models import TicketAttachment
from api.auth.models import AuthToken, TelegramLinkCode, User
from api.calendar.models import CalendarDay
from api.enterprises.models import Enterprise
from api.events.models import OutboxEvent
from api.faqs.models import AnswerFeedback, AskPick, FaqEntry, UnansweredQuestion
from api.guides.models import CategoryGuide, TicketMaterial
from api.policy.models import LibraryRevision, PolicyDocument, PolicyDocumentVersion, PolicyMeasure
from api.profiles.models import EligibilityProfile
from api.queues.models import Queue, QueueMembership, RoutingRule
from api.ratings.models import Rectification
from api.tickets.models import AuditEntry, Ticket, TicketMessage, TicketRating

metadata = SQLModel.metadata

__all__ = [
    "AnswerFeedback",
    "AskPick",
    "AuditEntry",
    "AuthToken",
    "CalendarDay",
    "CategoryGuide",
    "EligibilityProfile",
    "Enterprise",
    "FaqEntry",
    "LibraryRevision",
    "OutboxEvent",
    "PolicyDocument",
    "PolicyDocumentVersion",
    "PolicyMeasure",
    "Queue",
    "QueueMembership",
    "Rectification",
    "RoutingRule",
    "TelegramLinkCode",
    "Ticket",
    "TicketAttachment",
    "TicketMaterial",
    "TicketMessage",
    "TicketRating",
    "UnansweredQuestion",
    "User",
    "metadata",
]
