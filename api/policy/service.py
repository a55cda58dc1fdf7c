"""The policy library in the database: import (a new version each time), correct, retire, list versions, diff.

Services never commit: the caller's unit of work does, and every change bumps the library revision in
the same transaction so that every replica rebuilds its catalogue (api.catalog).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.db import utcnow
from api.domain_errors import Conflict, InvalidInput
from api.policy import messages
from api.policy.bundled import bundled_library as bundled_library  # where callers have always found it
from api.policy.models import LibraryRevision, PolicyDocument, PolicyDocumentVersion, PolicyMeasure
from common.documents import DocumentLevel, DocumentStatus
from policy_index.diff import DocumentDiff, diff_documents
from policy_index.document import Document, DocumentMeta, Measure, Numbering
from policy_index.library import (
    DOCUMENTS_DIR,
    PolicyLibrary,
    UnknownDocument,
    decode_document,
    with_meta,
)
from policy_index.parser import parse_document


class ConcurrentImport(Conflict):
    """Another import created the same document at the same moment."""

    def __init__(self, document_id: str) -> None:
        super().__init__(messages.CONCURRENT_IMPORT.format(document_id=document_id))


class UnknownVersion(LookupError):
    """No such version of a document."""

    def __init__(self, document_id: str, version: int) -> None:
        super().__init__(messages.UNKNOWN_VERSION.format(document_id=document_id, version=version))


# --- revision -------------------------------------------------------------------------------------


def read_revision(session: Session) -> str:
    """The library revision: its counter and time, so a database emptied and refilled never repeats one."""
    row = session.get(LibraryRevision, 1)
    return f"{row.revision}@{row.updated_at.isoformat()}" if row else "0"


def bump_revision(session: Session) -> None:
    """Count one change to what answers are made of (documents or FAQ); replicas rebuild on it."""
    bumped = session.execute(
        update(LibraryRevision)
        .where(col(LibraryRevision.id) == 1)
        .values(revision=LibraryRevision.revision + 1, updated_at=utcnow())
    )
    if bumped.rowcount == 0:  # type: ignore[attr-defined]
        session.add(LibraryRevision(id=1, revision=1))
    session.flush()


# --- rows ⇄ values --------------------------------------------------------------------------------


def _document_of(row: PolicyDocumentVersion, measures: list[PolicyMeasure]) -> Document:
    meta = DocumentMeta(
        doc_number=row.doc_number,
        issuer=row.issuer,
        level=DocumentLevel(row.level),
        status=DocumentStatus(row.status),
        issued_on=row.issued_on,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        version=row.version,
    )
    return Document(
        id=row.document_id,
        title=row.title,
        numbering=Numbering(row.numbering),
        sections=tuple(row.sections),
        measures=tuple(
            Measure(
                document_id=row.document_id,
                number=m.number,
                label=m.label,
                title=m.title,
                body=m.body,
                section=m.section,
                lead_units=tuple(m.lead_units),
                participating_units=tuple(m.participating_units),
                provision=m.provision,
            )
            for m in sorted(measures, key=lambda m: m.number)
        ),
        meta=meta,
    )


def _store_version(session: Session, document: Document, text: str, *, by: int | None) -> PolicyDocumentVersion:
    meta = document.meta
    row = PolicyDocumentVersion(
        document_id=document.id,
        version=meta.version,
        title=document.title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        level=meta.level,
        status=meta.status,
        issued_on=meta.issued_on,
        effective_from=meta.effective_from,
        effective_to=meta.effective_to,
        numbering=document.numbering,
        sections=list(document.sections),
        text=text,
        imported_by=by,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for m in document.measures:
        session.add(
            PolicyMeasure(
                version_id=row.id,
                number=m.number,
                label=m.label,
                title=m.title,
                body=m.body,
                section=m.section,
                lead_units=list(m.lead_units),
                participating_units=list(m.participating_units),
                provision=m.provision,
            )
        )
    return row


def _measures_of(session: Session, version_ids: list[int]) -> dict[int, list[PolicyMeasure]]:
    grouped: dict[int, list[PolicyMeasure]] = {v: [] for v in version_ids}
    if version_ids:
        for measure in session.exec(select(PolicyMeasure).where(col(PolicyMeasure.version_id).in_(version_ids))):
            grouped[measure.version_id].append(measure)
    return grouped


def _version_row(session: Session, document_id: str, version: int | None = None) -> PolicyDocumentVersion:
    header = session.get(PolicyDocument, document_id)
    if header is None:
        raise UnknownDocument(document_id)
    number = header.current_version if version is None else version
    row = session.exec(
        select(PolicyDocumentVersion).where(
            PolicyDocumentVersion.document_id == document_id, PolicyDocumentVersion.version == number
        )
    ).first()
    if row is None:
        raise UnknownVersion(document_id, number)
    return row


def stored_document(session: Session, document_id: str, version: int | None = None) -> Document:
    """A stored version of a document (default: the newest) with its measures."""
    row = _version_row(session, document_id, version)
    assert row.id is not None
    return _document_of(row, _measures_of(session, [row.id])[row.id])


# --- the library as served --------------------------------------------------------------------------


def load_library(session: Session) -> PolicyLibrary | None:
    """The newest version of every stored document; None when the database holds none yet."""
    current = session.exec(
        select(PolicyDocumentVersion)
        .join(PolicyDocument, col(PolicyDocument.id) == col(PolicyDocumentVersion.document_id))
        .where(col(PolicyDocumentVersion.version) == col(PolicyDocument.current_version))
        .order_by(col(PolicyDocument.created_at), col(PolicyDocument.id))
    ).all()
    if not current:
        return None
    measures = _measures_of(session, [row.id for row in current if row.id is not None])
    return PolicyLibrary(_document_of(row, measures[row.id]) for row in current if row.id is not None)


def version_history(session: Session) -> dict[str, list[tuple[int, datetime]]]:
    """Per document with more than one version: (version, imported_at), oldest first."""
    rows = session.exec(
        select(PolicyDocumentVersion.document_id, PolicyDocumentVersion.version, PolicyDocumentVersion.imported_at)
    ).all()
    history: dict[str, list[tuple[int, datetime]]] = {}
    for document_id, version, imported_at in rows:
        history.setdefault(document_id, []).append((version, imported_at))
    return {k: sorted(v) for k, v in history.items() if len(v) > 1}


def seed_bundled_documents(session: Session) -> None:
    """Store each bundled document as version 1 unless the database has it (never replaces an import)."""
    existing = set(session.exec(select(PolicyDocument.id)).all())
    added = False
    for document in bundled_library().documents:
        if document.id in existing:
            continue
        session.add(PolicyDocument(id=document.id, current_version=1))
        session.flush()
        text = decode_document((DOCUMENTS_DIR / f"{document.id}.txt").read_bytes())
        _store_version(session, document, text, by=None)
        added = True
    if added:
        bump_revision(session)


# --- admin writes -------------------------------------------------------------------------------------


def read_document(document_id: str, text: str, corrections: Mapping[str, object]) -> Document:
    """Parse `text` and apply the admin's metadata over what the parser proposed (ParseError → 422)."""
    return read_corrections(parse_document(text, document_id), corrections)


