"""Cold start of `zonedesk ask 高企有啥支持 --json`: median wall and CPU of N runs per `zonedesk` executable.

Several executables (e.g. two worktrees' `.venv/bin/zonedesk`) are run interleaved, so a shared
machine's load falls on each alike; each runs once first (page cache, the data directory's caches).
Like `bench/speed.py`, the runs see no `ZONEDESK_*` variable: the default setup.

    uv run python bench/cold_start.py [--runs 5] [EXECUTABLE ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = "高企有啥支持"


def run_once(executable: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + sys of the child) of one `zonedesk ask`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZONEDESK_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([executable, "ask", QUESTION, "--json"], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    """Print each executable's medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("executables", nargs="*")
    args = parser.parse_args()
    own = shutil.which("zonedesk", path=str(Path(sys.executable).parent)) or "zonedesk"
    executables: list[str] = args.executables or [own]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in executables}
    for name in executables:
        run_once(name)
    for _ in range(args.runs):
        for name in executables:
            samples[name].append(run_once(name))
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name}: wall median {wall:.2f} s, CPU median {cpu:.2f} s ({args.runs} runs)")
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
