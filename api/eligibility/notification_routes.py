"""Routes: /api/v1/notifications — policies that now fit the caller's enterprise (直达快享), and the opt-out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import CatalogDep, DbDep, EnterpriseActor, UnitOfWorkDep
from api.eligibility import notifications
from api.eligibility.models import PolicyNotification
from api.pagination import Limit, Offset
from api.profiles import service as profiles
from api.routing import SessionReleasingRoute
from api.text import EdgeModel
from common.eligibility import NotificationKind, VerdictStatus

router = APIRouter(prefix="/notifications", tags=["notifications"], route_class=SessionReleasingRoute)


class NotificationOut(BaseModel):
    """A clause the enterprise meets (or is one fact from), with what a card needs to show it."""

    id: int
    kind: NotificationKind = NotificationKind.POLICY_MATCH
    clause_id: str
    measure_id: str
    status: VerdictStatus
    created_at: datetime
    read: bool
    title: str = Field(description="the clause's title; empty when it was withdrawn since")
    benefit: str = Field(description="the clause's benefit; empty when it was withdrawn since")


class NotificationPage(BaseModel):
    """A page of notifications; `unread` counts the badge, `enabled` is the opt-out switch."""

    items: list[NotificationOut]
    total: int
    unread: int
    enabled: bool


class NotificationIds(EdgeModel):
    """Notifications to mark."""

    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(max_length=200)


class NotificationSettings(EdgeModel):
    """Whether the enterprise wants policy-match notifications."""

    enabled: bool


def _out(row: PolicyNotification, catalog: CatalogDep) -> NotificationOut:
    clause = next((c for c in catalog.clauses.clauses if c.id == row.clause_id), None)
    assert row.id is not None
    return NotificationOut(
        id=row.id,
        clause_id=row.clause_id,
        measure_id=clause.measure_id if clause else row.measure_id,
        status=row.status,
        created_at=row.created_at,
        read=row.read_at is not None,
        title=clause.title if clause else "",
        benefit=clause.benefit if clause else "",
    )


@router.get("", response_model=NotificationPage)
def list_notifications(
    user: EnterpriseActor,
    session: DbDep,
    catalog: CatalogDep,
    limit: Limit = 50,
    offset: Offset = 0,
    undelivered: bool = False,
) -> NotificationPage:
    """The caller's policy-match notifications, newest first (`undelivered`: those the bot has not sent)."""
    rows, total, enabled = notifications.list_notifications(
        session, user, limit=limit, offset=offset, undelivered=undelivered
    )
    unread = sum(1 for row in rows if row.read_at is None)
    return NotificationPage(items=[_out(r, catalog) for r in rows], total=total, unread=unread, enabled=enabled)


@router.post("/read")
def mark_read(body: NotificationIds, user: EnterpriseActor, uow: UnitOfWorkDep) -> dict[str, int]:
    """Mark notifications read."""
    with uow as session:
        return {"marked": notifications.mark(session, user, body.ids, delivered=False)}


@router.post("/delivered")
def mark_delivered(body: NotificationIds, user: EnterpriseActor, uow: UnitOfWorkDep) -> dict[str, int]:
    """Mark notifications sent by the bot, so it sends each once."""
    with uow as session:
        return {"marked": notifications.mark(session, user, body.ids, delivered=True)}


@router.put("/settings", response_model=NotificationSettings)
def change_settings(body: NotificationSettings, user: EnterpriseActor, uow: UnitOfWorkDep) -> NotificationSettings:
    """Turn policy-match notifications on or off."""
    with uow as session:
        return NotificationSettings(enabled=profiles.set_notify(session=session, user=user, enabled=body.enabled))
