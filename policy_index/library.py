"""The documents zonedesk serves: the bundled ones, loaded once, and lookups by id."""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from common.documents import DocumentLevel, DocumentStatus
from policy_index.document import Document, DocumentMeta, Measure
from policy_index.parser import ParseError, parse_document

DATA_DIR = Path(__file__).parent / "data"
DOCUMENTS_DIR = DATA_DIR / "documents"
BUNDLED_DOCUMENT_ID = "sichuan-hitech-zones-draft"


class UnknownDocument(LookupError):
    """No document has this id."""

    def __init__(self, document_id: str) -> None:
        super().__init__(f"未找到政策文件：{document_id} (unknown document)")
        self.document_id = document_id


class UnknownMeasure(LookupError):
    """No measure has this id."""

    def __init__(self, measure_id: str) -> None:
        super().__init__(f"未找到政策措施：{measure_id} (unknown measure)")
        self.measure_id = measure_id


def decode_document(raw: bytes) -> str:
    """Decode a document file: by its BOM (UTF-16, UTF-8), else UTF-8, else GB18030 as many Chinese files are."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("无法识别文件编码，请使用 UTF-8 或 GB18030 (unknown text encoding)", 1)


def load_document_file(path: Path) -> Document:
    """Parse a document file; its id is the file name's stem."""
    return parse_document(decode_document(path.read_bytes()), path.stem)


_META_TYPES: Mapping[str, Any] = {"level": DocumentLevel, "status": DocumentStatus}
_META_DATES = ("issued_on", "effective_from", "effective_to")


def with_meta(document: Document, corrections: Mapping[str, object]) -> Document:
    """`document` with metadata fields replaced by `corrections` (values as in JSON: strings, ISO dates)."""
    known = {f.name for f in dataclasses.fields(DocumentMeta)}
    values: dict[str, Any] = {}
    for name, value in corrections.items():
        if name not in known:
            raise ValueError(f"未知的文件属性：{name} (unknown document field)")
        if value is not None and name in _META_TYPES:
            value = _META_TYPES[name](value)
        elif isinstance(value, str) and name in _META_DATES:
            value = date.fromisoformat(value)
        values[name] = value
    return dataclasses.replace(document, meta=dataclasses.replace(document.meta, **values))


def load_bundled_documents() -> tuple[Document, ...]:
    """Parse every bundled document, seed document first, with the metadata of its `<id>.yaml` beside it."""
    paths = sorted(DOCUMENTS_DIR.glob("*.txt"), key=lambda p: (p.stem != BUNDLED_DOCUMENT_ID, p.stem))
    return tuple(load_document_with_sidecar(path) for path in paths)


def load_document_with_sidecar(path: Path) -> Document:
    """Parse a document file and apply the metadata of the `<stem>.yaml` beside it, if there is one."""
    document = load_document_file(path)
    sidecar = path.with_suffix(".yaml")
    if sidecar.exists():
        document = with_meta(document, yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {})
    return document


class PolicyLibrary:
    """An in-memory set of documents with lookups by document and measure id."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents = {document.id: document for document in documents}

    @property
    def documents(self) -> tuple[Document, ...]:
        """All documents, in the order they were added."""
        return tuple(self._documents.values())

    def document(self, document_id: str) -> Document:
        """The document with this id, or `UnknownDocument`."""
        try:
            return self._documents[document_id]
        except KeyError:
            raise UnknownDocument(document_id) from None

    def measures(self, document_id: str | None = None) -> tuple[Measure, ...]:
        """The measures of one document, or of all documents."""
        if document_id is not None:
            return self.document(document_id).measures
        return tuple(m for document in self._documents.values() for m in document.measures)

    def measure(self, reference: str) -> Measure:
        """Resolve `doc-id#N`, or a bare `N` meaning the seed document's measure N."""
        reference = reference.strip()
        document_id, _, number = reference.rpartition("#")
        if not document_id:
            document_id = BUNDLED_DOCUMENT_ID
        document = self._documents.get(document_id)
        found = document.measure(int(number)) if document and number.isdigit() else None
        if found is None:
            raise UnknownMeasure(reference)
        return found

    def as_of(self, today: date) -> PolicyLibrary:
        """The library with each document's status on `today` (past `effective_to`: expired)."""
        return PolicyLibrary(
            dataclasses.replace(d, meta=dataclasses.replace(d.meta, status=d.meta.status_on(today)))
            for d in self.documents
        )

    def with_document(self, document: Document) -> PolicyLibrary:
        """A new library with `document` added or replaced."""
        return PolicyLibrary([*(d for d in self.documents if d.id != document.id), document])


def load_bundled_library() -> PolicyLibrary:
    """The library of bundled documents."""
    return PolicyLibrary(load_bundled_documents())