def next_version(session: Session, document_id: str) -> int:
    """The version number an import of `document_id` would get."""
    header = session.get(PolicyDocument, document_id)
    return 1 if header is None else header.current_version + 1


INHERITED = ("level", "issuer", "doc_number")  # a new version of a document keeps its issuing body's facts


@dataclass(frozen=True, slots=True)
class Proposal:
    """What an import stores: the document (version set), its diff from the newest stored version, and
    the metadata kept from that version."""

    document: Document
    diff: DocumentDiff | None
    inherited: tuple[str, ...] = ()


def preview_import(session: Session, document: Document, *, given: Collection[str] = ()) -> Proposal:
    """What an import would store. A new version keeps the stored level, and the stored issuer and 文号
    when its text names none, unless the admin gave them (`given`)."""
    version = next_version(session, document.id)
    document = dataclasses.replace(document, meta=dataclasses.replace(document.meta, version=version))
    if version == 1:
        return Proposal(document, None)
    stored = stored_document(session, document.id)
    kept = {
        name: getattr(stored.meta, name)
        for name in INHERITED
        if name not in given
        and getattr(stored.meta, name) is not None
        and getattr(stored.meta, name) != getattr(document.meta, name)
        and (name == "level" or getattr(document.meta, name) is None)
    }
    document = dataclasses.replace(document, meta=dataclasses.replace(document.meta, **kept))
    return Proposal(document, diff_documents(stored, document), tuple(kept))


