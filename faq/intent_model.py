"""The learned intent and service-category models: multinomial logistic regressions over sparse features.

The weights file (`faq/data/intent.json`, written by `zonedesk train-intent`) holds, per model, its
classes, one intercept per class and, per feature name, one weight per class (features the training
never saw weigh nothing). A prediction is a sparse dot product and a softmax: no learning library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from common.ask import Intent
from faq.entries import Category

ELSEWHERE = "cue:elsewhere"  # the question is about a place no document of the library is for or speaks of
TOP_SCORE = "r:top"  # the best measure's score


class InvalidIntentModel(ValueError):
    """A weights file whose classes or weights do not fit the intents and categories."""


@dataclass(frozen=True, slots=True)
class LinearClassifier:
    """A multinomial logistic regression: `weights[feature][k]` is the feature's weight for `classes[k]`."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def __post_init__(self) -> None:
        size = len(self.classes)
        if size < 2 or len(set(self.classes)) != size:
            raise InvalidIntentModel("a classifier needs two distinct classes at least")
        if len(self.intercepts) != size or any(len(w) != size for w in self.weights.values()):
            raise InvalidIntentModel("intercepts and weights must have one value per class")

    def scores(self, features: Mapping[str, float]) -> tuple[float, ...]:
        """The linear score of each class."""
        rows = [
            row if value == 1.0 else tuple(w * value for w in row)
            for name, value in features.items()
            if value and (row := self.weights.get(name)) is not None
        ]
        return tuple(sum(column) for column in zip(self.intercepts, *rows, strict=True))

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Class → probability (softmax of the scores)."""
        scores = self.scores(features)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def to_json(self) -> dict[str, object]:
        """The classifier's part of the weights file."""
        return {
            "classes": list(self.classes),
            "intercepts": list(self.intercepts),
            "weights": {name: list(row) for name, row in sorted(self.weights.items())},
        }


@dataclass(frozen=True, slots=True)
class IntentModel:
    """The intent classifier and the service-category classifier, with where they came from."""

    intent: LinearClassifier
    category: LinearClassifier
    out_of_scope_threshold: float = 0.5  # the probability from which a question is out of scope
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not set(self.intent.classes) <= {i.value for i in Intent}:
            raise InvalidIntentModel(f"intent classes {list(self.intent.classes)} are not all intents")
        if not set(self.category.classes) <= {c.value for c in Category}:
            raise InvalidIntentModel(f"category classes {list(self.category.classes)} are not all categories")
        if not 0.0 < self.out_of_scope_threshold < 1.0:
            raise InvalidIntentModel("the out-of-scope threshold must lie strictly between 0 and 1")

    def intents(self, features: Mapping[str, float]) -> dict[Intent, float]:
        """Intent → probability."""
        return {Intent(c): p for c, p in self.intent.probabilities(features).items()}

    def decide(
        self, probabilities: Mapping[Intent, float], features: Mapping[str, float], *, strong_evidence: float
    ) -> Intent:
        """The intent: out of scope when its probability reaches the operating point or the question is about a
        place no document is for, unless the best measure scores `strong_evidence` or more; else the likeliest."""
        refuse = probabilities.get(Intent.OUT_OF_SCOPE, 0.0) >= self.out_of_scope_threshold
        if (refuse or features.get(ELSEWHERE)) and features.get(TOP_SCORE, 0.0) < strong_evidence:
            return Intent.OUT_OF_SCOPE
        return max(
            (i for i in probabilities if i is not Intent.OUT_OF_SCOPE), key=lambda i: (probabilities[i], i.value)
        )

    def best_category(self, features: Mapping[str, float]) -> Category:
        """The most probable service category."""
        scores = self.category.scores(features)
        return Category(self.category.classes[scores.index(max(scores))])

    def to_json(self) -> dict[str, object]:
        """The weights file's JSON."""
        return {
            "intent": self.intent.to_json(),
            "category": self.category.to_json(),
            "out_of_scope_threshold": self.out_of_scope_threshold,
            "provenance": dict(self.provenance),
        }


def _classifier(data: Mapping[str, Any]) -> LinearClassifier:
    weights: Mapping[str, Sequence[float]] = data["weights"]
    return LinearClassifier(
        classes=tuple(str(c) for c in data["classes"]),
        intercepts=tuple(float(b) for b in data["intercepts"]),
        weights={str(name): tuple(float(w) for w in row) for name, row in weights.items()},
    )


def intent_model_from_json(data: Mapping[str, Any]) -> IntentModel:
    """A model from the weights file's JSON; `InvalidIntentModel` when it does not fit."""
    try:
        return IntentModel(
            intent=_classifier(data["intent"]),
            category=_classifier(data["category"]),
            out_of_scope_threshold=float(data["out_of_scope_threshold"]),
            provenance=dict(data.get("provenance") or {}),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, InvalidIntentModel):
            raise
        raise InvalidIntentModel(f"not an intent weights file: {exc!r}") from exc
