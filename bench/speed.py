"""Every figure of issue 17 in one run, each absolute and as a ratio to `/healthz` of the same process.

Starts `zonedesk serve` (one process, or `--workers N`) on loopback against a fresh PostgreSQL
database (and Redis when `--redis` names one), then drives it with wrk (`apt-get install wrk`):

- `/healthz` at 20 and at 50 connections: the framework's own ceiling in this deployment;
- `POST /api/v1/ask` at 20 connections, cycling through 200 real questions (the dev set), then with
  every question made new (a number appended: no answer or normal form is cached);
- `POST /api/v1/requests` at 50 connections, each a Telegram user through the bot's service token,
  each submission with its own Idempotency-Key; once without, once with 200 open event streams;
- cold start of `zonedesk ask 高企有啥支持 --json` (wall and CPU, median of `--cold` runs);
- resident memory of a matcher over 20,000 FAQ entries and 50 documents.

    uv run python bench/speed.py [--seconds 10] [--workers 1] [--cold 5] [--skip-memory] [--only ask] [--rounds 1]

`--only ask` measures `/healthz` at 20 connections and the two ask figures (no submissions, streams,
cold start or memory); `--only submit` `/healthz` at 50 connections and the submission figures.
`--rounds N` measures `/healthz` and the ask figures N times, alternating, and reports medians.

Every request loop is bounded in time (wrk's `-d`) and runs on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
ADMIN_DSN = os.environ.get("ZONEDESK_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
SERVICE_TOKEN = "bench-service-token"
QUESTIONS = ROOT / "tests" / "data" / "dev_questions.jsonl"
SUBMISSION = {
    "category": "housing",
    "subject": "人才公寓申请",
    "body": "请问人才公寓如何申请？需要哪些材料？",
    "contact": "028-1",
}
SUBMITTERS = 50
STREAM_USERS = 200
FIRST_SUBMITTER = 7_000_000
FIRST_STREAMER = 8_000_000

ASK_LUA = """
local questions = {%s}
local unique = %s
local i = 0
local tid = 0
setup = function(thread)
  thread:set("tid", math.random(1, 1000000000))
end
request = function()
  i = i + 1
  local text = questions[(i %% #questions) + 1]
  if unique then
    text = text .. " " .. tid .. "-" .. i
  end
  return wrk.format("POST", "/api/v1/ask", {["Content-Type"] = "application/json"}, '{"text": "' .. text .. '"}')
end
"""

# wrk's LuaJIT starts every run from the same random state: `run` keeps each run's keys its own (a key
# seen before would be answered as a retry, 200, without writing anything).
SUBMIT_LUA = """
local n = 0
setup = function(thread)
  thread:set("tid", math.random(1, 1000000000))
end
request = function()
  n = n + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(token)s",
    ["X-Telegram-User-Id"] = tostring(%(first)d + (n %% %(users)d)),
    ["Idempotency-Key"] = "bench-%(run)s-" .. tid .. "-" .. n,
  }
  return wrk.format("POST", "/api/v1/requests", headers, %(body)s)
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    """What wrk measured: requests per second, p50 and p99 latency (ms), failed responses."""

    per_second: float
    p50_ms: float
    p99_ms: float
    failed: int


def _lua(text: str) -> str:
    out = ['"']
    for byte in text.encode():
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    out.append('"')
    return "".join(out)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, *, connections: int, seconds: float, script: str | None = None) -> Load:
    """Run wrk (2 threads) for `seconds` against `url` and read its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "30s"]
        if script:
            command += ["-s", lua.name]
        out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    percentiles = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "Requests/sec" not in out or "99" not in percentiles:
        raise RuntimeError(f"wrk gave no figures:\n{out}")
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Load(
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        failed=(int(failed.group(1)) if failed else 0) + (sum(map(int, errors.groups())) if errors else 0),
    )


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    name = f"zonedesk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    user, host, port = info.get("user", "postgres"), info.get("host", "127.0.0.1"), info.get("port", 5432)
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[str]:
    """`zonedesk serve` on a free loopback port until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "zonedesk", "serve", "--port", str(port), "--max-connections", "5000"]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def create_users(url: str, first: int, count: int) -> None:
    """One submission each for `count` Telegram users (their accounts are created on a first write)."""

    async def submit(client: httpx.AsyncClient, telegram_id: int) -> None:
        headers = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Telegram-User-Id": str(telegram_id)}
        headers["Idempotency-Key"] = uuid.uuid4().hex
        response = await client.post("/api/v1/requests", json=SUBMISSION, headers=headers)
        if response.status_code != 201:
            raise RuntimeError(f"submission failed: {response.status_code} {response.text}")

    async def run() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            for start in range(first, first + count, 25):
                await asyncio.gather(*(submit(client, i) for i in range(start, min(first + count, start + 25))))

    asyncio.run(run())


