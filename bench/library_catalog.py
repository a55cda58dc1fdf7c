"""The policy library: catalogue rebuild time by library size, and how fast an import reaches another replica.

    uv run python bench/library_catalog.py                      # rebuild times on SQLite (10 / 50 / 100 documents)
    uv run python bench/library_catalog.py --replicas 5         # + import → answered by a second replica, PostgreSQL

Documents are the realistic fixtures of tests/policy_index/fixtures/library/ (nine issuers and layouts) and the
bundled seed, repeated under new ids to reach the size. Propagation needs PostgreSQL at 127.0.0.1:5432 and Redis
at 127.0.0.1:6379 (a database is created and dropped).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlmodel import Session

from common.roles import Role

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from api.catalog import read_catalog
from api.catalog_build import today_in_zone
from api.db import make_engine
from api.main import create_app
from api.policy.service import bundled_library, import_document, read_document
from api.schema import prepare_database
from api.settings import Settings
from tests.api.conftest import LiveServer
from tests.factories import auth_header, make_token, make_user

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "tests/policy_index/fixtures/library").glob("*.txt"))
ZONE_IPO = (Path(__file__).resolve().parents[1] / "tests/api/library/zone-ipo-policy.txt").read_text(encoding="utf-8")
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def rebuild_times(sizes: list[int], rounds: int) -> None:
    """Median and max time to rebuild the catalogue (read the library, build the matcher) per library size."""
    texts = [path.read_text(encoding="utf-8") for path in FIXTURES]
    for size in sizes:
        with tempfile.TemporaryDirectory() as directory:
            engine = make_engine(f"sqlite:///{directory}/bench.db")
            prepare_database(engine)
            with Session(engine) as session:
                for n in range(size - 1):  # the seed is the first document
                    document = read_document(f"doc-{n}", texts[n % len(texts)], {})
                    import_document(session, document, texts[n % len(texts)], by=None)
                session.commit()
            timings = []
            for _ in range(rounds):
                start = time.perf_counter()
                with Session(engine) as session:
                    catalog = read_catalog(session, fallback=bundled_library(), day=today_in_zone())
                timings.append(time.perf_counter() - start)
            measures = len(catalog.matcher.measures)
            engine.dispose()
        print(
            f"{size:>4} documents ({measures:>4} measures): "
            f"rebuild median {statistics.median(timings) * 1000:7.0f} ms, "
            f"max {max(timings) * 1000:7.0f} ms ({rounds} rounds)"
        )


def _answered(url: str, document_id: str, deadline: float) -> float | None:
    while time.monotonic() < deadline:
        answer = httpx.post(f"{url}/api/v1/ask", json={"text": "高新区企业上市有啥奖励"}).json()
        if answer["matches"] and answer["matches"][0]["document_id"] == document_id:
            return time.monotonic()
        time.sleep(0.02)
    return None


def propagation(rounds: int, redis_url: str | None, poll_seconds: float) -> list[float]:
    """Seconds from an import's response on replica A to the first answer from it on replica B."""
    name = f"zonedesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    settings = Settings(database_url=url, redis_url=redis_url, secret_key="b", catalog_poll_seconds=poll_seconds)
    first, second = create_app(settings), create_app(settings)
    prepare_database(first.state.engine)
    with Session(first.state.engine) as session:
        headers = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    delays: list[float] = []
    try:
        with LiveServer(first) as a, LiveServer(second) as b:
            for n in range(rounds):
                document_id = f"zone-ipo-{n}"
                body = {"document_id": document_id, "text": ZONE_IPO, "level": "zone"}
                response = httpx.post(f"{a.url}/api/v1/admin/documents", json=body, headers=headers, timeout=60)
                done = time.monotonic()
                response.raise_for_status()
                seen = _answered(b.url, document_id, done + poll_seconds + 30)
                delays.append((seen or float("inf")) - done)
                retire = httpx.post(f"{a.url}/api/v1/admin/documents/{document_id}/retire", headers=headers)
                retire.raise_for_status()
    finally:
        for app in (first, second):
            app.state.catalog_holder.stop()
            app.state.engine.dispose()
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return delays


def main() -> None:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,50,100", help="library sizes (documents)")
    parser.add_argument("--rounds", type=int, default=5, help="rebuilds per size")
    parser.add_argument("--replicas", type=int, default=0, help="imports timed across two replicas (0: skip)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    rebuild_times([int(s) for s in args.sizes.split(",")], args.rounds)
    if args.replicas:
        for label, redis_url, poll in (("Redis wake-up", args.redis, 5.0), ("polling only (5 s)", None, 5.0)):
            delays = propagation(args.replicas, redis_url, poll)
            print(
                f"import on A → answered by B, {label}: median {statistics.median(delays) * 1000:.0f} ms, "
                f"max {max(delays) * 1000:.0f} ms ({len(delays)} imports)"
            )


if __name__ == "__main__":
    main()
