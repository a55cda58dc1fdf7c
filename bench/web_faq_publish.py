"""Benchmark of an FAQ publish from the admin page: the PUT that saves and rebuilds the matcher.

uv run python bench/web_faq_publish.py                 # 20 publishes with 0 and with 300 admin entries
uv run python bench/web_faq_publish.py --entries 1000  # another size of the admin FAQ
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from common.roles import Role

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from api.faqs.models import FaqEntry
from api.main import create_app
from api.settings import Settings
from tests.factories import auth_header, make_token, make_user


def publish_latencies(entries: int, rounds: int) -> list[float]:
    """Seconds per publish (save + matcher rebuild + response) with `entries` published admin entries."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(database_url=f"sqlite:///{tmp}/bench.db", secret_key="bench"))
        with Session(app.state.engine, expire_on_commit=False) as session:
            headers = auth_header(make_token(session, make_user(session, Role.ADMIN)))
            for i in range(entries):
                question = f"第{i}号园区服务事项怎么办理"
                session.add(FaqEntry(question=question, answer="请咨询综合办。", version=1, published_version=1))
            session.commit()
        client = TestClient(app)
        body = {
            "question": "园区职工食堂补贴怎么申请",
            "answer": "综合办受理。",
            "measure_ids": ["13"],
            "publish": True,
        }
        entry = client.post("/api/v1/admin/faq", json=body, headers=headers).json()
        times = []
        for round_ in range(rounds):
            edit = {**body, "answer": f"综合办受理（第{round_}次修改）。", "version": entry["version"]}
            start = time.perf_counter()
            entry = client.put(f"/api/v1/admin/faq/{entry['id']}", json=edit, headers=headers).json()
            times.append(time.perf_counter() - start)
        app.state.engine.dispose()
        return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, nargs="*", default=[0, 300])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    for entries in args.entries:
        times = sorted(publish_latencies(entries, args.rounds))
        print(
            f"admin entries {entries:5d}: publish median {statistics.median(times) * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms ({args.rounds} publishes)"
        )


if __name__ == "__main__":
    main()
