"""The report queries (api/reports) on 100,000 tickets in PostgreSQL.

Fills a fresh PostgreSQL database (migrated, default queues and routing seeded) with N tickets over
2025 (COPY): 4 queues, 8 categories, ~70 % resolved, a first public staff reply on ~80 %, a rating
on half the resolved ones, a 超时 flag on ~10 %; then times `ticket_report` (the JSON route's whole
service call: the three queries and the working-time arithmetic) for an admin over the year, an
admin over one month and a one-queue supervisor over the year, and the CSV rendering.

    uv run python bench/report_queries.py [--tickets 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

import psycopg
from desk_submissions import create_database, drop_database  # bench/ is the script's own directory
from sqlmodel import Session, select

import api.models  # noqa: F401 - every table, so foreign keys resolve
from api.auth.models import User
from api.auth.service import create_user
from api.calendar.service import load_calendar
from api.calendar.worktime import BEIJING, add_working_minutes
from api.db import make_engine
from api.queues.models import Queue, RoutingRule
from api.reports.csv_export import report_csv
from api.reports.service import ticket_report
from api.schema import prepare_database
from common.roles import Role

YEAR_START = dt.datetime(2025, 1, 1, tzinfo=BEIJING)


def fill(url: str, dsn: str, count: int) -> tuple[User, User]:
    """Insert `count` tickets with replies, ratings and flags; return (admin, supervisor of talent)."""
    engine = make_engine(url)
    prepare_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        requester = create_user(session=session, role=Role.ENTERPRISE, username="firm", password=None)
        staff = create_user(session=session, role=Role.STAFF, username="clerk", password=None, queues=["talent"])
        admin = create_user(session=session, role=Role.ADMIN, username="boss", password=None)
        boss = create_user(session=session, role=Role.STAFF, username="lead", password=None, supervises=["talent"])
        rules = list(session.exec(select(RoutingRule)).all())
        calendar = load_calendar(session=session)
        sla = {q.id: q.sla_hours for q in session.exec(select(Queue)).all()}
        session.commit()
    rng = random.Random(14)
    tickets, messages, ratings, alerts = [], [], [], []
    rectifications: list[tuple[object, ...]] = []
    for ticket_id in range(1, count + 1):
        rule = rng.choice(rules)
        created = YEAR_START + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        due = add_working_minutes(calendar, created, sla[rule.queue_id] * 60).due_at
        resolved = created + dt.timedelta(minutes=rng.randrange(30, 12 * 24 * 60)) if rng.random() < 0.7 else None
        status = "new" if resolved is None else ("closed" if rng.random() < 0.5 else "resolved")
        identity = (ticket_id, f"ZD-{ticket_id:06d}", requester.id, rule.category, rule.queue_id)
        content = ("申请", "正文", "028-1", status, staff.id, 1, f"k{ticket_id}", "h")
        tickets.append((*identity, *content, due, False, created, created, resolved))
        if rng.random() < 0.8:
            replied = created + dt.timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
            messages.append((ticket_id, staff.id, "staff", False, "您好", replied))
        if resolved is not None and status == "closed":
            rated = resolved + dt.timedelta(hours=2)
            score = rng.randint(1, 5)
            ratings.append((ticket_id, requester.id, score, "", rated))
            if score <= 2:  # a 差评 opens a 整改, due about 15 working days later; half are called back
                state = "done" if rng.random() < 0.5 else "open"
                rectifications.append((ticket_id, state, rated + dt.timedelta(days=21), "", rated))
        if rng.random() < 0.1:
            alerts.append((ticket_id, "breach", due, due))
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        columns = (
            "id, number, requester_id, category, queue_id, subject, body, contact, status, assignee_id, version, "
            "idempotency_key, request_hash, sla_due_at, sla_estimated, created_at, updated_at, resolved_at"
        )
        with cursor.copy(f"COPY tickets ({columns}) FROM STDIN") as copy:
            for row in tickets:
                copy.write_row(row)
        message_columns = "ticket_id, author_id, author_role, internal, body, created_at"
        with cursor.copy(f"COPY ticket_messages ({message_columns}) FROM STDIN") as copy:
            for row in messages:
                copy.write_row(row)
        with cursor.copy("COPY ticket_ratings (ticket_id, user_id, score, comment, created_at) FROM STDIN") as copy:
            for row in ratings:
                copy.write_row(row)
        rectification_columns = "ticket_id, status, due_at, note, created_at"
        with cursor.copy(f"COPY ticket_rectifications ({rectification_columns}) FROM STDIN") as copy:
            for row in rectifications:
                copy.write_row(row)
        with cursor.copy("COPY sla_alerts (ticket_id, kind, due_at, created_at) FROM STDIN") as copy:
            for row in alerts:
                copy.write_row(row)
        cursor.execute("SELECT setval('tickets_id_seq', %s)", (count,))
        cursor.execute("ANALYZE")
    engine.dispose()
    print(
        f"filled: {len(tickets)} tickets, {len(messages)} replies, {len(ratings)} ratings, "
        f"{len(rectifications)} 整改, {len(alerts)} 超时 flags"
    )
    return admin, boss


def timed(label: str, runs: int, call: Callable[[], object]) -> None:
    """Run `call` `runs` times after one warm-up; print the median and the fastest, in ms."""
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    print(f"| {label} | {statistics.median(times):.0f} ms | {min(times):.0f} ms |")


def main() -> None:
    """Fill, measure, drop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    name, url = create_database()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin, supervisor = fill(url, dsn, args.tickets)
        engine = make_engine(url)
        year, march = (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
        print("| report | median | fastest |\n|---|---|---|")
        with Session(engine) as session:
            for label, user, (first, last) in [
                ("admin, whole year (every queue)", admin, year),
                ("admin, one month", admin, march),
                ("supervisor of one queue, whole year", supervisor, year),
            ]:
                timed(
                    label,
                    args.runs,
                    lambda u=user, f=first, t=last: ticket_report(session=session, user=u, first=f, last=t),
                )
                session.rollback()
            report = ticket_report(session=session, user=admin, first=year[0], last=year[1])
            timed("CSV rendering of the year's report", args.runs, lambda: report_csv(report))
            print(f"year total: opened {report.total.opened}, resolved {report.total.resolved}")
        engine.dispose()
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
