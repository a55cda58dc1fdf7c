"""Admin route: the unanswered log grouped by topic (/api/v1/admin/unanswered/clusters)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlmodel import col, select

from api.deps import DbDep, get_admin_user
from api.faqs.models import UnansweredQuestion
from api.pagination import Page
from api.routing import SessionReleasingRoute
from faq.clusters import Asked, cluster_questions

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


@router.get("/unanswered/clusters", response_model=ClusterList)
def unanswered_clusters(
    session: DbDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ClusterList:
    """The unanswered log, grouped by similarity (rapidfuzz), with counts."""
    query = select(UnansweredQuestion).order_by(col(UnansweredQuestion.last_seen).desc()).limit(MAX_UNANSWERED)
    asked = [Asked(row.text, row.count) for row in session.exec(query)]
    clusters = cluster_questions(asked)
    items = [
        ClusterOut(text=c.text, count=c.count, questions=[AskedOut(text=q.text, count=q.count) for q in c.questions])
        for c in clusters[offset : offset + limit]
    ]
    return ClusterList(items=items, total=len(clusters))
