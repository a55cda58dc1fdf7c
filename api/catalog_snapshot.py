"""The served catalogue's inputs kept in the data directory, so that `zonedesk ask` loads no database layer.

In the default setup the library lives in an SQLite file, and reading it through the ORM costs a command's
start more than answering does. The CLI therefore keeps what its matcher is made of — the documents as
stored and the served FAQ entries, as plain JSON — under a key read with the standard library's `sqlite3`:
the library revision (every write to documents or FAQ entries counts it), a stamp of the published FAQ
rows and of the stored document versions, the database file, and a digest of the bundled data and of
the code that turns rows into these values. A different key means a rebuild through the ORM and a new
file: a stale snapshot is never served.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from api.data_dir import replace_private_json
from common.ask import Intent
from common.documents import DocumentLevel, DocumentStatus
from faq.entries import Category, FaqEntry
from policy_index.document import Document, DocumentMeta, Measure, Numbering, document_to_json, measure_to_json
from policy_index.library import PolicyLibrary

SNAPSHOT_FILE = "catalog.json"
FORMAT = 1
# One consistent read: the revision row first, then stamps of the rows a catalogue is built from.
STAMP_QUERIES = (
    "SELECT revision, updated_at FROM library_revision WHERE id = 1",
    "SELECT count(*), max(id), max(updated_at), sum(published_version) FROM faq_entries"
    " WHERE published_version IS NOT NULL",
    "SELECT count(*), max(id), max(imported_at) FROM policy_document_versions",
    "SELECT count(*), sum(current_version) FROM policy_documents",
)
# What turns stored rows and bundled files into a snapshot's values: a change to any of them is a new key.
SOURCES = (
    "api/catalog.py",
    "api/catalog_build.py",
    "api/catalog_snapshot.py",
    "api/policy/bundled.py",
    "api/policy/service.py",
    "common/ask.py",
    "common/documents.py",
    "faq/bundled.py",
    "faq/entries.py",
    "policy_index/diff.py",
    "policy_index/document.py",
    "policy_index/follow.py",
    "policy_index/library.py",
    "policy_index/parser.py",
)
DATA_DIRECTORIES = ("faq/data", "policy_index/data/documents")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What `zonedesk ask` builds its matcher from, at one database key."""

    library: PolicyLibrary  # each document's newest version, statuses as stored
    entries: tuple[FaqEntry, ...]  # the served FAQ entries


@cache
def sources_digest() -> str:
    """A digest of the code and bundled files that shape a snapshot's values."""
    root = Path(__file__).resolve().parents[1]  # the directory holding api/, faq/ and policy_index/
    digest = hashlib.sha256(f"{FORMAT}".encode())
    paths = [root / source for source in SOURCES]
    for directory in DATA_DIRECTORIES:
        paths.extend(sorted(path for path in (root / directory).iterdir() if path.is_file()))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def database_key(database: Path) -> str | None:
    """The key of what `database` serves now, read with `sqlite3`; None when it holds no library schema
    (or the sources cannot be read: the ORM then reads the database, as without a snapshot)."""
    try:
        sources = sources_digest()
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        with connection:
            connection.execute("BEGIN")  # the stamps of one moment
            stamps = [connection.execute(query).fetchall() for query in STAMP_QUERIES]
    except sqlite3.Error:
        return None  # no schema yet (before `zonedesk db upgrade`), or not a zonedesk database
    finally:
        connection.close()
    return json.dumps([str(database.resolve()), sources, stamps])


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _document(data: dict[str, Any]) -> Document:
    """A document from its JSON header (`document_to_json`) and its measures (`measure_to_json`)."""
    measures = tuple(
        Measure(
            document_id=m["document_id"],
            number=m["number"],
            label=m["label"],
            title=m["title"],
            body=m["body"],
            section=m["section"],
            lead_units=tuple(m["lead_units"]),
            participating_units=tuple(m["participating_units"]),
            provision=m["provision"],
        )
        for m in data["measures"]
    )
    meta = DocumentMeta(
        doc_number=data["doc_number"],
        issuer=data["issuer"],
        level=DocumentLevel(data["level"]),
        status=DocumentStatus(data["status"]),
        issued_on=_day(data["issued_on"]),
        effective_from=_day(data["effective_from"]),
        effective_to=_day(data["effective_to"]),
        version=data["version"],
    )
    return Document(data["id"], data["title"], Numbering(data["numbering"]), tuple(data["sections"]), measures, meta)


def _document_data(document: Document) -> dict[str, object]:
    return {**document_to_json(document), "measures": [measure_to_json(m) for m in document.measures]}


def _entry(data: dict[str, Any]) -> FaqEntry:
    return FaqEntry(
        id=data["id"],
        question=data["question"],
        variants=tuple(data["variants"]),
        answer=data["answer"],
        measure_ids=tuple(data["measure_ids"]),
        intent=Intent(data["intent"]),
        category=Category(data["category"]) if data["category"] else None,
    )


def _entry_data(entry: FaqEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "question": entry.question,
        "variants": list(entry.variants),
        "answer": entry.answer,
        "measure_ids": list(entry.measure_ids),
        "intent": entry.intent.value,
        "category": entry.category.value if entry.category else None,
    }


def load_snapshot(directory: Path, key: str) -> Snapshot | None:
    """The snapshot saved under `key`; None when absent, unreadable or saved under another key."""
    try:
        data = json.loads((directory / SNAPSHOT_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        library = PolicyLibrary(_document(d) for d in data["documents"])
        return Snapshot(library, tuple(_entry(e) for e in data["entries"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or of another format: read the database


def save_snapshot(directory: Path, key: str, snapshot: Snapshot) -> bool:
    """Keep `snapshot` under `key` (0600, a concurrent reader sees the old file or the new one); whether written."""
    payload = {
        "key": key,
        "documents": [_document_data(d) for d in snapshot.library.documents],
        "entries": [_entry_data(e) for e in snapshot.entries],
    }
    # A read-only data directory only costs the next command the database read.
    return replace_private_json(directory / SNAPSHOT_FILE, payload)
