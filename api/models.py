"""Every table, imported once so the SQLModel metadata (and Alembic) sees them all."""

from __future__ import annotations

from sqlmodel import SQLModel

from api.attachments.models import TicketAttachment
from api.auth.models import AuthToken, TelegramLinkCode, User
from api.calendar.models import CalendarDay
from api.eligibility.models import EligibilityClause, EligibilityFact, PolicyMatchJob, PolicyNotification
from api.enterprises.models import Enterprise
from api.events.models import OutboxEvent
from api.faqs.models import AnswerFeedback, AskPick, FaqEntry, UnansweredQuestion
from api.guides.models import CategoryGuide, TicketMaterial
from api.policy.models import LibraryRevision, PolicyDocument, PolicyDocumentVersion, PolicyMeasure
from api.profiles.models import EligibilityProfile
from api.queues.models import CannedReply, Queue, QueueMembership, RoutingRule
from api.ratings.models import Rectification
from api.reports.models import TICKETS_CREATED_AT, TICKETS_RESOLVED_AT
from api.supervision.models import JobLease, SlaAlert, Supervision
from api.tickets.models import AuditEntry, Ticket, TicketMessage, TicketRating

metadata = SQLModel.metadata

__all__ = [
    "TICKETS_CREATED_AT",
    "TICKETS_RESOLVED_AT",
    "AnswerFeedback",
    "AskPick",
    "AuditEntry",
    "AuthToken",
    "CalendarDay",
    "CannedReply",
    "CategoryGuide",
    "EligibilityClause",
    "EligibilityFact",
    "EligibilityProfile",
    "Enterprise",
    "FaqEntry",
    "JobLease",
    "LibraryRevision",
    "OutboxEvent",
    "PolicyDocument",
    "PolicyDocumentVersion",
    "PolicyMatchJob",
    "PolicyMeasure",
    "PolicyNotification",
    "Queue",
    "QueueMembership",
    "Rectification",
    "RoutingRule",
    "SlaAlert",
    "Supervision",
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
