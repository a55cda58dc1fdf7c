"""Routes: /api/v1/documents and /api/v1/measures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import LibraryDep
from api.policy.schemas import DocumentList, DocumentOut, MeasureList, MeasureOut

router = APIRouter(tags=["policy"])


@router.get("/documents", response_model=DocumentList)
def list_documents(library: LibraryDep) -> DocumentList:
    """All policy documents served."""
    items = [DocumentOut.of(document) for document in library.documents]
    return DocumentList(items=items, total=len(items))


@router.get("/documents/{document_id}", response_model=DocumentOut)
def get_document(document_id: str, library: LibraryDep) -> DocumentOut:
    """One document's header."""
    return DocumentOut.of(library.document(document_id))


@router.get("/measures", response_model=MeasureList)
def list_measures(
    library: LibraryDep,
    document: Annotated[str | None, Query(description="document id; all documents when absent")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> MeasureList:
    """The measures of one document or of all."""
    measures = library.measures(document)
    items = [MeasureOut.of(m) for m in measures[offset : offset + limit]]
    return MeasureList(items=items, total=len(measures))


@router.get("/measures/{measure_id:path}", response_model=MeasureOut)
def get_measure(measure_id: str, library: LibraryDep) -> MeasureOut:
    """One measure by `doc-id#N` (URL-encoded `#` as %23) or a bare number of the seed document."""
    return MeasureOut.of(library.measure(measure_id))
