"""Indexes the reports' date-range queries use (on tables other packages own)."""

from __future__ import annotations

from sqlalchemy import Index

from api.tickets.models import Ticket

# Binding to the table's columns attaches the indexes to `tickets` in the shared metadata.
TICKETS_CREATED_AT = Index("ix_tickets_created_at", Ticket.__table__.c.created_at)  # type: ignore[attr-defined]
TICKETS_RESOLVED_AT = Index("ix_tickets_resolved_at", Ticket.__table__.c.resolved_at)  # type: ignore[attr-defined]
