"""Training the confidence model from labelled question sets, and choosing its operating point.

A row is one labelled question the matcher would answer (an in-scope intent and a current top measure):
its features, and whether showing the top measure is right (the question is in scope and its top measure
is among the labelled measures). The operating point is chosen by leave-one-writer-out cross-validation:
for each writer, a model fitted on the other writers' questions gives probabilities for theirs, and the
threshold is the lowest at which no writer's confidently wrong share exceeds the target. The final model
is fitted on every row; only `fit_logistic` needs scikit-learn, imported when called (the matcher never
imports it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from faq import messages
from faq.confidence import ConfidenceModel
from faq.entries import IN_SCOPE_INTENTS
from faq.evaluate import LabelledQuestion, TooFewQuestions
from faq.features import FEATURE_NAMES, MONOTONE_FEATURES, Features
from faq.matcher import Matcher

SEED = 0
REGULARISATION = 1.0  # inverse L2 strength of the logistic regression, on standardised features
TARGET_WRONG = 0.02  # confidently wrong, share of in-scope questions
SAFETY = 0.005  # the operating point keeps every writer this far below the target
THRESHOLDS = tuple(round(0.30 + i / 100, 2) for i in range(70))  # 0.30 … 0.99


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled question as the matcher saw it."""

    set_name: str
    writer: str
    in_scope: bool  # labelled in scope (the denominator of answered and confidently wrong)
    gated: bool  # the matcher would consult the model: in-scope intent, a current top measure
    right: bool  # in scope and the top measure is among the labelled measures
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Figures:
    """Answered, confidently wrong and confident-and-right as shares of in-scope questions."""

    name: str
    in_scope: int
    answered: float
    wrong: float
    right: float
    confident_out_of_scope: int


def collect(matcher: Matcher, questions: Iterable[LabelledQuestion], *, set_name: str, writer: str) -> list[Row]:
    """The rows of one labelled set, matched by `matcher`."""
    rows = []
    for question in questions:
        result = matcher.match(question.q, limit=None)
        assert result.features is not None  # the matcher always computes them
        top = result.matches[0].measure_id if result.matches else None
        gated = result.intent in IN_SCOPE_INTENTS and top is not None and matcher.sources.is_current(top)
        right = question.in_scope and top is not None and top in question.measures
        rows.append(Row(set_name, writer, question.in_scope, gated, right, result.features.values))
    return rows


MIN_SCALE = 1e-5  # the weights file keeps six decimals


def _standardise(rows: Sequence[Row]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    columns = list(zip(*(r.values for r in rows), strict=True))
    means = tuple(sum(c) / len(c) for c in columns)
    deviations = (math.sqrt(sum((x - m) ** 2 for x in c) / len(c)) for c, m in zip(columns, means, strict=True))
    # A feature (nearly) constant in the rows is left unscaled: its stored scale must stay positive when rounded.
    scales = tuple(d if d >= MIN_SCALE else 1.0 for d in deviations)
    return means, scales


def _writer_weights(rows: Sequence[Row]) -> list[float]:
    """Sample weights giving every writer the same total weight (one voice must not outvote the others)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.writer] = counts.get(row.writer, 0) + 1
    return [len(rows) / (len(counts) * counts[row.writer]) for row in rows]


def fit_logistic(rows: Sequence[Row], *, threshold: float = 0.5) -> ConfidenceModel:
    """A logistic regression on the gated rows; a monotone feature that comes out negative is dropped and refitted."""
    from sklearn.linear_model import LogisticRegression  # training only: the runtime never imports sklearn

    gated = [r for r in rows if r.gated]
    if len({r.right for r in gated}) < 2:
        raise TooFewQuestions(messages.TRAINING_NEEDS_RIGHT_AND_WRONG)
    means, scales = _standardise(gated)
    x = [[(v - m) / s for v, m, s in zip(r.values, means, scales, strict=True)] for r in gated]
    y = [int(r.right) for r in gated]
    sample_weight = _writer_weights(gated)
    active = list(range(len(FEATURE_NAMES)))
    while True:
        model = LogisticRegression(C=REGULARISATION, max_iter=5000, random_state=SEED)
        model.fit([[row[i] for i in active] for row in x], y, sample_weight=sample_weight)
        coefficients = dict(zip(active, (float(c) for c in model.coef_[0]), strict=True))
        negative = [i for i in active if FEATURE_NAMES[i] in MONOTONE_FEATURES and coefficients[i] < 0]
        if not negative:
            break
        active.remove(min(negative, key=lambda i: coefficients[i]))
    weights = tuple(round(coefficients.get(i, 0.0), 6) for i in range(len(FEATURE_NAMES)))
    return ConfidenceModel(
        names=FEATURE_NAMES,
        means=tuple(round(m, 6) for m in means),
        scales=tuple(round(s, 6) for s in scales),
        weights=weights,
        intercept=round(float(model.intercept_[0]), 6),
        threshold=threshold,
    )


def out_of_fold(rows: Sequence[Row]) -> list[float]:
    """Each row's probability from a model fitted on the other writers' rows (0 for rows not gated)."""
    probabilities = [0.0] * len(rows)
    for writer in sorted({r.writer for r in rows}):
        model = fit_logistic([r for r in rows if r.writer != writer])
        for i, row in enumerate(rows):
            if row.writer == writer and row.gated:
                probabilities[i] = model.probability(Features(row.values))
    return probabilities


def figures(name: str, rows: Sequence[Row], probabilities: Sequence[float], threshold: float) -> Figures:
    """The figures of `rows` when answers at or above `threshold` are confident."""
    confident = [r.gated and p >= threshold for r, p in zip(rows, probabilities, strict=True)]
    scoped = [(r, c) for r, c in zip(rows, confident, strict=True) if r.in_scope]
    total = len(scoped)

    def share(count: int) -> float:
        return round(count / total, 4) if total else 0.0

    return Figures(
        name=name,
        in_scope=total,
        answered=share(sum(c for _, c in scoped)),
        wrong=share(sum(c and not r.right for r, c in scoped)),
        right=share(sum(c and r.right for r, c in scoped)),
        confident_out_of_scope=sum(c for r, c in zip(rows, confident, strict=True) if not r.in_scope),
    )


def choose_threshold(rows: Sequence[Row], probabilities: Sequence[float], *, target: float = TARGET_WRONG) -> float:
    """The lowest threshold at which every writer stays `SAFETY` below `target` confidently wrong."""
    writers = sorted({r.writer for r in rows})
    for threshold in THRESHOLDS:
        worst = max(figures(w, *_of_writer(rows, probabilities, w), threshold).wrong for w in writers)
        if worst <= target - SAFETY:
            return threshold
    return THRESHOLDS[-1]


def _of_writer(rows: Sequence[Row], probabilities: Sequence[float], writer: str) -> tuple[list[Row], list[float]]:
    pairs = [(r, p) for r, p in zip(rows, probabilities, strict=True) if r.writer == writer]
    return [r for r, _ in pairs], [p for _, p in pairs]
