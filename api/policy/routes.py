"""Routes: the public policy library — /api/v1/documents (with versions and diffs) and /api/v1/measures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import DbDep, LibraryDep
from api.pagination import Limit, Offset
from api.policy import service
from api.policy.schemas import DiffOut, DocumentList, DocumentOut, MeasureList, MeasureOut, VersionList, VersionOut
from api.routing import SessionReleasingRoute
from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Document

router = APIRouter(tags=["policy"], route_class=SessionReleasingRoute)


def _matches(document: Document, level: DocumentLevel | None, status: DocumentStatus | None, q: str) -> bool:
    meta = document.meta
    if (level and meta.level is not level) or (status and meta.status is not status):
        return False
    haystack = " ".join(filter(None, (document.title, meta.doc_number, meta.issuer, document.id)))
    return not q or q.casefold() in haystack.casefold()


@router.get("/documents", response_model=DocumentList)
def list_documents(
    library: LibraryDep,
    limit: Limit = 50,
    offset: Offset = 0,
    level: Annotated[DocumentLevel | None, Query(description="national | provincial | city | county | zone")] = None,
    status: Annotated[
        DocumentStatus | None, Query(description="draft | in_force | expired | repealed (as of today)")
    ] = None,
    q: Annotated[str, Query(max_length=100, description="searches title, 文号 and issuer")] = "",
) -> DocumentList:
    """The documents of the library, filtered by level, status and text."""
    found = [d for d in library.documents if _matches(d, level, status, q.strip())]
    return DocumentList(items=[DocumentOut.of(d) for d in found[offset : offset + limit]], total=len(found))


@router.get("/documents/{document_id}", response_model=DocumentOut)
def get_document(document_id: str, library: LibraryDep) -> DocumentOut:
    """One document's header (its newest version)."""
    return DocumentOut.of(library.document(document_id))


@router.get("/documents/{document_id}/versions", response_model=VersionList)
def list_versions(document_id: str, session: DbDep) -> VersionList:
    """Every stored version of a document, newest first."""
    items = [
        VersionOut(
            version=row.version,
            status=DocumentStatus(row.status),
            title=row.title,
            doc_number=row.doc_number,
            imported_at=row.imported_at,
            measure_count=count,
        )
        for row, count in service.list_versions(session, document_id)
    ]
    return VersionList(items=items, total=len(items))


@router.get("/documents/{document_id}/diff", response_model=DiffOut)
def diff_versions(
    document_id: str,
    session: DbDep,
    from_version: Annotated[int | None, Query(alias="from", ge=1, description="default: the previous version")] = None,
    to_version: Annotated[int | None, Query(alias="to", ge=1, description="default: the newest version")] = None,
) -> DiffOut:
    """What changed between two versions: added, removed and changed measures, paired by title."""
    newest = service.stored_document(session, document_id).meta.version
    to_number = to_version or newest
    from_number = from_version or max(1, to_number - 1)
    return DiffOut.of(service.diff_versions(session, document_id, from_number, to_number))


@router.get("/measures", response_model=MeasureList)
def list_measures(
    library: LibraryDep,
    document: Annotated[str | None, Query(description="document id; all documents when absent")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> MeasureList:
    """The measures of one document or of all."""
    measures = library.measures(document)
    items = [MeasureOut.of(m) for m in measures[offset : offset + limit]]
    return MeasureList(items=items, total=len(measures))


@router.get("/measures/{measure_id:path}", response_model=MeasureOut)
def get_measure(measure_id: str, library: LibraryDep) -> MeasureOut:
    """One measure by `doc-id#N` (URL-encoded `#` as %23) or a bare number of the seed document."""
    return MeasureOut.of(library.measure(measure_id))