def import_document(
    session: Session, document: Document, text: str, *, by: int | None, given: Collection[str] = ()
) -> Proposal:
    """Store `document` as a new version (the old ones kept); measure ids now mean this version."""
    header = session.get(PolicyDocument, document.id, with_for_update=True)  # imports of one id queue here
    proposal = preview_import(session, document, given=given)
    document = proposal.document
    if header is None:
        session.add(PolicyDocument(id=document.id, current_version=document.meta.version))
        try:
            session.flush()
        except IntegrityError:
            raise ConcurrentImport(document.id) from None
    else:
        header.current_version = document.meta.version
        session.add(header)
    _store_version(session, document, text, by=by)
    bump_revision(session)
    return proposal


def correct_metadata(session: Session, document_id: str, corrections: Mapping[str, object]) -> Document:
    """Correct the newest version's metadata (title, 文号, issuer, level, status, dates): no new version."""
    row = _version_row(session, document_id)
    current = stored_document(session, document_id)
    corrected = read_corrections(current, corrections)
    meta = corrected.meta
    row.title = corrected.title
    row.doc_number, row.issuer = meta.doc_number, meta.issuer
    row.level, row.status = meta.level, meta.status
    row.issued_on, row.effective_from, row.effective_to = meta.issued_on, meta.effective_from, meta.effective_to
    session.add(row)
    bump_revision(session)
    return corrected


def read_corrections(document: Document, corrections: Mapping[str, object]) -> Document:
    """`document` with the admin's corrections applied (title and metadata fields)."""
    title = corrections.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise InvalidInput(messages.EMPTY_TITLE)
    if isinstance(title, str):
        document = dataclasses.replace(document, title=title.strip())
    corrected = with_meta(document, {k: v for k, v in corrections.items() if k != "title"})
    meta = corrected.meta
    if meta.effective_from and meta.effective_to and meta.effective_from > meta.effective_to:
        raise InvalidInput(messages.EFFECTIVE_AFTER_EXPIRY)
    return corrected


def retire(session: Session, document_id: str) -> Document:
    """Mark the document repealed (废止): kept and browsable, never answered as current policy."""
    return correct_metadata(session, document_id, {"status": DocumentStatus.REPEALED.value})


# --- reads -----------------------------------------------------------------------------------------------


def list_versions(session: Session, document_id: str) -> list[tuple[PolicyDocumentVersion, int]]:
    """Every version of a document, newest first, with its measure count."""
    if session.get(PolicyDocument, document_id) is None:
        raise UnknownDocument(document_id)
    rows = list(
        session.exec(
            select(PolicyDocumentVersion)
            .where(PolicyDocumentVersion.document_id == document_id)
            .order_by(col(PolicyDocumentVersion.version).desc())
        )
    )
    measures = _measures_of(session, [r.id for r in rows if r.id is not None])
    return [(row, len(measures[row.id])) for row in rows if row.id is not None]


def diff_versions(session: Session, document_id: str, from_version: int, to_version: int) -> DocumentDiff:
    """The diff between two stored versions."""
    return diff_documents(
        stored_document(session, document_id, from_version), stored_document(session, document_id, to_version)
    )
