"""Policy push on N stored profiles: how long one published clause version takes to be matched and notified.

Builds a migrated database (SQLite in a temp dir, or `--database-url`), stores N enterprise profiles
with random answers, queues one policy-match job the way a publish does, and times `run_pending` (one
transaction: read every profile, evaluate the clause, write the notifications).

    uv run python bench/policy_push.py --profiles 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete
from sqlmodel import Session, select

from api.catalog_build import bundled_clause_index
from api.db import make_engine
from api.eligibility.models import EligibilityClause, PolicyMatchJob, PolicyNotification
from api.eligibility.push import run_pending
from api.enterprises.models import Enterprise
from api.profiles.models import EligibilityProfile
from api.schema import prepare_database
from tests.factories import valid_uscc


def _profiles(count: int, rng: random.Random) -> list[dict[str, object]]:
    index = bundled_clause_index()
    out = []
    for _ in range(count):
        profile: dict[str, object] = {}
        for fact in index.facts:
            if rng.random() < 0.6 and fact.options:
                profile[fact.name] = rng.choice(fact.options).value
        out.append(profile)
    return out


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/push.db"
    engine = make_engine(url)
    prepare_database(engine)
    rng = random.Random(7)
    with Session(engine) as session:
        for i, facts in enumerate(_profiles(args.profiles, rng)):
            enterprise = Enterprise(name=f"企业{i}", uscc=valid_uscc(i), binding_code=f"bench{i}")
            session.add(enterprise)
            session.flush()
            session.add(EligibilityProfile(enterprise_id=enterprise.id, facts=facts))
        session.commit()
    index = bundled_clause_index()
    clause = next(c for c in index.clauses if c.id == "m11-hte-priority-support")
    timings, written = [], 0
    for run in range(args.runs):
        with Session(engine) as session:
            session.execute(delete(PolicyNotification))
            row = session.exec(select(EligibilityClause).where(EligibilityClause.clause_id == clause.id)).one()
            row.version = run + 2
            session.add(PolicyMatchJob(clause_id=clause.id, clause_version=row.version))
            session.commit()
        started = time.perf_counter()
        written = run_pending(engine, lambda: index)
        timings.append(time.perf_counter() - started)
    print(f"{args.profiles} profiles, {engine.dialect.name}: {written} notifications per job")
    print(f"job time: median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
