"""The learned confidence model: a logistic regression over `faq.features`, applied as a dot product.

The weights file (`faq/data/confidence.json`, written by `zonedesk train-confidence`) holds the feature
names, the standardisation (mean and scale per feature), the weights, the intercept, the operating
point (`threshold` on the probability, chosen by leave-one-writer-out cross-validation) and where the
model came from. Inference needs no learning library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from faq.features import FEATURE_NAMES, Features


class InvalidConfidenceModel(ValueError):
    """A weights file that does not fit the features the matcher computes."""


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """Standardised logistic regression plus the probability above which an answer is confident."""

    names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.names != FEATURE_NAMES:
            raise InvalidConfidenceModel(f"features {list(self.names)} are not {list(FEATURE_NAMES)}")
        size = len(self.names)
        if not len(self.means) == len(self.scales) == len(self.weights) == size:
            raise InvalidConfidenceModel("means, scales and weights must have one value per feature")
        if any(s <= 0 for s in self.scales):
            raise InvalidConfidenceModel("scales must be positive")
        if not 0.0 < self.threshold < 1.0:
            raise InvalidConfidenceModel("threshold must lie strictly between 0 and 1")

    @classmethod
    def untrained(cls) -> ConfidenceModel:
        """A model with no weights (probability 0.5 everywhere): training matches with it to collect features."""
        size = len(FEATURE_NAMES)
        return cls(FEATURE_NAMES, (0.0,) * size, (1.0,) * size, (0.0,) * size, 0.0, 0.5, {"untrained": True})

    def probability(self, features: Features) -> float:
        """The probability that the top measure is the right answer."""
        z = self.intercept + sum(
            w * (x - m) / s for x, m, s, w in zip(features.values, self.means, self.scales, self.weights, strict=True)
        )
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def decide(self, features: Features) -> bool:
        """Whether the answer may be shown as confident (probability at or above the operating point)."""
        return self.probability(features) >= self.threshold

    def to_json(self) -> dict[str, object]:
        """The weights file's JSON."""
        return {
            "features": [
                {"name": n, "mean": m, "scale": s, "weight": w}
                for n, m, s, w in zip(self.names, self.means, self.scales, self.weights, strict=True)
            ],
            "intercept": self.intercept,
            "threshold": self.threshold,
            "provenance": dict(self.provenance),
        }


def _floats(rows: Sequence[Mapping[str, Any]], key: str) -> tuple[float, ...]:
    return tuple(float(row[key]) for row in rows)


def model_from_json(data: Mapping[str, Any]) -> ConfidenceModel:
    """A model from the weights file's JSON; `InvalidConfidenceModel` when it does not fit."""
    try:
        rows = data["features"]
        return ConfidenceModel(
            names=tuple(str(row["name"]) for row in rows),
            means=_floats(rows, "mean"),
            scales=_floats(rows, "scale"),
            weights=_floats(rows, "weight"),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            provenance=dict(data.get("provenance") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidConfidenceModel):
            raise
        raise InvalidConfidenceModel(f"not a confidence weights file: {exc!r}") from exc
