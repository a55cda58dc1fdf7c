"""The served catalogue: everything answers are made from, at one library revision, swapped whole.

The database is the source of truth (documents, their versions, FAQ entries). Each replica holds one
immutable `Catalog` — the library as of today, the clause index, the matcher over both documents and
FAQ — and replaces it by one assignment when the library revision in the database moves. A write on
one replica rebuilds there at once and announces itself on Redis (`zonedesk:catalog`); every replica
also checks the revision every `catalog_poll_seconds`, which covers a missed message, a deployment
without Redis and the day an effective date passes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from api.ask.service import pipeline
from api.eligibility.service import Relink, stored_clause_index
from api.faqs.models import FaqEntry as FaqRow
from api.faqs.service import answerable_unanswered, mark_settled
from api.policy import service as library_service
from api.unit_of_work import UnitOfWork, end_read
from common.ask import Intent
from faq.bundled import load_bundled
from faq.entries import Category, FaqEntry
from faq.matcher import Matcher
from policy_index.clauses import ClauseIndex, load_bundled_clause_index
from policy_index.diff import Follow, diff_documents, follow
from policy_index.follow import MeasureMoves, follow_clauses
from policy_index.library import PolicyLibrary

logger = logging.getLogger(__name__)

CHANNEL = "zonedesk:catalog"
DB_ID_PREFIX = "db-"
ZONE_TIME = ZoneInfo("Asia/Shanghai")  # effective dates are dates in China


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


def served_id(row_id: int) -> str:
    """The matcher's id of a database FAQ entry."""
    return f"{DB_ID_PREFIX}{row_id}"


def entry_of(row: FaqRow, *, intent: Intent = Intent.POLICY, category: Category | None = None) -> FaqEntry:
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


def replaced_bundled(rows: list[FaqRow], bundled: tuple[FaqEntry, ...]) -> dict[str, FaqEntry]:
    """The bundled entries admin rows stand for, by row question: named by `replaces`, or of the same question."""
    by_id = {entry.id: entry for entry in bundled}
    by_question = {entry.question.strip(): entry for entry in bundled}
    out: dict[str, FaqEntry] = {}
    for row in rows:
        origin = by_id.get(row.replaces or "") or by_question.get(row.question.strip())
        if origin is not None:
            out[row.question.strip()] = origin
    return out


def served_entries(rows: list[FaqRow], bundled: tuple[FaqEntry, ...]) -> tuple[FaqEntry, ...]:
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


def published_rows(session: Session) -> list[FaqRow]:
    """The published admin FAQ entries, oldest first."""
    query = select(FaqRow).where(col(FaqRow.published_version).is_not(None)).order_by(col(FaqRow.id))
    return list(session.exec(query))


def _no_moves(_: datetime | None) -> MeasureMoves:
    return MeasureMoves()


class _Relinker:
    """Moves of measure links written at some time (or bundled) to the newest versions, diffs cached."""

    def __init__(self, session: Session, library: PolicyLibrary) -> None:
        self._session = session
        self._history = library_service.version_history(session)
        self._current = {d.id: d for d in library.documents}
        self._follows: dict[tuple[str, int], Mapping[int, Follow]] = {}

    def __call__(self, written_at: datetime | None) -> MeasureMoves:
        follows: dict[str, Mapping[int, Follow]] = {}
        for document_id, versions in self._history.items():
            current = self._current.get(document_id)
            seen = 1 if written_at is None else max((v for v, at in versions if at <= written_at), default=1)
            if current is None or seen >= current.meta.version:
                continue
            if (document_id, seen) not in self._follows:
                old = library_service.stored_document(self._session, document_id, seen)
                self._follows[(document_id, seen)] = follow(diff_documents(old, current))
            follows[document_id] = self._follows[(document_id, seen)]
        return MeasureMoves(follows)


def _relinked(entry: FaqEntry, moves: MeasureMoves) -> FaqEntry:
    """The entry with its measure links carried to the newest versions; links to removed measures dropped."""
    if not moves:
        return entry
    links = tuple(moved.measure_id for m in entry.measure_ids if (moved := moves.move(m)) is not None)
    return dataclasses.replace(entry, measure_ids=links)


def build_catalog(
    library: PolicyLibrary,
    faq_rows: list[FaqRow],
    *,
    revision: str,
    day: date,
    base: Catalog | None = None,
    relink: Relink = _no_moves,
    clauses: ClauseIndex | None = None,
) -> Catalog:
    """A catalogue over `library` (statuses as of `day`), the published FAQ rows and the stored clauses
    (already on their measures' newest numbers; the bundled ones until the database holds them)."""
    served = library.as_of(day)
    bundled_moves = relink(None)
    written = {served_id(row.id): row.updated_at for row in faq_rows if row.id is not None}
    entries = tuple(
        _relinked(entry, relink(written[entry.id]) if entry.id in written else bundled_moves)
        for entry in served_entries(faq_rows, load_bundled().entries)
    )
    if clauses is None:
        clauses = follow_clauses(bundled_clause_index(), bundled_moves)
    faq_version = fingerprint(entries)
    unchanged = base is not None and base.faq_version == faq_version and base.library.documents == served.documents
    # A revision that changed nothing the matcher reads (the seed stored at start-up) keeps its index.
    matcher = (
        base.matcher if base is not None and unchanged else Matcher(served.documents, entries, pipeline=pipeline())
    )
    return Catalog(revision, day, served, clauses, matcher, faq_version)


