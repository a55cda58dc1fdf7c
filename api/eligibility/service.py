"""Facts and clauses in the database: seed the bundled ones, add facts, publish clauses, read the served index.

Services never commit: the caller's unit of work does. Every write bumps the library revision so every
replica rebuilds its catalogue, and a publish writes its policy-match jobs (the outbox) in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.db import utcnow
from api.domain_errors import Conflict
from api.eligibility import messages
from api.eligibility.models import EligibilityClause, EligibilityFact, PolicyMatchJob
from api.policy.service import bump_revision
from policy_index.cases import ClauseCase
from policy_index.clauses import Clause, ClauseFileError, ClauseIndex, clause_from_data, clause_to_data
from policy_index.facts import Fact, fact_to_data, parse_facts
from policy_index.follow import MeasureMoves, follow_clause

logger = logging.getLogger(__name__)

Relink = Callable[[datetime | None], MeasureMoves]  # links written at a time (None: bundled) → their moves


class ConcurrentPublish(Conflict):
    """Another admin published a clause of the same id at the same moment."""

    def __init__(self) -> None:
        super().__init__(messages.CONCURRENT_PUBLISH)


class FactExists(Conflict):
    """A fact of this name is already defined."""

    def __init__(self, name: str) -> None:
        super().__init__(messages.FACT_EXISTS.format(name=name))


def seed_bundled_eligibility(session: Session, index: ClauseIndex) -> bool:
    """Store the bundled facts and clauses the database lacks (never replaces an admin's); True when any was."""
    facts = set(session.exec(select(EligibilityFact.name)).all())
    position = session.exec(select(func.max(EligibilityFact.position))).one() or 0
    added = False
    for fact in index.facts:
        if fact.name not in facts:
            position += 1
            session.add(EligibilityFact(name=fact.name, position=position, definition=fact_to_data(fact)))
            added = True
    clauses = set(session.exec(select(EligibilityClause.clause_id)).all())
    for clause in index.clauses:
        if clause.id not in clauses:
            session.add(_clause_row(clause, bundled=True))
            added = True
    session.flush()
    return added


def _clause_row(clause: Clause, *, bundled: bool = False, by: int | None = None) -> EligibilityClause:
    return EligibilityClause(
        clause_id=clause.id,
        document_id=clause.measure_id.rpartition("#")[0],
        measure_id=clause.measure_id,
        definition=clause_to_data(clause),
        bundled=bundled,
        published_by=by,
    )


def stored_clause_index(session: Session, relink: Relink) -> ClauseIndex | None:
    """The stored facts and clauses, each clause on its measure's newest number; None before seeding."""
    fact_rows = session.exec(select(EligibilityFact).order_by(col(EligibilityFact.position))).all()
    if not fact_rows:
        return None
    facts = parse_facts({"facts": [row.definition for row in fact_rows]})
    clauses: list[Clause] = []
    for row in session.exec(select(EligibilityClause).order_by(col(EligibilityClause.id))).all():
        try:
            clause = clause_from_data(row.definition, facts)
        except ClauseFileError as exc:  # cannot happen through the API; keep serving the others
            logger.warning("stored clause %s skipped: %s", row.clause_id, exc)
            continue
        followed = follow_clause(clause, relink(None if row.bundled else row.written_at))
        if followed is not None:
            clauses.append(followed)
    return ClauseIndex(facts=facts, clauses=tuple(clauses))


def add_fact(session: Session, fact: Fact, *, by: int | None) -> Fact:
    """Define a new fact, asked after the existing ones; `FactExists` when the name is taken."""
    if session.get(EligibilityFact, fact.name, with_for_update=True) is not None:
        raise FactExists(fact.name)
    position = session.exec(select(func.max(EligibilityFact.position))).one() or 0
    session.add(EligibilityFact(name=fact.name, position=position + 1, definition=fact_to_data(fact), created_by=by))
    try:
        session.flush()
    except IntegrityError:  # the same name added at the same moment
        raise FactExists(fact.name) from None
    bump_revision(session)
    return fact


def stored_cases(session: Session) -> dict[str, list[ClauseCase]]:
    """The test cases attached to each clause id."""
    rows = session.exec(select(EligibilityClause.clause_id, EligibilityClause.cases)).all()
    return {
        clause_id: [ClauseCase(str(c["name"]), c["profile"], c["expect"]) for c in cases] for clause_id, cases in rows
    }


def publish_clauses(
    session: Session, clauses: Sequence[Clause], cases: Sequence[ClauseCase], *, by: int | None
) -> list[tuple[Clause, int]]:
    """Store checked clauses (new, or a new version of a changed one) with their cases, and queue a
    policy-match job for each new version. Returns each clause with its version."""
    published: list[tuple[Clause, int]] = []
    for clause in clauses:
        row = session.exec(
            select(EligibilityClause).where(EligibilityClause.clause_id == clause.id).with_for_update()
        ).first()
        attached = [c.to_data() for c in cases if clause.id in c.expect]
        if row is None:
            row = _clause_row(clause, by=by)
            row.cases = attached
        else:
            changed = row.definition != clause_to_data(clause) or row.measure_id != clause.measure_id
            row.cases = [*row.cases, *(c for c in attached if c not in row.cases)]
            if not changed:
                session.add(row)
                published.append((clause, row.version))
                continue
            row.definition, row.measure_id = clause_to_data(clause), clause.measure_id
            row.version, row.bundled, row.written_at, row.published_by = row.version + 1, False, utcnow(), by
        session.add(row)
        session.add(PolicyMatchJob(clause_id=clause.id, clause_version=row.version))
        published.append((clause, row.version))
    try:
        session.flush()
    except IntegrityError:
        raise ConcurrentPublish from None
    bump_revision(session)
    return published


def clause_versions(session: Session) -> dict[str, int]:
    """The current version of every stored clause."""
    return dict(session.exec(select(EligibilityClause.clause_id, EligibilityClause.version)).all())
