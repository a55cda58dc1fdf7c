"""Policy push (直达快享): a published clause version is matched against every stored profile that allows it.

`publish_clauses` writes a `PolicyMatchJob` in the publish's own transaction (the outbox), so a job
survives a restart; `PolicyPush` runs pending jobs off the request path — kicked after a publish, and on
a poll that also picks up jobs left by a restart or another replica. Each job is claimed under a row
lock (PostgreSQL: SKIP LOCKED, so replicas share the work) and is idempotent per (profile, clause,
version): the unique key of `policy_notifications` means a notification is never written twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from api.db import utcnow
from api.eligibility.models import EligibilityClause, PolicyMatchJob, PolicyNotification
from api.profiles.models import EligibilityProfile
from api.unit_of_work import UnitOfWork
from common.eligibility import VerdictStatus
from policy_index.clauses import Clause, ClauseIndex
from policy_index.eligibility import evaluate_clause
from policy_index.facts import FactValue

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Match:
    """A profile that meets a clause, or is one fact away from it."""

    profile_id: int
    status: VerdictStatus


def matches(clause: Clause, profiles: Iterable[tuple[int, Mapping[str, Any]]], index: ClauseIndex) -> list[Match]:
    """The profiles that meet `clause` or need exactly one more fact for it."""
    found: list[Match] = []
    for profile_id, facts in profiles:
        known: dict[str, FactValue] = {
            name: value for name, value in facts.items() if name in index.facts and value is not None
        }
        verdict = evaluate_clause(clause, known)
        if verdict.status is VerdictStatus.ELIGIBLE or (
            verdict.status is VerdictStatus.NEEDS_INFO and len(verdict.missing) == 1
        ):
            found.append(Match(profile_id, verdict.status))
    return found


def _claim(session: Session) -> PolicyMatchJob | None:
    query = select(PolicyMatchJob).where(col(PolicyMatchJob.done_at).is_(None)).order_by(col(PolicyMatchJob.id))
    return session.exec(query.limit(1).with_for_update(skip_locked=True)).first()


def run_job(session: Session, job: PolicyMatchJob, index: ClauseIndex) -> int:
    """Write the notifications of one job (in the caller's transaction); how many were new."""
    job.done_at = utcnow()
    session.add(job)
    current = session.exec(
        select(EligibilityClause.version).where(EligibilityClause.clause_id == job.clause_id)
    ).first()
    clause = next((c for c in index.clauses if c.id == job.clause_id), None)
    if clause is None or current != job.clause_version:  # withdrawn, or a newer version has its own job
        return 0
    rows = session.exec(
        select(EligibilityProfile.id, EligibilityProfile.facts).where(col(EligibilityProfile.notify).is_(True))
    ).all()
    notified = set(
        session.exec(
            select(PolicyNotification.profile_id).where(
                PolicyNotification.clause_id == job.clause_id, PolicyNotification.clause_version == job.clause_version
            )
        ).all()
    )
    found = matches(clause, ((pid, facts) for pid, facts in rows if pid is not None), index)
    fresh = [m for m in found if m.profile_id not in notified]
    session.add_all(
        PolicyNotification(
            profile_id=m.profile_id,
            clause_id=clause.id,
            clause_version=job.clause_version,
            measure_id=clause.measure_id,
            status=m.status,
        )
        for m in fresh
    )
    return len(fresh)


def run_pending(engine: Engine, index: Callable[[], ClauseIndex]) -> int:
    """Run every pending job, one transaction each; how many notifications were written."""
    written = 0
    while _pending(engine):  # a plain read first: an idle tick never takes SQLite's write lock
        with Session(engine) as session, UnitOfWork(session):
            job = _claim(session)
            if job is None:  # another worker holds or finished it
                return written
            written += run_job(session, job, index())
    return written


def _pending(engine: Engine) -> bool:
    with Session(engine) as session:
        query = select(PolicyMatchJob.id).where(col(PolicyMatchJob.done_at).is_(None)).limit(1)
        return session.exec(query).first() is not None


class PolicyPush:
    """This replica's push worker: a daemon thread woken by `kick()` or every `poll_seconds`."""

    def __init__(
        self, engine: Callable[[], Engine | None], index: Callable[[], ClauseIndex], poll_seconds: float
    ) -> None:
        self._engine, self._index, self._poll_seconds = engine, index, poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def kick(self) -> None:
        """Run pending jobs soon (after a publish here)."""
        self._wake.set()

    def start(self) -> None:
        """Start the worker thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="policy-push", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the worker thread after its current job."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            engine = self._engine()
            if engine is not None:
                try:
                    written = run_pending(engine, self._index)
                    if written:
                        logger.info("policy push: %d notifications", written)
                except SQLAlchemyError as exc:  # before `db upgrade`, or the database is down: retry on the next tick
                    logger.warning("policy push postponed: %s", exc.__class__.__name__)
            self._wake.wait(self._poll_seconds)
            self._wake.clear()
