"""History and search: a queue's closed tickets, and `?q=` over number, subject, requester and enterprise.

Fills a fresh database (PostgreSQL by default, `--sqlite` for a temporary file) with N tickets in the
talent queue (most closed, some open), 1,000 enterprises and their users, then times the console's
list calls through the real app (TestClient, one caller):

    uv run python bench/desk_history.py --tickets 100000 [--sqlite] [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session, col, select

from api.auth.models import User
from api.enterprises.models import Enterprise
from api.main import create_app
from api.queues.models import Queue
from api.schema import prepare_database
from api.settings import Settings
from api.tickets.models import Ticket
from common.roles import Role
from common.tickets import TicketStatus
from tests.factories import auth_header, make_token, make_user, valid_uscc

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
ENTERPRISES = 1000
SUBJECTS = ["人才公寓申请", "子女入学咨询", "医保转移接续", "外籍人员工作许可", "营业执照变更", "项目备案"]


def fill(url: str, tickets: int) -> dict[str, str]:
    """Tickets, enterprises and users; a staff member of the talent queue whose headers are returned."""
    app = create_app(Settings(database_url=url))
    engine = app.state.engine
    prepare_database(engine)
    now = dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        queue = session.exec(select(Queue).where(Queue.key == "talent")).one()
        session.execute(
            insert(Enterprise),
            [
                {
                    "name": f"成都测试企业{i:04d}有限公司",
                    "uscc": valid_uscc(i),
                    "binding_code": f"B{i:08d}",
                    "created_at": now,
                }
                for i in range(ENTERPRISES)
            ],
        )
        session.execute(
            insert(User),
            [{"role": Role.ENTERPRISE, "username": f"hr-{i:04d}", "enterprise_id": i + 1} for i in range(ENTERPRISES)],
        )
        first_user = session.exec(select(User).order_by(col(User.id))).first()
        assert first_user is not None
        assert first_user.id is not None
        rows = []
        for n in range(tickets):
            status = TicketStatus.CLOSED if n % 10 < 8 else TicketStatus.NEW if n % 10 == 8 else TicketStatus.CANCELLED
            rows.append(
                {
                    "number": f"ZD-{n + 1:06d}",
                    "requester_id": first_user.id + n % ENTERPRISES,
                    "enterprise_id": 1 + n % ENTERPRISES,
                    "category": "housing",
                    "queue_id": queue.id,
                    "subject": f"{SUBJECTS[n % len(SUBJECTS)]} 第{n}号",
                    "body": "申请",
                    "contact": "028-1",
                    "status": status,
                    "version": 1,
                    "idempotency_key": f"k{n}",
                    "request_hash": "x",
                    "sla_estimated": False,
                    "created_at": now - dt.timedelta(minutes=n),
                    "updated_at": now - dt.timedelta(minutes=n),
                }
            )
            if len(rows) == 5000:
                session.execute(insert(Ticket), rows)
                rows = []
        if rows:
            session.execute(insert(Ticket), rows)
        staff = make_user(session, Role.STAFF, queues=["talent"])
        headers = auth_header(make_token(session, staff))
        session.commit()
    engine.dispose()
    return headers


def measure(url: str, headers: dict[str, str], repeat: int) -> None:
    """Time each list call `repeat` times; print median and p95 in milliseconds."""
    client = TestClient(create_app(Settings(database_url=url)))
    calls = {
        "closed, first page": "status=closed",
        "all, search number": "status=all&q=ZD-004321",
        "all, search subject": "status=all&q=医保转移",
        "all, search enterprise": "status=all&q=测试企业0042",
        "all, search requester": "status=all&q=hr-0042",
        "open (default)": "status=open",
    }
    for label, query in calls.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(f"/api/v1/queues/talent/tickets?{query}&limit=50", headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
        total = response.json()["total"]
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:28s} total={total:7d}  median={statistics.median(times):7.1f} ms  p95={p95:7.1f} ms")


def main() -> None:
    """Parse arguments, fill, measure, clean up."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='zonedesk-history-')}/bench.db"
        measure(url, fill(url, args.tickets), args.repeat)
        return
    name = f"zonedesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        measure(url, fill(url, args.tickets), args.repeat)
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
