"""Building the served catalogue from plain values: no database, no ORM.

`api.catalog` reads the values from the database and keeps a replica's catalogue current; `zonedesk ask`
builds its matcher from the same values kept in the data directory (`api.catalog_snapshot`) without
loading the database layer at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

from api.ask.pipeline import pipeline
from api.policy.bundled import bundled_library
from common.ask import Intent
from faq.bundled import load_bundled
from faq.entries import Category, FaqEntry
from faq.matcher import Matcher
from policy_index.clauses import ClauseIndex, load_bundled_clause_index
from policy_index.follow import MeasureMoves, follow_clauses
from policy_index.library import PolicyLibrary

DB_ID_PREFIX = "db-"
ZONE_TIME = ZoneInfo("Asia/Shanghai")  # effective dates are dates in China

Relink = Callable[[datetime | None], MeasureMoves]  # links written at a time (None: bundled) → their moves


def today_in_zone() -> date:
    """Today's date where the documents apply."""
    return datetime.now(ZONE_TIME).date()


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything answers are made from, at one library revision and day."""

    revision: str
    day: date
    library: PolicyLibrary
    clauses: ClauseIndex
    matcher: Matcher
    faq_version: str
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def faq_entries(self) -> int:
        """How many FAQ entries the matcher serves."""
        return len(self.matcher.entries)


@dataclass(frozen=True, slots=True)
class CatalogInputs:
    """What a catalogue is made of, whatever the day: documents as stored, served FAQ entries, clauses."""

    revision: str
    library: PolicyLibrary  # each document's newest version, statuses as stored
    entries: tuple[FaqEntry, ...]  # bundled and admin entries, linked to the measures' newest numbers
    clauses: ClauseIndex


class FaqRecord(Protocol):
    """An admin FAQ entry as stored (`api.faqs.models.FaqEntry` is one)."""

    @property
    def id(self) -> int | None: ...
    @property
    def question(self) -> str: ...
    @property
    def variants(self) -> Sequence[str]: ...
    @property
    def answer(self) -> str: ...
    @property
    def measure_ids(self) -> Sequence[str]: ...
    @property
    def replaces(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime: ...


def served_id(row_id: int) -> str:
    """The matcher's id of a database FAQ entry."""
    return f"{DB_ID_PREFIX}{row_id}"


def entry_of(row: FaqRecord, *, intent: Intent = Intent.POLICY, category: Category | None = None) -> FaqEntry:
    """The matcher's value of a database FAQ row."""
    assert row.id is not None
    return FaqEntry(
        id=served_id(row.id),
        question=row.question,
        variants=tuple(row.variants),
        answer=row.answer,
        measure_ids=tuple(row.measure_ids),
        intent=intent,
        category=category,
    )


def replaced_bundled(rows: Sequence[FaqRecord], bundled: tuple[FaqEntry, ...]) -> dict[str, FaqEntry]:
    """The bundled entries admin rows stand for, by row question: named by `replaces`, or of the same question."""
    by_id = {entry.id: entry for entry in bundled}
    by_question = {entry.question.strip(): entry for entry in bundled}
    out: dict[str, FaqEntry] = {}
    for row in rows:
        origin = by_id.get(row.replaces or "") or by_question.get(row.question.strip())
        if origin is not None:
            out[row.question.strip()] = origin
    return out


def served_entries(rows: Sequence[FaqRecord], bundled: tuple[FaqEntry, ...]) -> tuple[FaqEntry, ...]:
    """Bundled entries no admin entry replaces, then the admin entries (keeping a replaced entry's intent)."""
    origins = replaced_bundled(rows, bundled)
    gone = {entry.id for entry in origins.values()}
    kept = tuple(entry for entry in bundled if entry.id not in gone)
    admin = []
    for row in rows:
        origin = origins.get(row.question.strip())
        intent = origin.intent if origin else Intent.POLICY
        admin.append(entry_of(row, intent=intent, category=origin.category if origin else None))
    return kept + tuple(admin)


def fingerprint(entries: tuple[FaqEntry, ...]) -> str:
    """A short stable version of a set of served FAQ entries."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(repr((entry.id, entry.question, entry.variants, entry.answer, entry.measure_ids)).encode())
    return digest.hexdigest()[:10]


def no_moves(_: datetime | None) -> MeasureMoves:
    """The relinking of a library without older versions: nothing moved."""
    return MeasureMoves()


def _relinked(entry: FaqEntry, moves: MeasureMoves) -> FaqEntry:
    """The entry with its measure links carried to the newest versions; links to removed measures dropped."""
    if not moves:
        return entry
    links = tuple(moved.measure_id for m in entry.measure_ids if (moved := moves.move(m)) is not None)
    return dataclasses.replace(entry, measure_ids=links)


def linked_entries(faq_rows: Sequence[FaqRecord], relink: Relink = no_moves) -> tuple[FaqEntry, ...]:
    """The served FAQ entries (bundled ones an admin row replaces left out), each linked to its measures'
    newest numbers as of when it was written."""
    bundled_moves = relink(None)
    written = {served_id(row.id): row.updated_at for row in faq_rows if row.id is not None}
    return tuple(
        _relinked(entry, relink(written[entry.id]) if entry.id in written else bundled_moves)
        for entry in served_entries(faq_rows, load_bundled().entries)
    )


def served_matcher(library: PolicyLibrary, entries: tuple[FaqEntry, ...]) -> Matcher:
    """The matcher over a library's documents (statuses as of the day served) and the served FAQ entries."""
    return Matcher(library.documents, entries, pipeline=pipeline())


def catalog_of(inputs: CatalogInputs, *, day: date, base: Catalog | None = None) -> Catalog:
    """The catalogue of `inputs` with statuses as of `day`; `base`'s matcher kept when it reads the same values."""
    served = inputs.library.as_of(day)
    faq_version = fingerprint(inputs.entries)
    unchanged = base is not None and base.faq_version == faq_version and base.library.documents == served.documents
    # A revision that changed nothing the matcher reads (the seed stored at start-up) keeps its index.
    matcher = base.matcher if base is not None and unchanged else served_matcher(served, inputs.entries)
    return Catalog(inputs.revision, day, served, inputs.clauses, matcher, faq_version)


def bundled_catalog(library: PolicyLibrary, *, revision: str, day: date) -> Catalog:
    """A catalogue over `library` (statuses as of `day`) with the bundled FAQ and clauses: what is served
    before the database is read, or without one."""
    entries = linked_entries((), no_moves)
    clauses = follow_clauses(bundled_clause_index(), no_moves(None))
    return catalog_of(CatalogInputs(revision, library, entries, clauses), day=day)


@cache
def bundled_clause_index() -> ClauseIndex:
    """The bundled facts and clauses, read once per process (checked against the bundled documents)."""
    return load_bundled_clause_index(bundled_library())
