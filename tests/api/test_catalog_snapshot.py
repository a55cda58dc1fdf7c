"""The inputs `zonedesk ask` keeps in the data directory: served only under the database's current key."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from sqlmodel import Session

from api.catalog_snapshot import SNAPSHOT_FILE, Snapshot, database_key, load_snapshot, save_snapshot
from api.db import make_engine
from api.faqs.models import FaqEntry as FaqRow
from api.policy.service import bump_revision
from api.schema import prepare_database
from api.unit_of_work import UnitOfWork
from faq.bundled import load_bundled
from faq.entries import Category, FaqEntry
from policy_index.document import Document, DocumentMeta, Measure
from policy_index.library import PolicyLibrary


def _snapshot(library: PolicyLibrary) -> Snapshot:
    entries = load_bundled().entries
    odd = FaqEntry("db-7", "问", ("变体",), "答", ("sichuan-hitech-zones-draft#3",), category=Category.HOUSING)
    return Snapshot(library, (*entries, odd))


def test_a_saved_snapshot_reads_back_equal_under_its_key(tmp_path: Path, library: PolicyLibrary) -> None:
    snapshot = _snapshot(library)
    assert save_snapshot(tmp_path, "k1", snapshot)
    loaded = load_snapshot(tmp_path, "k1")
    assert loaded is not None
    assert loaded.library.documents == snapshot.library.documents
    assert loaded.entries == snapshot.entries
    assert (tmp_path / SNAPSHOT_FILE).stat().st_mode & 0o077 == 0


def test_a_snapshot_of_another_key_or_broken_is_never_served(tmp_path: Path, library: PolicyLibrary) -> None:
    save_snapshot(tmp_path, "k1", _snapshot(library))
    assert load_snapshot(tmp_path, "k2") is None
    (tmp_path / SNAPSHOT_FILE).write_text('{"key": "k1", "documents": [{"id": 1}]}', encoding="utf-8")
    assert load_snapshot(tmp_path, "k1") is None
    assert load_snapshot(tmp_path / "absent", "k1") is None


def test_every_field_of_the_values_is_kept(tmp_path: Path, library: PolicyLibrary) -> None:
    """A field added to a document, measure or FAQ entry must be kept in the snapshot too."""
    document = library.documents[0]
    meta = dataclasses.replace(document.meta, doc_number="川办发〔2026〕1号", issuer="省政府", version=3)
    measure = dataclasses.replace(document.measures[0], lead_units=("甲",), participating_units=("乙",), provision=True)
    changed = dataclasses.replace(document, meta=meta, measures=(measure, *document.measures[1:]))
    save_snapshot(tmp_path, "k", Snapshot(PolicyLibrary([changed]), _snapshot(library).entries))
    saved = json.loads((tmp_path / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    names = {kind: {f.name for f in dataclasses.fields(kind)} for kind in (Document, DocumentMeta, Measure, FaqEntry)}
    assert (names[Document] - {"meta"}) | names[DocumentMeta] <= set(saved["documents"][0])
    assert names[Measure] <= set(saved["documents"][0]["measures"][0])
    assert set(saved["entries"][0]) == names[FaqEntry]
    loaded = load_snapshot(tmp_path, "k")
    assert loaded is not None
    assert loaded.library.documents == (changed,)


def test_database_key_needs_the_schema(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert database_key(empty) is None
    assert database_key(tmp_path / "absent.db") is None
    assert not (tmp_path / "absent.db").exists()  # read-only: never creates the file


def test_database_key_moves_with_every_write_to_what_answers_are_made_of(tmp_path: Path) -> None:
    database = tmp_path / "zonedesk.db"
    engine = make_engine(f"sqlite:///{database}")
    prepare_database(engine)
    keys = [database_key(database)]
    with Session(engine) as session, UnitOfWork(session):
        bump_revision(session)
    keys.append(database_key(database))
    with Session(engine) as session, UnitOfWork(session):
        session.add(FaqRow(question="问", answer="答", published_version=1))  # even without a revision
    keys.append(database_key(database))
    engine.dispose()
    assert None not in keys
    assert len(set(keys)) == 3
