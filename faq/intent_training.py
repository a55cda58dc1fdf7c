"""Training the intent and service-category models, and choosing the out-of-scope operating point.

A row is one labelled question: the features the matcher's intent classifier computed for it, its kind and,
for a service question, its category. Figures are out of fold, writer by writer: a model fitted on the
other writers' questions classifies each writer's questions (leave one writer out). The out-of-scope
operating point is the probability at which the worst writer's lower of out-of-scope precision and recall
is highest. Every writer gets the same total sample weight. Only `fit_models` needs scikit-learn,
imported when called (the matcher never imports it).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from common.ask import Intent
from faq import messages
from faq.entries import Category
from faq.evaluate import LabelledQuestion, TooFewQuestions
from faq.intent import IntentThresholds
from faq.intent_model import IntentModel, LinearClassifier
from faq.matcher import Matcher

SEED = 0
REGULARISATION = 0.3  # inverse L2 strength of the intent model (chosen on the leave-one-writer-out figures)
CATEGORY_REGULARISATION = 1.0  # and of the category model
MIN_COUNT = 2  # a feature seen in fewer training rows gets no weight
DECIMALS = 3  # weights kept in the file
PRUNE = 0.05  # a feature whose weights all stay below this is left out of the file
THRESHOLDS = tuple(round(0.30 + i / 20, 2) for i in range(11))  # 0.30 … 0.80

# Only its decision rule is used: the probabilities come from the fold's models.
_BLANK = LinearClassifier(("policy", "out_of_scope"), (0.0, 0.0), {})
_DECIDER = IntentModel(_BLANK, LinearClassifier(("other", "housing"), (0.0, 0.0), {}))


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled question as the intent classifier saw it."""

    set_name: str
    writer: str
    kind: Intent
    category: Category | None
    features: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a model said about a row: intent probabilities and the category it would suggest."""

    probabilities: Mapping[Intent, float]
    category: Category


@dataclass(frozen=True, slots=True)
class Figures:
    """Intent accuracy, service-category accuracy, out-of-scope precision and recall, in-scope refused."""

    name: str
    questions: int
    intent: float
    category: float
    oos_precision: float
    oos_recall: float
    refused: int  # in-scope questions called out of scope


def collect(matcher: Matcher, questions: Iterable[LabelledQuestion], *, set_name: str, writer: str) -> list[Row]:
    """The rows of one labelled set, classified by `matcher`."""
    rows = []
    for question in questions:
        result = matcher.match(question.q, limit=None)
        category = Category(question.category) if question.kind == Intent.SERVICE and question.category else None
        rows.append(Row(set_name, writer, Intent(question.kind), category, dict(result.intent_features)))
    return rows


def _writer_weights(rows: Sequence[Row]) -> list[float]:
    """Sample weights giving every writer the same total weight (one voice must not outvote the others)."""
    counts = Counter(row.writer for row in rows)
    return [len(rows) / (len(counts) * counts[row.writer]) for row in rows]


def _fit(rows: Sequence[Row], labels: Sequence[str], *, regularisation: float) -> LinearClassifier:
    from sklearn.feature_extraction import DictVectorizer  # training only: the runtime never imports sklearn
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for row in rows for name in row.features)
    data = [{k: v for k, v in row.features.items() if counts[k] >= MIN_COUNT} for row in rows]
    vectoriser = DictVectorizer(sort=True)
    x = vectoriser.fit_transform(data)
    model = LogisticRegression(C=regularisation, max_iter=5000, random_state=SEED)
    model.fit(x, list(labels), sample_weight=_writer_weights(rows))
    classes = tuple(str(c) for c in model.classes_)
    coefficients = model.coef_ if len(classes) > 2 else [[0.0] * x.shape[1], list(model.coef_[0])]
    intercepts = model.intercept_ if len(classes) > 2 else [0.0, float(model.intercept_[0])]
    weights: dict[str, tuple[float, ...]] = {}
    for column, name in enumerate(vectoriser.get_feature_names_out()):
        row = tuple(round(float(c[column]), DECIMALS) for c in coefficients)
        if max(abs(w) for w in row) >= PRUNE:
            weights[str(name)] = row
    return LinearClassifier(classes, tuple(round(float(b), DECIMALS) for b in intercepts), weights)


def fit_models(rows: Sequence[Row], *, out_of_scope_threshold: float = 0.5) -> IntentModel:
    """The intent model on every row and the category model on the service rows with a category."""
    service = [r for r in rows if r.category is not None]
    if len({r.kind for r in rows}) < 2 or len({r.category for r in service}) < 2:
        raise TooFewQuestions(messages.TRAINING_NEEDS_CLASSES)
    return IntentModel(
        intent=_fit(rows, [r.kind.value for r in rows], regularisation=REGULARISATION),
        category=_fit(
            service,
            [r.category.value for r in service if r.category is not None],
            regularisation=CATEGORY_REGULARISATION,
        ),
        out_of_scope_threshold=out_of_scope_threshold,
    )


def predict(model: IntentModel, row: Row) -> Prediction:
    """The model's intent probabilities and category for a row."""
    return Prediction(model.intents(row.features), model.best_category(row.features))


