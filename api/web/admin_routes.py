"""Admin routes of the web pages: unanswered questions by topic, policy import.

Under /api/v1/admin. Queues, memberships and routing are the desk's own admin routes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, StringConstraints
from sqlmodel import col, select

from api.deps import DbDep, LibraryDep
from api.domain_errors import InvalidInput
from api.faqs.models import UnansweredQuestion
from api.routing import UnitOfWorkRoute
from api.web.clusters import Asked, cluster_questions
from api.web.deps import require_admin
from policy_index.document import Document, document_to_json, measure_to_json
from policy_index.library import BUNDLED_DOCUMENT_ID
from policy_index.parser import parse_document

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)], route_class=UnitOfWorkRoute)

DocumentId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
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


class ClusterList(BaseModel):
    """Unanswered questions grouped by similarity, most asked first."""

    items: list[ClusterOut]
    total: int


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


class DocumentIn(BaseModel):
    """A pasted policy document."""

    document_id: DocumentId
    text: str = Field(min_length=1, max_length=500_000)


def _document_json(document: Document) -> dict[str, Any]:
    return {**document_to_json(document), "measures": [measure_to_json(m) for m in document.measures]}


def _parse(body: DocumentIn) -> Document:
    document = parse_document(body.text, body.document_id)  # ParseError -> 422
    if not document.measures:
        raise InvalidInput("没有识别出任何措施条目，请检查文本 (no measures found)")
    return document


@router.post("/documents/preview")
def preview_document(body: DocumentIn) -> dict[str, Any]:
    """Parse pasted text: the measures and units it would add, nothing saved."""
    return _document_json(_parse(body))


def documents_dir(request: Request) -> Path:
    """Where imported documents are kept (one `<id>.txt` each)."""
    directory: Path = request.app.state.documents_dir
    return directory


@router.post("/documents", status_code=201)
def save_document(body: DocumentIn, session: DbDep, library: LibraryDep, request: Request) -> dict[str, Any]:
    """Parse and save a document: served at once by this replica, and by every replica on restart."""
    document = _parse(body)
    if document.id == BUNDLED_DOCUMENT_ID:
        raise InvalidInput("内置文件不能覆盖 (the bundled document cannot be replaced)")
    directory = documents_dir(request)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{document.id}.txt").write_text(body.text, encoding="utf-8")
    request.app.state.web_reload_library(library.with_document(document), session)
    return document_to_json(document)
