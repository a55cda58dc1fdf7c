"""How many questions the guided interview asks before every clause is settled.

Exhaustive, not sampled: the interview's next question depends only on the answers so far, so the
interviews over all complete profiles form one decision tree. Walking it once, a leaf at depth d
that leaves k facts unasked stands for the product of those k facts' option counts complete
profiles, each of which needs d questions. Averages weight every complete profile equally
(3·3·2·2·2·3·2·2·2·2·4·2·2·3·2 = 331,776 profiles for the bundled facts).

Strategies compared:
- fixed order (the baseline): ask the facts in facts.yaml order, every one of them, stopping as
  soon as no clause is open;
- fixed order, skipping facts no open clause reads (shown for reference; not the baseline);
- greedy next_question with each scoring function of policy_index.interview;
- optimal: the decision tree of least average length (exhaustive search, memoised), a lower bound.

Then the same comparison (without the slow optimal search) on random clause sets shaped like the
bundled ones, where the scoring functions that tie on the bundled clauses come apart.

Run: uv run python bench/interview_length.py [RANDOM_SETS, default 8]
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from policy_index.clauses import Clause, ClauseIndex, load_bundled_clause_index
from policy_index.conditions import AllOf, AnyOf, Comparison, Condition, Not, Operator
from policy_index.facts import Fact, FactCatalogue, FactValue
from policy_index.interview import (
    Score,
    next_question,
    open_clauses,
    score_max_settled,
    score_mean_settled,
    score_mentions,
    score_min_settled,
)

Profile = dict[str, FactValue]
Picker = Callable[[Profile], Fact | None]


@dataclass
class Tally:
    """Questions asked, weighted by the complete profiles each leaf stands for."""

    weighted: int = 0
    profiles: int = 0
    worst: int = 0

    def add(self, depth: int, weight: int) -> None:
        self.weighted += depth * weight
        self.profiles += weight
        self.worst = max(self.worst, depth)

    @property
    def average(self) -> float:
        return self.weighted / self.profiles


def walk(picker: Picker, facts: FactCatalogue, start: Profile) -> Tally:
    """Run the interview on every complete profile extending `start`, as one tree walk."""
    tally = Tally()

    def visit(profile: Profile, depth: int) -> None:
        fact = picker(profile)
        if fact is None:
            unasked = [len(f.options) for f in facts if f.name not in profile]
            tally.add(depth, math.prod(unasked))
            return
        for option in fact.options:
            visit({**profile, fact.name: option.value}, depth + 1)

    visit(dict(start), len(start))
    return tally


def fixed_order(index: ClauseIndex) -> Picker:
    """Baseline: the next fact in file order, needed or not, until no clause is open."""

    def pick(profile: Profile) -> Fact | None:
        if not open_clauses(profile, index.clauses):
            return None
        return next(f for f in index.facts if f.name not in profile)

    return pick


def fixed_order_skipping(index: ClauseIndex) -> Picker:
    """The first fact in file order that some open clause still reads."""

    def pick(profile: Profile) -> Fact | None:
        needed = {n for c in open_clauses(profile, index.clauses) for n in c.fact_names if n not in profile}
        return next((f for f in index.facts if f.name in needed), None)

    return pick


def greedy(index: ClauseIndex, score: Score) -> Picker:
    """next_question with the given scoring function."""
    return lambda profile: next_question(profile, index.clauses, index.facts, score=score)


def residual(condition: Condition, profile: Profile) -> Condition | bool:
    """The condition with the known facts substituted and simplified away (True/False when decided)."""
    if isinstance(condition, Comparison):
        actual = profile.get(condition.fact.name)
        return condition if actual is None else condition.holds(actual)
    if isinstance(condition, Not):
        inner = residual(condition.item, profile)
        return (not inner) if isinstance(inner, bool) else Not(inner)
    decisive = isinstance(condition, AnyOf)  # True decides `any`, False decides `all`
    items = []
    for item in condition.items:
        part = residual(item, profile)
        if part is decisive:
            return decisive
        if not isinstance(part, bool):
            items.append(part)
    if not items:
        return not decisive
    return items[0] if len(items) == 1 else type(condition)(tuple(items))


def optimal(index: ClauseIndex) -> Picker:
    """The question of a decision tree with the least average length (memoised exhaustive search).

    A state is the set of residual conditions of the open clauses: what is known only matters
    through them, and two clauses left with the same residual need the same answers.
    """
    facts = index.facts
    State = frozenset[Condition]

    def state_of(conditions: Iterable[Condition], profile: Profile) -> State:
        parts = (residual(c, profile) for c in conditions)
        return frozenset(p for p in parts if not isinstance(p, bool))

    @cache
    def best(state: State) -> tuple[float, str | None]:
        if not state:
            return 0.0, None
        results = []
        for name in sorted({n for c in state for n in c.fact_names()}, key=facts.order):
            options = facts[name].options
            after = [best(state_of(state, {name: o.value}))[0] for o in options]
            results.append((1 + sum(after) / len(options), name))
        return min(results, key=lambda r: (round(r[0], 12), facts.order(r[1])))

    def pick(profile: Profile) -> Fact | None:
        name = best(state_of((c.condition for c in index.clauses), profile))[1]
        return facts[name] if name else None

    return pick


def strategies(index: ClauseIndex) -> list[tuple[str, Picker]]:
    """Every strategy benchmarked, baseline first."""
    return [
        ("fixed order, every fact (baseline)", fixed_order(index)),
        ("fixed order, skipping unread facts (reference)", fixed_order_skipping(index)),
        ("greedy: open clauses reading the fact", greedy(index, score_mentions)),
        ("greedy: clauses settled, worst answer", greedy(index, score_min_settled)),
        ("greedy: clauses settled, best answer", greedy(index, score_max_settled)),
        ("greedy: clauses settled, mean over answers (default)", greedy(index, score_mean_settled)),
        ("optimal decision tree (lower bound)", optimal(index)),
    ]


def random_clauses(index: ClauseIndex, rng: random.Random, count: int) -> tuple[Clause, ...]:
    """Clauses shaped like the bundled ones: the zone gate and one to three random comparisons."""
    zone = index.clauses[0].condition
    assert isinstance(zone, AllOf)
    others = [f for f in index.facts if f.name != "zone_level"]
    clauses = []
    for n in range(count):
        parts: list[Condition] = [zone.items[0]]
        for fact in rng.sample(others, rng.randint(1, 3)):
            values = [o.value for o in fact.options]
            accepted = tuple(rng.sample(values, rng.randint(1, len(values) - 1)))
            parts.append(Comparison(fact, Operator.IN, accepted))
        clauses.append(replace(index.clauses[0], id=f"m1-random-{n}", condition=AllOf(tuple(parts))))
    return tuple(clauses)


def compare_on_random_sets(index: ClauseIndex, sets: int, seed: int) -> None:
    """Average lengths of the baseline and the greedy scores over random clause sets."""
    rng = random.Random(seed)
    names = [name for name, _ in strategies(index) if not name.startswith("optimal")]
    totals = dict.fromkeys(names, 0.0)
    for _ in range(sets):
        synthetic = replace(index, clauses=random_clauses(index, rng, len(index.clauses)))
        for name, picker in strategies(synthetic):
            if name in totals:
                totals[name] += walk(picker, synthetic.facts, {}).average / sets
    print(f"\n{sets} random clause sets (seed {seed}), {len(index.clauses)} clauses each, all profiles:\n")
    print("| strategy | mean of the sets' average lengths |")
    print("|---|---|")
    for name in names:
        print(f"| {name} | {totals[name]:.3f} |")


def main(argv: Sequence[str]) -> None:
    """Print markdown tables of average and worst interview lengths."""
    sets = int(argv[0]) if argv else 8
    index = load_bundled_clause_index()
    total = math.prod(len(f.options) for f in index.facts)
    print(f"{len(index.facts)} facts, {len(index.clauses)} clauses, {total:,} complete profiles (exhaustive)\n")
    print("| strategy | avg, all profiles | worst | avg, in a zone | worst, in a zone | time |")
    print("|---|---|---|---|---|---|")
    for name, picker in strategies(index):
        started = time.perf_counter()
        everyone = walk(picker, index.facts, {})
        in_zone = [walk(picker, index.facts, {"zone_level": zone}) for zone in ("national", "provincial")]
        zone_avg = sum(t.weighted for t in in_zone) / sum(t.profiles for t in in_zone)
        zone_worst = max(t.worst for t in in_zone)
        elapsed = time.perf_counter() - started
        assert everyone.profiles == total
        print(
            f"| {name} | {everyone.average:.3f} | {everyone.worst} | {zone_avg:.3f} | {zone_worst} | {elapsed:.1f} s |"
        )
    if sets:
        compare_on_random_sets(index, sets, seed=5)


if __name__ == "__main__":
    main(sys.argv[1:])
