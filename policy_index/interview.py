"""The guided interview: which missing fact to ask next so that few questions settle every clause."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from statistics import fmean

from policy_index.clauses import Clause
from policy_index.facts import Fact, FactCatalogue, FactValue, Profile

# How good it is to ask `fact` now, given the open clauses; higher is better.
Score = Callable[[Fact, Sequence[Clause], Profile], float]


def open_clauses(profile: Profile, clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses the profile does not decide yet."""
    return [clause for clause in clauses if clause.condition.evaluate(profile) is None]


def settled_by_answer(fact: Fact, value: FactValue, open_: Sequence[Clause], profile: Profile) -> int:
    """How many open clauses the answer `fact = value` would decide."""
    answered = {**profile, fact.name: value}
    return sum(1 for clause in open_ if clause.condition.evaluate(answered) is not None)


def _settled(fact: Fact, open_: Sequence[Clause], profile: Profile) -> list[int]:
    return [settled_by_answer(fact, option.value, open_, profile) for option in fact.options] or [0]


def score_mean_settled(fact: Fact, open_: Sequence[Clause], profile: Profile) -> float:
    """Open clauses decided by the answer, averaged over the fact's options (the default)."""
    return fmean(_settled(fact, open_, profile))


def score_min_settled(fact: Fact, open_: Sequence[Clause], profile: Profile) -> float:
    """Open clauses decided by the answer, in the worst case over the fact's options."""
    return min(_settled(fact, open_, profile))


def score_max_settled(fact: Fact, open_: Sequence[Clause], profile: Profile) -> float:
    """Open clauses decided by the answer, in the best case over the fact's options."""
    return max(_settled(fact, open_, profile))


def score_mentions(fact: Fact, open_: Sequence[Clause], profile: Profile) -> float:  # noqa: ARG001
    """Open clauses whose condition reads the fact (the profile does not matter)."""
    return sum(1 for clause in open_ if fact.name in clause.fact_names)


def next_question(
    profile: Profile,
    clauses: Sequence[Clause],
    facts: FactCatalogue,
    *,
    score: Score = score_mean_settled,
    skipped: Collection[str] = (),
) -> Fact | None:
    """The missing fact that settles the most open clauses (ties by fact order), never a `skipped` one;
    None when no open clause has a fact left to ask."""
    open_ = open_clauses(profile, clauses)
    candidates = {name for clause in open_ for name in clause.fact_names if name not in profile and name not in skipped}
    if not candidates:
        return None
    return max(
        (facts[name] for name in candidates),
        key=lambda fact: (score(fact, open_, profile), -facts.order(fact.name)),
    )


def question_to_json(fact: Fact) -> dict[str, object]:
    """The JSON form of a question: the fact, its Chinese question and options (English beside)."""
    return {
        "fact": fact.name,
        "question": fact.question.zh,
        "question_en": fact.question.en,
        "label": fact.label.zh,
        "help": fact.help.zh,
        "type": fact.type.value,
        "unit": fact.unit,
        "options": [{"value": o.value, "label": o.label.zh, "label_en": o.label.en} for o in fact.options],
    }