@cache
def bundled_clause_index() -> ClauseIndex:
    """The bundled facts and clauses, read once per process (checked against the bundled documents)."""
    return load_bundled_clause_index(library_service.bundled_library())


def read_catalog(session: Session, *, fallback: PolicyLibrary, day: date, base: Catalog | None = None) -> Catalog:
    """Build the catalogue from the database; the bundled library until documents are stored."""
    revision = library_service.read_revision(session)
    library = library_service.load_library(session) or fallback
    relink = _Relinker(session, library)
    clauses = stored_clause_index(session, relink)
    return build_catalog(
        library, published_rows(session), revision=revision, day=day, base=base, relink=relink, clauses=clauses
    )


def settle_in_background(engine: Engine, matcher: Matcher) -> int:
    """Mark the unanswered questions a new catalogue answers confidently; never raises (the next change retries)."""
    try:
        with Session(engine) as session:
            answerable = answerable_unanswered(session=session, matcher=matcher)  # matching holds no lock
            end_read(session)
            with UnitOfWork(session):
                settled = mark_settled(session=session, settled=answerable)
    except SQLAlchemyError as exc:
        logger.warning("unanswered questions not re-checked: %s", exc.__class__.__name__)
        return 0
    if settled:
        logger.info("%d unanswered questions now answered", settled)
    return settled


def announce_change(redis_url: str | None, revision: str) -> None:
    """Tell every replica to refresh now; never fails a write (replicas also poll the revision)."""
    if not redis_url:
        return
    import redis  # the CLI builds catalogues without Redis: its client costs a command's start-up 0.1 s

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        with client:
            client.publish(CHANNEL, revision)
    except redis.RedisError as exc:
        logger.warning("catalogue change not announced on Redis: %s", exc)


class CatalogHolder:
    """This replica's catalogue and the thread that keeps it current."""

    def __init__(
        self,
        engine: Callable[[], Engine | None],
        *,
        fallback: PolicyLibrary,
        redis_url: str | None,
        poll_seconds: float,
        clock: Callable[[], date] = today_in_zone,
    ) -> None:
        self._engine = engine
        self._fallback = fallback
        self._redis_url = redis_url
        self._poll_seconds = poll_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Re-checking the unanswered log against a new catalogue is off the request path, one job at a time.
        self._settler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unanswered-settler")
        self.settling: Future[int] | None = None  # the latest re-check (tests wait on it)
        self.current = build_catalog(fallback, [], revision="", day=clock())

    def refresh(self, *, force: bool = False) -> Catalog:
        """Rebuild when the database's revision or the day moved (or `force`); keep serving on a database error."""
        engine = self._engine()
        if engine is None:
            return self.current
        with self._lock:
            try:
                with Session(engine) as session:
                    day = self._clock()
                    stale = force or day != self.current.day
                    if stale or library_service.read_revision(session) != self.current.revision:
                        self.current = read_catalog(session, fallback=self._fallback, day=day, base=self.current)
                        logger.info("catalogue rebuilt: revision %s", self.current.revision)
            except SQLAlchemyError as exc:  # before `db upgrade`, or the database is down: keep what we have
                logger.warning("catalogue kept at revision %s: %s", self.current.revision, exc.__class__.__name__)
        return self.current

    def changed(self) -> Catalog:
        """After a committed write here: rebuild at once, announce it, and settle what it now answers."""
        catalog = self.refresh()
        announce_change(self._redis_url, catalog.revision)
        engine = self._engine()
        if engine is not None and not self._stop.is_set():
            self.settling = self._settler.submit(settle_in_background, engine, catalog.matcher)
        return catalog

    def start(self) -> None:
        """Start the daemon thread that follows Redis announcements and polls the revision."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._follow, name="catalog-follower", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the follower thread, and let a running re-check of the unanswered log finish."""
        self._stop.set()
        self._settler.shutdown(wait=True)

    def _follow(self) -> None:
        import redis  # see announce_change

        while not self._stop.is_set():
            if not self._redis_url:
                if not self._stop.wait(self._poll_seconds):
                    self.refresh()
                continue
            try:
                self._listen(self._redis_url)
            except redis.RedisError as exc:
                logger.warning("catalogue follower reconnecting: %s", exc)
                if not self._stop.wait(min(2.0, self._poll_seconds)):
                    self.refresh()

    def _listen(self, url: str) -> None:
        import redis  # see announce_change

        client = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
        with client, client.pubsub(ignore_subscribe_messages=True) as pubsub:  # type: ignore[no-untyped-call]
            pubsub.subscribe(CHANNEL)
            self.refresh()  # catch up on changes made while not subscribed
            waited = 0.0
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=min(1.0, self._poll_seconds))
                waited += min(1.0, self._poll_seconds)
                if message is not None or waited >= self._poll_seconds:
                    waited = 0.0
                    self.refresh()
