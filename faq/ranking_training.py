"""Training the re-ranker from labelled question sets, and its out-of-fold figures.

A case is one labelled in-scope question: the first ranking the matcher gives it, the feature rows of the
candidates the re-ranker may re-order, and the answering measure (the first labelled one). The weights
are a logistic regression without intercept on pairs of one question's candidates (the answering measure's
row minus another's, and the reverse), each question weighing the same and each writer the same in total,
so that no voice outvotes the others. Figures are out of fold: each writer's questions ranked by a model
fitted on the other writers' questions. Only `fit_ranking` needs scikit-learn, imported when called.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq import messages
from faq.candidates import CANDIDATE_FEATURES, MONOTONE_CANDIDATE_FEATURES, Row
from faq.evaluate import LabelledQuestion, TooFewQuestions
from faq.matcher import Matcher
from faq.ranking import DEPTH, RankingModel, reorder

SEED = 0
REGULARISATION = 0.3  # inverse L2 strength of the logistic regression, on scaled pair differences
MIN_SCALE = 1e-5  # a feature (nearly) constant over the pairs keeps scale 1, so its stored scale stays positive


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled in-scope question as the matcher's first ranking saw it."""

    set_name: str
    writer: str
    answer: str  # the answering measure
    measure_ids: tuple[str, ...]  # the first ranking
    slots: tuple[int, ...]  # positions the re-ranker may re-order
    rows: tuple[Row, ...]  # one per slot
    preferences: tuple[tuple[int, int], ...]  # one per slot: its document's specificity, whether in force
    curated: str | None  # the measure an FAQ entry's own wording puts first


@dataclass(frozen=True, slots=True)
class RankFigures:
    """Top-1, top-3 and MRR of the answering measure over a group of cases."""

    name: str
    questions: int
    top1: float
    top3: float
    mrr: float


def collect_cases(matcher: Matcher, questions: Iterable[LabelledQuestion], *, set_name: str, writer: str) -> list[Case]:
    """The cases of one labelled set (in-scope questions only)."""
    cases = []
    for question in questions:
        if not question.in_scope:
            continue
        found = matcher.candidates_of(question.q)
        cases.append(
            Case(
                set_name,
                writer,
                question.measures[0],
                found.measure_ids,
                found.slots,
                found.rows,
                found.preferences,
                found.curated,
            )
        )
    return cases


def _pairs(cases: Sequence[Case]) -> tuple[list[list[float]], list[int], list[float]]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.writer] = counts.get(case.writer, 0) + 1
    x: list[list[float]] = []
    y: list[int] = []
    weights: list[float] = []
    for case in cases:
        ids = [case.measure_ids[i] for i in case.slots]
        if case.answer not in ids or len(ids) < 2:
            continue
        right = case.rows[ids.index(case.answer)]
        weight = 1.0 / (counts[case.writer] * (len(ids) - 1))
        for measure_id, row in zip(ids, case.rows, strict=True):
            if measure_id == case.answer:
                continue
            difference = [a - b for a, b in zip(right, row, strict=True)]
            x += [difference, [-d for d in difference]]
            y += [1, 0]
            weights += [weight, weight]
    return x, y, weights


def fit_ranking(cases: Sequence[Case], *, depth: int = DEPTH) -> RankingModel:
    """A re-ranker fitted on the cases' candidate pairs."""
    from sklearn.linear_model import LogisticRegression  # training only: the runtime never imports sklearn

    x, y, weights = _pairs(cases)
    if not x:
        raise TooFewQuestions(messages.TRAINING_NEEDS_CANDIDATES)
    columns = list(zip(*x, strict=True))
    deviations = (math.sqrt(sum(v * v for v in c) / len(c)) for c in columns)  # pair differences are centred
    scales = tuple(round(d, 6) if d >= MIN_SCALE else 1.0 for d in deviations)
    scaled = [[v / s for v, s in zip(row, scales, strict=True)] for row in x]
    total = sum(weights)
    sample_weight = [w * len(weights) / total for w in weights]
    active = list(range(len(CANDIDATE_FEATURES)))
    while True:
        model = LogisticRegression(C=REGULARISATION, fit_intercept=False, max_iter=5000, random_state=SEED)
        model.fit([[row[i] for i in active] for row in scaled], y, sample_weight=sample_weight)
        fitted = dict(zip(active, (float(c) for c in model.coef_[0]), strict=True))
        negative = [i for i in active if CANDIDATE_FEATURES[i] in MONOTONE_CANDIDATE_FEATURES and fitted[i] < 0]
        if not negative:
            break
        active.remove(min(negative, key=lambda i: fitted[i]))
    coefficients = tuple(round(fitted.get(i, 0.0), 6) for i in range(len(CANDIDATE_FEATURES)))
    return RankingModel(CANDIDATE_FEATURES, scales, coefficients, depth)


def final_order(case: Case, model: RankingModel | None) -> list[str]:
    """The measure ids as the matcher would rank them with `model` (None: the first ranking)."""
    ids = list(case.measure_ids)
    if model is not None and len(case.slots) >= 2:
        ids = reorder(ids, case.slots, [model.score(row) for row in case.rows], case.preferences)
    if case.curated is not None:
        ids = [case.curated, *(i for i in ids if i != case.curated)]
    return ids


def out_of_fold(cases: Sequence[Case]) -> list[list[str]]:
    """Each case's final order under a model fitted on the other writers' cases."""
    orders: list[list[str]] = [[] for _ in cases]
    for writer in sorted({c.writer for c in cases}):
        model = fit_ranking([c for c in cases if c.writer != writer])
        for i, case in enumerate(cases):
            if case.writer == writer:
                orders[i] = final_order(case, model)
    return orders


def rank_figures(name: str, cases: Sequence[Case], orders: Sequence[Sequence[str]]) -> RankFigures:
    """Top-1, top-3 and MRR of the answering measures in `orders` (one per case)."""
    ranks = [list(o).index(c.answer) + 1 if c.answer in o else None for c, o in zip(cases, orders, strict=True)]
    count = len(ranks)

    def share(hits: int) -> float:
        return round(hits / count, 4) if count else 0.0

    return RankFigures(
        name,
        count,
        share(sum(r == 1 for r in ranks)),
        share(sum(r is not None and r <= 3 for r in ranks)),
        round(sum(1 / r for r in ranks if r) / count, 4) if count else 0.0,
    )
