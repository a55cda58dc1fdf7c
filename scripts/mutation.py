"""Mutation testing of the domain packages and the desk, with mutmut (configured in pyproject.toml).

A full run is ~6,500 mutants: hours on a shared 2-core machine. This script runs a seeded random
sample of the same size from each package, so the score is an honest estimate that anyone can
reproduce, and reports per package. See docs/mutation.md.

    uv run python scripts/mutation.py                    # generate, sample 120 a package, run, report
    uv run python scripts/mutation.py --per-package 0    # every mutant (slow)
    uv run python scripts/mutation.py --report-only      # report the last run's results
    uv run python scripts/mutation.py --survivors        # re-run only the sample's survivors (after new tests)
    uv run python scripts/mutation.py --new-sample       # draw a new sample (docs/mutation-sample.txt keeps the last)
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENT_FILE = ROOT / "docs" / "mutation-equivalent.txt"
SAMPLE_FILE = ROOT / "docs" / "mutation-sample.txt"  # the measured sample, kept so a changed source keeps it
PACKAGES = ("policy_index", "faq", "api.tickets", "api.auth")
SEED = 2024

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into the columns we report
KILLED, SURVIVED, TIMEOUT, NO_TESTS = "killed", "survived", "timeout", "no tests"
STATUS = {1: KILLED, 3: KILLED, 0: SURVIVED, 5: NO_TESTS, 33: NO_TESTS, 36: TIMEOUT, -24: TIMEOUT, 24: TIMEOUT}
STATUS |= {152: TIMEOUT, 255: TIMEOUT}


def package_of(name: str) -> str:
    """`api.tickets.service.x_reply__mutmut_3` → `api.tickets`."""
    return next(p for p in PACKAGES if name.startswith(p + "."))


def results() -> dict[str, int | None]:
    """Every generated mutant and its last exit code (None: not run yet)."""
    found: dict[str, int | None] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        found.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])
    return found


def generate() -> None:
    """Write mutants/ (mutmut's generation step, without running any test)."""
    subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", GENERATE], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )


GENERATE = """
import os
from mutmut.__main__ import create_mutants
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
os.makedirs("mutants", exist_ok=True)
copy_src_dir()
copy_also_copy_files()
setup_source_paths()
create_mutants(os.cpu_count() or 2)
"""


def sample(names: list[str], per_package: int, seed: int) -> list[str]:
    """`per_package` mutants drawn at random from each package (all of them when 0)."""
    chosen: list[str] = []
    for package in PACKAGES:
        mine = sorted(n for n in names if package_of(n) == package)
        if 0 < per_package < len(mine):
            mine = random.Random(seed).sample(mine, per_package)  # noqa: S311 - a reproducible sample, not a secret
        chosen += mine
    return chosen


def equivalents() -> dict[str, str]:
    """Mutants judged equivalent, with the reason: `name  # why` lines of docs/mutation-equivalent.txt."""
    if not EQUIVALENT_FILE.exists():
        return {}
    found = {}
    for line in EQUIVALENT_FILE.read_text("utf-8").splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            found[name.strip()] = why.strip()
    return found


def report(chosen: list[str], codes: dict[str, int | None], totals: Counter[str]) -> None:
    equivalent = equivalents()
    print("| package | generated | sampled | killed | timeout | survived | equivalent | no tests | score |")
    print("|---|---|---|---|---|---|---|---|---|")
    survivors = []
    for package in PACKAGES:
        mine = [n for n in chosen if package_of(n) == package]
        count: Counter[str] = Counter()
        for name in mine:
            status = STATUS.get(codes.get(name), "not run") if codes.get(name) is not None else "not run"
            if status in (SURVIVED, NO_TESTS) and name in equivalent:
                status = "equivalent"
            elif status in (SURVIVED, NO_TESTS):
                survivors.append(name)
            count[status] += 1
        denominator = len(mine) - count["equivalent"] - count["not run"]
        detected = count[KILLED] + count[TIMEOUT]
        score = f"{100 * detected / denominator:.1f} %" if denominator else "-"
        print(
            f"| {package} | {totals[package]} | {len(mine)} | {count[KILLED]} | {count[TIMEOUT]} | {count[SURVIVED]}"
            f" | {count['equivalent']} | {count[NO_TESTS]} | {score} |"
        )
        if count["not run"]:
            print(f"|   (not run yet: {count['not run']}) |")
    print("\nsurvivors (and mutants no test reaches):")
    for name in survivors:
        print(f"  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-package", type=int, default=120, help="mutants drawn per package; 0 = all")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--package", choices=PACKAGES, action="append", help="only these packages (repeatable)")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--survivors", action="store_true", help="re-run only sampled mutants that survived")
    parser.add_argument("--new-sample", action="store_true", help=f"draw again instead of reading {SAMPLE_FILE.name}")
    args = parser.parse_args()
    if not list(MUTANTS.rglob("*.py.meta")):
        generate()
    codes = results()
    if SAMPLE_FILE.exists() and not args.new_sample:
        chosen = [n for n in SAMPLE_FILE.read_text("utf-8").split() if n in codes]
    else:
        chosen = sample(list(codes), args.per_package, args.seed)
        SAMPLE_FILE.write_text("".join(f"{n}\n" for n in chosen), "utf-8")
    if args.package:
        chosen = [n for n in chosen if package_of(n) in args.package]
    rerun = [n for n in chosen if codes.get(n) is not None and STATUS.get(codes[n] or 0) in (SURVIVED, NO_TESTS)]
    to_run = rerun if args.survivors else chosen
    if not args.report_only and to_run:
        subprocess.run(["mutmut", "run", *to_run], cwd=ROOT, check=False)  # noqa: S603, S607 - fixed command
        codes = results()
    report(chosen, codes, Counter(package_of(n) for n in codes))


if __name__ == "__main__":
    main()
