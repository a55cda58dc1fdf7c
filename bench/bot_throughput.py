"""Bot throughput: updates handled per second through the fake Telegram server, and p99 update→reply.

N simulated users each send M messages in a closed loop (the next one after the bot's reply). The
real aiogram Bot long-polls the fake Bot API server over loopback HTTP; the bot calls the real zonedesk
API app (on a temporary SQLite) on loopback, in its own process, off the bot's event loop.

    uv run python bench/bot_throughput.py --users 50 --messages 20 --workload ask
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "bot"))

import httpx
import uvicorn
from bot_harness import make_settings, running_bot
from fake_telegram import FakeTelegram, FakeUser

from tests.factories import SERVICE_TOKEN


def serve_api() -> Any:
    """The ASGI app to benchmark against: the real API."""
    from api.main import create_app
    from api.settings import Settings

    database = Path(tempfile.mkdtemp()) / "bench.db"
    return create_app(Settings(database_url=f"sqlite:///{database}", bot_service_token=SERVICE_TOKEN))


WORKLOADS = {"menu": "/menu", "ask": "外资研发中心有什么补贴？"}


async def simulate(user: FakeUser, text: str, messages: int, latencies: list[float]) -> None:
    """One user's closed loop."""
    for _ in range(messages):
        started = time.perf_counter()
        await user.say(text)
        await user.next(kind="sendMessage", timeout=60)
        latencies.append(time.perf_counter() - started)


@contextlib.asynccontextmanager
async def api_process() -> AsyncIterator[str]:
    """The real API app on a temporary SQLite in its own process, off the bot's event loop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, __file__, "--serve-api", str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    await client.get(url + "/api/v1/facts")
                    break
                await asyncio.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


async def main(users: int, messages: int, workload: str, redis_url: str | None) -> None:
    """Run the load and print the figures."""
    telegram = FakeTelegram()
    await telegram.start()
    async with api_process() as api_url:
        with tempfile.TemporaryDirectory() as tmp:
            settings = make_settings(telegram, api_url, Path(tmp), redis_url=redis_url, bot_follow_events=False)
            async with running_bot(settings):
                warm = FakeUser(telegram, 1, "warm")
                await simulate(warm, WORKLOADS[workload], 3, [])
                latencies: list[float] = []
                crowd = [FakeUser(telegram, 10_000 + i, f"u{i}") for i in range(users)]
                started = time.perf_counter()
                await asyncio.gather(*(simulate(u, WORKLOADS[workload], messages, latencies) for u in crowd))
                elapsed = time.perf_counter() - started
    await telegram.stop()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"workload={workload} users={users} messages/user={messages} "
        f"storage={'redis' if redis_url else 'memory'}\n"
        f"updates={len(latencies)} elapsed={elapsed:.2f}s throughput={len(latencies) / elapsed:.0f} updates/s\n"
        f"update→reply p50={statistics.median(ordered) * 1000:.1f}ms p99={p99 * 1000:.1f}ms"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-api"]:
        uvicorn.run(serve_api(), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="ask")
    parser.add_argument("--redis-url", default=None, help="Redis for FSM state and the store (default: memory)")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.messages, args.workload, args.redis_url))
