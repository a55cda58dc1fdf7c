"""Benchmark of question matching: index build, per-query latency, peak memory, cold start.

uv run python bench/faq_bench.py            # bundled FAQ and a synthetic FAQ of 20,000 entries
uv run python bench/faq_bench.py --cold 10  # plus 10 cold starts of `zonedesk ask`
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from faq.bundled import Bundled, load_bundled
from faq.entries import FaqEntry
from faq.matcher import Matcher, TextPipeline
from policy_index.library import load_bundled_library

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev_questions.jsonl"
FILLERS = ("怎么办", "有啥政策", "能申请吗", "找谁", "多少钱", "需要什么材料", "流程是什么", "有补贴吗", "")


def synthetic_entries(bundled: Bundled, count: int, seed: int = 7) -> list[FaqEntry]:
    """`count` entries made from the bundled ones: shuffled lexicon terms, fillers, random links."""
    rng = random.Random(seed)
    terms = sorted(bundled.lexicon.vocabulary)
    out = list(bundled.entries)
    while len(out) < count:
        base = rng.choice(bundled.entries)
        words = [*rng.sample(terms, 2), rng.choice(FILLERS)]
        question = f"{''.join(words)}{rng.choice(base.variants or (base.question,))}"
        variants = tuple(f"{rng.choice(terms)}{rng.choice(FILLERS)}" for _ in range(3))
        out.append(dataclasses.replace(base, id=f"synthetic-{len(out)}", question=question, variants=variants))
    return out


def questions() -> list[str]:
    """The dev questions' texts, as a realistic query load."""
    import json

    return [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def latency(matcher: Matcher, texts: list[str], rounds: int) -> tuple[float, float, float, float]:
    """Wall-clock p50, p99 and thread-CPU p50, p99 (ms) of `matcher.match`, normal forms uncached.

    CPU time is what the query costs; wall time adds what other processes on the machine take from it.
    """
    wall, cpu = [], []
    for _ in range(rounds):
        matcher.clear_cache()
        for text in texts:
            start, start_cpu = time.perf_counter(), time.thread_time()
            matcher.match(text)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p99 = int(len(wall) * 0.99) - 1
    return statistics.median(wall), wall[p99], statistics.median(cpu), cpu[p99]


def measure(label: str, pipeline: TextPipeline, entries: list[FaqEntry], texts: list[str], rounds: int) -> None:
    """Print build time, latency and peak traced memory for one FAQ size."""
    documents = load_bundled_library().documents
    start = time.perf_counter()
    matcher = Matcher(documents, entries, pipeline=pipeline)
    build = time.perf_counter() - start
    p50, p99, cpu50, cpu99 = latency(matcher, texts, rounds)
    tracemalloc.start()
    Matcher(documents, entries, pipeline=pipeline).match(texts[0])
    _, peak_build = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    current = tracemalloc.get_traced_memory()[0]
    matcher.clear_cache()
    for text in texts:
        matcher.match(text)
    _, peak_query = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: {len(entries)} FAQ entries, build {build * 1000:.0f} ms, "
        f"query wall p50 {p50:.2f} ms p99 {p99:.2f} ms, CPU p50 {cpu50:.2f} ms p99 {cpu99:.2f} ms "
        f"({len(texts) * rounds} queries), "
        f"peak traced memory: build {peak_build / 2**20:.1f} MiB, queries +{(peak_query - current) / 2**10:.0f} KiB"
    )


def cold_start(runs: int) -> None:
    """Wall and CPU time of `zonedesk ask TEXT --json` in fresh processes (import + tokenizer + index + answer)."""
    command = [str(Path(sys.executable).with_name("zonedesk")), "ask", "高企有啥支持", "--json"]
    subprocess.run(command, capture_output=True, check=True)  # warm the OS file cache and jieba's cache file
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(
        f"cold start `zonedesk ask` ({runs} runs): wall median {statistics.median(wall):.2f} s "
        f"(min {min(wall):.2f}, max {max(wall):.2f}); CPU median {statistics.median(cpu):.2f} s "
        f"(min {min(cpu):.2f}); load average {os.getloadavg()}"
    )


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=20_000)
    parser.add_argument("--cold", type=int, default=0)
    args = parser.parse_args()
    bundled = load_bundled()
    start = time.perf_counter()
    pipeline = TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)
    print(f"tokenizer + normaliser: {(time.perf_counter() - start) * 1000:.0f} ms; load average {os.getloadavg()}")
    texts = questions()
    measure("bundled", pipeline, list(bundled.entries), texts, args.rounds)
    if args.synthetic:
        measure("synthetic", pipeline, synthetic_entries(bundled, args.synthetic), texts, max(1, args.rounds // 5))
    if args.cold:
        cold_start(args.cold)


if __name__ == "__main__":
    main()
