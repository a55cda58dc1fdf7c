"""The policy library's tables: documents, their versions (each with its measures) and the library revision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.db import UtcDateTime, str_enum, utcnow
from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Numbering


class PolicyDocument(SQLModel, table=True):
    """A document of the library by its slug; `current_version` is the one measure ids mean."""

    __tablename__ = "policy_documents"

    id: str = Field(primary_key=True, max_length=80)
    current_version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PolicyDocumentVersion(SQLModel, table=True):
    """One imported text of a document with its metadata (confirmed or corrected by an admin)."""

    __tablename__ = "policy_document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="policy_documents.id", max_length=80, index=True)
    version: int
    title: str = Field(max_length=500)
    doc_number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=200)
    level: DocumentLevel = Field(sa_column=Column(str_enum(DocumentLevel, length=20), nullable=False))
    status: DocumentStatus = Field(sa_column=Column(str_enum(DocumentStatus, length=20), nullable=False))
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    numbering: Numbering = Field(sa_column=Column(str_enum(Numbering, length=20), nullable=False))
    sections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    imported_by: int | None = Field(default=None, foreign_key="users.id")


class PolicyMeasure(SQLModel, table=True):
    """A measure of one version, as parsed."""

    __tablename__ = "policy_measures"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="policy_document_versions.id", index=True)
    number: int
    label: str = Field(max_length=40)
    title: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    section: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    lead_units: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    participating_units: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    provision: bool = False


class LibraryRevision(SQLModel, table=True):
    """One row counting changes to what answers are made of (documents, FAQ): replicas compare it."""

    __tablename__ = "library_revision"

    id: int = Field(default=1, primary_key=True)
    revision: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
