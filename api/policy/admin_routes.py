"""Admin routes of the policy library: preview and import documents (a new version each time), correct
their metadata, retire them. Every write bumps the library revision; every replica then serves it."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter

from api.deps import AdminUser, CatalogHolderDep, DbDep, UnitOfWorkDep
from api.policy import service
from api.policy.schemas import DocumentIn, DocumentMetaIn, DocumentOut, ImportedOut
from api.routing import SessionReleasingRoute

router = APIRouter(prefix="/admin/documents", tags=["admin"], route_class=SessionReleasingRoute)


@router.post("/preview", response_model=ImportedOut)
def preview_document(body: DocumentIn, _admin: AdminUser, session: DbDep) -> ImportedOut:
    """What an import would store — metadata read from the text with the admin's corrections, measures, diff."""
    document = service.read_document(body.document_id, body.text, body.corrections())  # ParseError -> 422
    proposal = service.preview_import(session, document, given=body.corrections().keys())  # reads only
    return ImportedOut.of_import(proposal)


@router.post("", response_model=ImportedOut, status_code=201)
def import_document(body: DocumentIn, admin: AdminUser, uow: UnitOfWorkDep, holder: CatalogHolderDep) -> ImportedOut:
    """Store the text as the document's newest version (the old versions are kept) and serve it everywhere."""
    document = service.read_document(body.document_id, body.text, body.corrections())  # before the write lock
    given = body.corrections().keys()
    with uow as session:
        proposal = service.import_document(session, document, body.text, by=admin.id, given=given)
    served = holder.changed().library.document(document.id)
    return ImportedOut.of_import(dataclasses.replace(proposal, document=served))


@router.patch("/{document_id}", response_model=DocumentOut)
def correct_document(
    document_id: str, body: DocumentMetaIn, _admin: AdminUser, uow: UnitOfWorkDep, holder: CatalogHolderDep
) -> DocumentOut:
    """Correct the newest version's title and metadata (文号, issuer, level, status, dates)."""
    with uow as session:
        service.correct_metadata(session, document_id, body.corrections())
    return DocumentOut.of(holder.changed().library.document(document_id))


@router.post("/{document_id}/retire", response_model=DocumentOut)
def retire_document(document_id: str, _admin: AdminUser, uow: UnitOfWorkDep, holder: CatalogHolderDep) -> DocumentOut:
    """Repeal a document (废止): kept and browsable, never again answered as current policy."""
    with uow as session:
        service.retire(session, document_id)
    return DocumentOut.of(holder.changed().library.document(document_id))
