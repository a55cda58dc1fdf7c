"""The served catalogue: everything answers are made from, at one library revision, swapped whole.

The database is the source of truth (documents, their versions, FAQ entries). Each replica holds one
immutable `Catalog` — the library as of today, the clause index, the matcher over both documents and
FAQ — and replaces it by one assignment when the library revision in the database moves. A write on
one replica rebuilds there at once and announces itself on Redis (`zonedesk:catalog`); every replica
also checks the revision every `catalog_poll_seconds`, which covers a missed message, a deployment
without Redis and the day an effective date passes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from api.catalog_build import (
    Catalog,
    CatalogInputs,
    bundled_catalog,
    bundled_clause_index,
    catalog_of,
    linked_entries,
    today_in_zone,
)
from api.eligibility.service import stored_clause_index
from api.faqs.models import FaqEntry as FaqRow
from api.faqs.service import answerable_unanswered, mark_settled
from api.policy import service as library_service
from api.unit_of_work import UnitOfWork, end_read
from faq.matcher import Matcher
from policy_index.diff import Follow, diff_documents, follow
from policy_index.follow import MeasureMoves, follow_clauses
from policy_index.library import PolicyLibrary

logger = logging.getLogger(__name__)

CHANNEL = "zonedesk:catalog"


def published_rows(session: Session) -> list[FaqRow]:
    """The published admin FAQ entries, oldest first."""
    query = select(FaqRow).where(col(FaqRow.published_version).is_not(None)).order_by(col(FaqRow.id))
    return list(session.exec(query))


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


def read_inputs(session: Session, *, fallback: PolicyLibrary) -> CatalogInputs:
    """What the catalogue is made of, from the database; the bundled library until documents are stored."""
    revision = library_service.read_revision(session)
    library = library_service.load_library(session) or fallback
    relink = _Relinker(session, library)
    clauses = stored_clause_index(session, relink)
    if clauses is None:
        clauses = follow_clauses(bundled_clause_index(), relink(None))
    return CatalogInputs(revision, library, linked_entries(published_rows(session), relink), clauses)


def read_catalog(session: Session, *, fallback: PolicyLibrary, day: date, base: Catalog | None = None) -> Catalog:
    """Build the catalogue from the database; the bundled library until documents are stored."""
    return catalog_of(read_inputs(session, fallback=fallback), day=day, base=base)


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
        self.current = bundled_catalog(fallback, revision="", day=clock())

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
