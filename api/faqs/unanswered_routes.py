"""Admin routes of the unanswered review (/api/v1/admin/unanswered…, /api/v1/admin/picks…).

The log has states (new → answered by an FAQ entry or a document, or dismissed by an admin); the
clusters group the new ones. Picks — what askers chose under 「您想问的是：」 — are listed beside it,
and one click accepts a pick as a new variant of the FAQ entry linked to the picked measure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlmodel import col, select

from api.deps import CatalogHolderDep, DbDep, MatcherDep, UnansweredLogDep, UnitOfWorkDep, get_admin_user
from api.faqs import review
from api.faqs.admin_routes import FaqOut
from api.faqs.models import AskPick, UnansweredQuestion, UnansweredStatus
from api.faqs.service import list_unanswered
from api.pagination import Limit, Offset, Page, RowId
from api.policy.service import bump_revision
from api.routing import SessionReleasingRoute
from common.ask import PickChoice
from faq.clusters import Asked, cluster_questions
from faq.matcher import Matcher

router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)

MAX_UNANSWERED = 2000  # the most recent questions clustered; older ones wait for the next review


class AskedOut(BaseModel):
    """A question and how often it was asked."""

    text: str
    count: int


class ClusterOut(BaseModel):
    """Similar unanswered questions."""

    text: str
    count: int
    questions: list[AskedOut]


ClusterList = Page[ClusterOut]


class UnansweredOut(BaseModel):
    """A question of the unanswered log and where it stands."""

    id: int
    text: str
    count: int
    status: UnansweredStatus
    answered_by: str | None = Field(description="`faq:<served entry id>` or `document:<document id>`")
    measure_id: str | None = Field(description="the measure that now answers it")
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: UnansweredQuestion) -> UnansweredOut:
        """Build from the table row."""
        return cls.model_validate(row, from_attributes=True)


UnansweredList = Page[UnansweredOut]


class PickReviewOut(BaseModel):
    """An asker's pick under 「您想问的是：」, with the picked measure named as written."""

    id: int
    text: str
    choice: PickChoice
    measure_id: str | None
    measure_label: str | None
    measure_title: str | None
    offered: list[str]
    created_at: datetime
    accepted_at: datetime | None
    faq_entry_id: int | None

    @classmethod
    def of(cls, row: AskPick, matcher: Matcher) -> PickReviewOut:
        """Build from the table row, naming the measure from the served catalogue."""
        assert row.id is not None
        measure = matcher.measures.get(row.measure_id) if row.measure_id else None
        return cls(
            id=row.id,
            text=row.text,
            choice=row.choice,
            measure_id=row.measure_id,
            measure_label=measure.label if measure else None,
            measure_title=measure.title if measure else None,
            offered=list(row.offered),
            created_at=row.created_at,
            accepted_at=row.accepted_at,
            faq_entry_id=row.faq_entry_id,
        )


PickList = Page[PickReviewOut]


class AcceptedOut(BaseModel):
    """An accepted pick and the FAQ entry that now carries it as a variant."""

    pick: PickReviewOut
    entry: FaqOut


@router.get("/unanswered/clusters", response_model=ClusterList)
def unanswered_clusters(
    session: DbDep,
    unanswered: UnansweredLogDep,
    limit: Limit = 50,
    offset: Offset = 0,
    status: Annotated[UnansweredStatus, Query(description="the review state to group")] = UnansweredStatus.NEW,
) -> ClusterList:
    """The unanswered log (still-new questions unless `status` says otherwise), grouped by similarity, with counts."""
    unanswered.flush()  # what this replica has queued counts too
    query = (
        select(UnansweredQuestion)
        .where(col(UnansweredQuestion.status) == status)
        .order_by(col(UnansweredQuestion.last_seen).desc())
        .limit(MAX_UNANSWERED)
    )
    asked = [Asked(row.text, row.count) for row in session.exec(query)]
    clusters = cluster_questions(asked)
    items = [
        ClusterOut(text=c.text, count=c.count, questions=[AskedOut(text=q.text, count=q.count) for q in c.questions])
        for c in clusters[offset : offset + limit]
    ]
    return ClusterList(items=items, total=len(clusters))


@router.get("/unanswered", response_model=UnansweredList)
def unanswered_questions(
    session: DbDep,
    unanswered: UnansweredLogDep,
    status: UnansweredStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> UnansweredList:
    """The unanswered log, most asked first, optionally in one review state."""
    unanswered.flush()  # what this replica has queued counts too
    rows, total = list_unanswered(session=session, limit=limit, offset=offset, status=status)
    return UnansweredList(items=[UnansweredOut.of(row) for row in rows], total=total)


@router.post("/unanswered/{question_id}/dismiss", response_model=UnansweredOut)
def dismiss_question(question_id: RowId, uow: UnitOfWorkDep) -> UnansweredOut:
    """Dismiss a question: it needs no answer and leaves the review list."""
    with uow as session:
        row = review.dismiss_unanswered(session=session, question_id=question_id)
    return UnansweredOut.of(row)


@router.get("/picks", response_model=PickList)
def picks(
    session: DbDep,
    matcher: MatcherDep,
    choice: PickChoice | None = None,
    accepted: Annotated[bool | None, Query(description="only accepted (true) or not yet accepted (false)")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PickList:
    """What askers picked under 「您想问的是：」 (a measure, 都不是 or 转人工), newest first."""
    rows, total = review.list_picks(session=session, choice=choice, accepted=accepted, limit=limit, offset=offset)
    return PickList(items=[PickReviewOut.of(row, matcher) for row in rows], total=total)


@router.post("/picks/{pick_id}/accept", response_model=AcceptedOut)
def accept_pick(
    pick_id: RowId, uow: UnitOfWorkDep, matcher: MatcherDep, holder: CatalogHolderDep, unanswered: UnansweredLogDep
) -> AcceptedOut:
    """Add the picked question as a variant of the FAQ entry linked to its measure (created if none), published."""
    unanswered.flush()  # the question's own queued row is then settled with the rest
    with uow as session:
        pick, entry = review.accept_pick(session=session, pick_id=pick_id, matcher=matcher)
        bump_revision(session)
    out = AcceptedOut(pick=PickReviewOut.of(pick, matcher), entry=FaqOut.of_row(entry))
    out.entry.index_version = holder.changed().faq_version
    return out