class Streams:
    """`count` open `GET /api/v1/events` streams (one per Telegram user), read and discarded by a child process."""

    def __init__(self, url: str, first: int, count: int) -> None:
        self.port = int(url.rsplit(":", 1)[1])
        self.first, self.count = first, count
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Streams:
        code = f"""
import asyncio
async def one(i):
    reader, writer = await asyncio.open_connection("127.0.0.1", {self.port})
    writer.write((f"GET /api/v1/events HTTP/1.1\\r\\nHost: bench\\r\\nAuthorization: Bearer {SERVICE_TOKEN}\\r\\n"
                  f"X-Telegram-User-Id: {{i}}\\r\\nAccept: text/event-stream\\r\\n\\r\\n").encode())
    await writer.drain()
    while await reader.read(65536):
        pass
async def main():
    tasks = []
    for i in range({self.first}, {self.first + self.count}):
        tasks.append(asyncio.create_task(one(i)))
        await asyncio.sleep(0.01)
    print("open", flush=True)
    await asyncio.gather(*tasks, return_exceptions=True)
asyncio.run(main())
"""
        self.process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        self.process.stdout.readline()
        time.sleep(2)
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def cold_start(runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `zonedesk ask 高企有啥支持 --json` (its default, embedded setup)."""
    executable = shutil.which("zonedesk", path=str(Path(sys.executable).parent)) or "zonedesk"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZONEDESK_")}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([executable, "ask", "高企有啥支持", "--json"], env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


MEMORY_CODE = """
import dataclasses, resource, sys
sys.path.insert(0, sys.argv[1])
from bench.faq_bench import synthetic_entries
from faq.bundled import load_bundled
from faq.matcher import Matcher, TextPipeline
from policy_index.library import load_bundled_library
bundled = load_bundled()
pipeline = TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)
document = load_bundled_library().documents[0]
documents = [dataclasses.replace(document, id=f"{document.id}-{i}") for i in range(50)]
matcher = Matcher(documents, synthetic_entries(bundled, 20_000), pipeline=pipeline)
matcher.match("高企有啥支持")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def memory_kib() -> int:
    """Peak RSS (KiB) of a process holding a matcher over 20,000 FAQ entries and 50 documents."""
    out = subprocess.run([sys.executable, "-c", MEMORY_CODE, str(ROOT)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


PHASES = ("ask", "submit")


def median_load(loads: list[Load]) -> Load:
    """The median of each figure over rounds (failures summed)."""
    return Load(
        per_second=statistics.median(load.per_second for load in loads),
        p50_ms=statistics.median(load.p50_ms for load in loads),
        p99_ms=statistics.median(load.p99_ms for load in loads),
        failed=sum(load.failed for load in loads),
    )


def measure(
    url: str, seconds: float, *, phases: tuple[str, ...], lua: tuple[str, str], rounds: int = 1
) -> dict[str, tuple[Load, Load]]:
    """Each figure of `phases` with the `/healthz` figure it is compared with, by name, in table order.

    The ask figures are measured `rounds` times, alternating with `/healthz` (the machine's load drifts
    between phases), and each figure is the median over rounds.
    """
    ask_lua, ask_new_lua = lua
    out: dict[str, tuple[Load, Load]] = {}
    wrk(f"{url}/healthz", connections=20, seconds=2)  # warm-up
    if "ask" in phases:
        wrk(f"{url}/api/v1/ask", connections=20, seconds=2, script=ask_lua)
        health20s, asks, ask_news = [], [], []
        for _ in range(rounds):
            health20s.append(wrk(f"{url}/healthz", connections=20, seconds=seconds))
            asks.append(wrk(f"{url}/api/v1/ask", connections=20, seconds=seconds, script=ask_lua))
            ask_news.append(wrk(f"{url}/api/v1/ask", connections=20, seconds=seconds, script=ask_new_lua))
        health20 = median_load(health20s)
        out["/healthz, 20 connections"] = (health20, health20)
        out["POST /api/v1/ask, 200 questions, 20 connections"] = (median_load(asks), health20)
        out["POST /api/v1/ask, every question new (no cache), 20 connections"] = (median_load(ask_news), health20)
    if "submit" in phases:
        create_users(url, FIRST_SUBMITTER, SUBMITTERS)
        create_users(url, FIRST_STREAMER, STREAM_USERS)
        health50 = wrk(f"{url}/healthz", connections=50, seconds=seconds)
        out["/healthz, 50 connections"] = (health50, health50)
        submit = wrk(f"{url}/api/v1/requests", connections=50, seconds=seconds, script=submit_script())
        out["POST /api/v1/requests, 50 connections"] = (submit, health50)
        with Streams(url, FIRST_STREAMER, STREAM_USERS):
            health_streams = wrk(f"{url}/healthz", connections=50, seconds=seconds)
            out["/healthz, 50 connections, 200 streams open"] = (health_streams, health_streams)
            submit_streams = wrk(f"{url}/api/v1/requests", connections=50, seconds=seconds, script=submit_script())
            out["POST /api/v1/requests, 50 connections, 200 streams open"] = (submit_streams, health_streams)
    return out


def submit_script() -> str:
    """The wrk script submitting as the 50 Telegram users, with Idempotency-Keys no other run uses."""
    return SUBMIT_LUA % {
        "token": SERVICE_TOKEN,
        "first": FIRST_SUBMITTER,
        "users": SUBMITTERS,
        "body": _lua(json.dumps(SUBMISSION, ensure_ascii=False)),
        "run": uuid.uuid4().hex[:12],
    }


def row(name: str, load: Load, base: Load) -> str:
    """One Markdown table row: absolute figures and their ratio to `/healthz` of the same run."""
    return (
        f"| {name} | {load.per_second:.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | {load.failed} "
        f"| {load.per_second / base.per_second:.2f} | {load.p99_ms / base.p99_ms:.2f} |"
    )


def main() -> None:
    """Run every figure against one fresh deployment and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cold", type=int, default=5, help="cold starts of `zonedesk ask` (0 skips)")
    parser.add_argument("--redis", default=None, help="a Redis URL for the deployment (default: none)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--rounds", type=int, default=1, help="ask figures: rounds alternating with /healthz (median)")
    parser.add_argument("--only", choices=PHASES, default=None, help="run one group of figures (and its /healthz)")
    args = parser.parse_args()
    questions = [json.loads(line)["q"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    mixed = ", ".join(_lua(json.dumps(q, ensure_ascii=False)[1:-1]) for q in questions[:200])
    ask_lua, ask_new_lua = ASK_LUA % (mixed, "false"), ASK_LUA % (mixed, "true")
    with fresh_database() as database_url:
        env = {
            **os.environ,
            "ZONEDESK_DATABASE_URL": database_url,
            "ZONEDESK_BOT_SERVICE_TOKEN": SERVICE_TOKEN,
        }
        env.pop("ZONEDESK_BOT_TOKEN", None)
        if args.redis:
            env["ZONEDESK_REDIS_URL"] = args.redis
        subprocess.run([sys.executable, "-m", "zonedesk", "db", "upgrade"], env=env, check=True, capture_output=True)
        with server(env, args.workers) as url:
            phases = (args.only,) if args.only else PHASES
            lua = (ask_lua, ask_new_lua)
            loads = measure(url, args.seconds, phases=phases, lua=lua, rounds=args.rounds)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"workers: {args.workers}, rounds: {args.rounds}, {when}, load {os.getloadavg()}")
    print("| figure | req/s | p50 ms | p99 ms | failed | req/s ÷ /healthz | p99 ÷ /healthz p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (load, base) in loads.items():
        print(row(name, load, base))
    if args.only:
        return
    if args.cold:
        wall, cpu = cold_start(args.cold)
        print(
            f"cold start `zonedesk ask 高企有啥支持 --json` ({args.cold} runs): "
            f"wall median {wall:.2f} s, CPU {cpu:.2f} s"
        )
    if not args.skip_memory:
        print(f"RSS, matcher over 20,000 FAQ entries and 50 documents: {memory_kib() / 1024:.0f} MiB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
