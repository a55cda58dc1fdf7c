"""办事指南: guides per category (admin-edited, seeded from defaults.yaml), the ticket's due time from the
承诺时限, and the materials staff tick as received."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, delete, select

from api.auth.models import User
from api.db import utcnow
from api.domain_errors import InvalidInput, NotFound
from api.guides import messages
from api.guides.models import CategoryGuide, TicketMaterial
from api.queues.service import route_category
from api.tickets.models import Ticket
from api.tickets.service import record_change
from api.tickets.workflow import Action

DEFAULTS_FILE = Path(__file__).parent / "defaults.yaml"


class NoGuide(NotFound):
    """The category has no guide yet."""


class UnknownMaterial(InvalidInput):
    """A material name that is not on the ticket's guide."""


@dataclass(frozen=True, slots=True)
class GuideDraft:
    """What an admin writes into a guide."""

    materials: tuple[str, ...]
    promised_days: int
    statutory_days: int
    fee: str
    location: str
    hours: str


@functools.cache
def load_default_guides() -> dict[str, dict[str, Any]]:
    """The bundled guides of the default categories."""
    data: dict[str, dict[str, Any]] = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))["guides"]
    return data


def seed_guides(session: Session) -> None:
    """Add the bundled guide of every routed default category that has none; never change existing ones."""
    have = set(session.exec(select(CategoryGuide.category)).all())
    for category, spec in load_default_guides().items():
        if category not in have:
            session.add(CategoryGuide(category=category, **spec))


def list_guides(*, session: Session) -> dict[str, CategoryGuide]:
    """Every guide by category."""
    return {g.category: g for g in session.exec(select(CategoryGuide)).all()}


def find_guide(*, session: Session, category: str) -> CategoryGuide | None:
    """The guide of a category, if it has one."""
    return session.exec(select(CategoryGuide).where(CategoryGuide.category == category)).first()


def get_guide(*, session: Session, category: str) -> CategoryGuide:
    """The guide of a category (404 when it has none)."""
    guide = find_guide(session=session, category=category)
    if guide is None:
        raise NoGuide(messages.NO_GUIDE.format(category=category))
    return guide


def set_guide(*, session: Session, category: str, draft: GuideDraft) -> CategoryGuide:
    """Create or replace a routed category's guide (new tickets of the category get its 承诺时限)."""
    route_category(session=session, category=category)  # unknown category → 422
    if draft.promised_days > draft.statutory_days:
        raise InvalidInput(messages.PROMISED_LONGER_THAN_STATUTORY)
    guide = find_guide(session=session, category=category) or CategoryGuide(
        category=category, promised_days=draft.promised_days, statutory_days=draft.statutory_days
    )
    guide.materials = list(dict.fromkeys(draft.materials))
    guide.promised_days, guide.statutory_days = draft.promised_days, draft.statutory_days
    guide.fee, guide.location, guide.hours = draft.fee or messages.NO_FEE, draft.location, draft.hours
    guide.updated_at = utcnow()
    session.add(guide)
    session.flush()
    return guide


def received_materials(*, session: Session, ticket: Ticket) -> set[str]:
    """Names of the materials ticked as received on a ticket."""
    return set(session.exec(select(TicketMaterial.name).where(TicketMaterial.ticket_id == ticket.id)).all())


def missing_materials(*, session: Session, ticket: Ticket) -> list[str]:
    """The guide's materials not yet received, in the guide's order."""
    guide = find_guide(session=session, category=ticket.category)
    if guide is None:
        return []
    received = received_materials(session=session, ticket=ticket)
    return [name for name in guide.materials if name not in received]


def with_missing_list(*, session: Session, ticket: Ticket, body: str, missing: list[str] | None) -> str:
    """A 请企业补充材料 message that lists the guide's materials still missing (as staff chose them)."""
    if not missing:
        return body
    guide = get_guide(session=session, category=ticket.category)
    unknown = [name for name in missing if name not in guide.materials]
    if unknown:
        raise UnknownMaterial(messages.UNKNOWN_MATERIAL.format(name=unknown[0]))
    lines = "\n".join(f"{n}. {name}" for n, name in enumerate(dict.fromkeys(missing), 1))
    return f"{body}\n\n{messages.MISSING_HEADING}\n{lines}"


def mark_received(*, session: Session, ticket: Ticket, staff: User, version: int, received: list[str]) -> Ticket:
    """Set which of the guide's materials are received (a staff write: versioned, the assignee's)."""
    guide = get_guide(session=session, category=ticket.category)
    unknown = [name for name in received if name not in guide.materials]
    if unknown:
        raise UnknownMaterial(messages.UNKNOWN_MATERIAL.format(name=unknown[0]))
    wanted = set(received)
    before = received_materials(session=session, ticket=ticket)
    record_change(
        session=session,
        ticket=ticket,
        staff=staff,
        version=version,
        action=Action.MATERIALS,
        audit="materials",
        received=sorted(wanted),
    )
    gone = before - wanted
    if gone:
        session.exec(
            delete(TicketMaterial).where(col(TicketMaterial.ticket_id) == ticket.id, col(TicketMaterial.name).in_(gone))
        )
    assert ticket.id is not None
    for name in wanted - before:
        session.add(TicketMaterial(ticket_id=ticket.id, name=name, received_by=staff.id))
    return ticket
