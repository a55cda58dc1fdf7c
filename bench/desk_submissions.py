"""Ticket submissions per second and latency against PostgreSQL, at several client concurrencies.

Starts a real uvicorn (one process) on loopback against a fresh PostgreSQL database, then for each
concurrency level runs that many httpx async clients — each a distinct Telegram user through the bot's
service token, each submission with its own Idempotency-Key — for a bounded time and count.

    uv run python bench/desk_submissions.py [--levels 10 50 200] [--seconds 10] [--max-requests 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

import httpx
import psycopg

ADMIN_DSN = os.environ.get("ZONEDESK_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
SERVICE_TOKEN = "bench-service-token"
REQUEST = {
    "category": "housing",
    "subject": "人才公寓申请",
    "body": "请问人才公寓如何申请？需要哪些材料？",
    "contact": "028-1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def create_database() -> tuple[str, str]:
    name = f"zonedesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    user, host, port = info.get("user", "postgres"), info.get("host", "127.0.0.1"), info.get("port", 5432)
    return name, f"postgresql+psycopg://{user}@{host}:{port}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def client_loop(url: str, telegram_id: int, deadline: float, budget: list[int], latencies: list[float]) -> int:
    """One client (its own connection) submitting until the time or the shared budget runs out; errors seen."""
    headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(telegram_id)}
    errors = 0
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            try:
                response = await client.post(
                    "/api/v1/requests", json=REQUEST, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
                )
            except httpx.TransportError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 201
    return errors


async def run_level(url: str, clients: int, seconds: float, max_requests: int, first_id: int) -> dict[str, float]:
    """Warm up (one submission per client creates its Telegram user), then measure."""
    await asyncio.gather(*(client_loop(url, first_id + i, time.monotonic() + 60, [1], []) for i in range(clients)))
    latencies: list[float] = []
    budget = [max_requests]
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    errors = await asyncio.gather(
        *(client_loop(url, first_id + i, deadline, budget, latencies) for i in range(clients))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": sum(errors),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    args = parser.parse_args()
    name, database_url = create_database()
    env = {**os.environ, "ZONEDESK_DATABASE_URL": database_url, "ZONEDESK_BOT_SERVICE_TOKEN": SERVICE_TOKEN}
    server = None
    try:
        subprocess.run([sys.executable, "-m", "zonedesk", "db", "upgrade"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "120"],
            env=env,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        print("| clients | requests | errors | submissions/s | p50 ms | p99 ms |")
        print("|---:|---:|---:|---:|---:|---:|")
        for level, clients in enumerate(args.levels):
            row = asyncio.run(run_level(url, clients, args.seconds, args.max_requests, 1_000_000 * (level + 1)))
            print(
                f"| {row['clients']} | {row['requests']} | {row['errors']} | {row['per_second']:.0f} "
                f"| {row['p50_ms']:.1f} | {row['p99_ms']:.1f} |",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(name)


if __name__ == "__main__":
    main()