def out_of_fold(rows: Sequence[Row]) -> list[Prediction]:
    """Each row's prediction by models fitted on the other writers' rows."""
    predictions: list[Prediction | None] = [None] * len(rows)
    for writer in sorted({r.writer for r in rows}):
        model = fit_models([r for r in rows if r.writer != writer])
        for i, row in enumerate(rows):
            if row.writer == writer:
                predictions[i] = predict(model, row)
    return [p for p in predictions if p is not None]


def decide(row: Row, prediction: Prediction, threshold: float) -> Intent:
    """The intent the matcher would give at an out-of-scope operating point."""
    model = dataclasses.replace(_DECIDER, out_of_scope_threshold=threshold)
    return model.decide(prediction.probabilities, row.features, strong_evidence=IntentThresholds().strong_evidence)


def figures(name: str, rows: Sequence[Row], predictions: Sequence[Prediction], threshold: float) -> Figures:
    """The figures of `rows` at an out-of-scope operating point (as `zonedesk eval` counts them)."""
    intents = [decide(r, p, threshold) for r, p in zip(rows, predictions, strict=True)]
    pairs = list(zip(rows, intents, predictions, strict=True))
    service = [(r, i, p) for r, i, p in pairs if r.kind is Intent.SERVICE]
    called = [r for r, i, _ in pairs if i is Intent.OUT_OF_SCOPE]
    labelled = [i for r, i, _ in pairs if r.kind is Intent.OUT_OF_SCOPE]

    def share(count: int, total: int) -> float:
        return round(count / total, 4) if total else 0.0

    return Figures(
        name=name,
        questions=len(rows),
        intent=share(sum(r.kind is i for r, i, _ in pairs), len(pairs)),
        category=share(sum(i is Intent.SERVICE and p.category is r.category for r, i, p in service), len(service)),
        oos_precision=share(sum(r.kind is Intent.OUT_OF_SCOPE for r in called), len(called)),
        oos_recall=share(sum(i is Intent.OUT_OF_SCOPE for i in labelled), len(labelled)),
        refused=sum(
            1
            for r, i, _ in pairs
            if i is Intent.OUT_OF_SCOPE and r.kind in (Intent.POLICY, Intent.ELIGIBILITY, Intent.SERVICE)
        ),
    )


def _writer(row: Row) -> str:
    return row.writer


def _set_name(row: Row) -> str:
    return row.set_name


def _group(
    rows: Sequence[Row], predictions: Sequence[Prediction], key: Callable[[Row], str], value: str
) -> tuple[list[Row], list[Prediction]]:
    pairs = [(r, p) for r, p in zip(rows, predictions, strict=True) if key(r) == value]
    return [r for r, _ in pairs], [p for _, p in pairs]


def by_writer(rows: Sequence[Row], predictions: Sequence[Prediction], threshold: float) -> list[Figures]:
    """The figures of each writer, then of each set."""
    return [
        figures(f"{label}:{value}", *_group(rows, predictions, key, value), threshold)
        for label, key in (("writer", _writer), ("set", _set_name))
        for value in dict.fromkeys(key(r) for r in rows)
    ]


def choose_threshold(rows: Sequence[Row], predictions: Sequence[Prediction]) -> float:
    """The out-of-scope operating point at which the worst writer's min(precision, recall) is highest."""
    groups = [_group(rows, predictions, _writer, w) for w in sorted({r.writer for r in rows})]

    def worst(threshold: float) -> float:
        table = [figures("", group_rows, group_predictions, threshold) for group_rows, group_predictions in groups]
        return min(min(f.oos_precision, f.oos_recall) for f in table)

    return max(THRESHOLDS, key=lambda t: (worst(t), -abs(t - 0.5)))


def untrained() -> IntentModel:
    """A model that weighs nothing: features are collected with it, and they never depend on a model."""
    return _DECIDER
