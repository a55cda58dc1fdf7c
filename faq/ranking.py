"""The learned re-ranker: the best measures of the first ranking re-ordered by a linear score of their features.

The weights file (`faq/data/ranking.json`, written by `zonedesk train-ranking`) holds the candidate
feature names (`faq.candidates.CANDIDATE_FEATURES`), a scale per feature, the weights, how many of the
first ranking's hits are re-ordered (`depth`) and where the model came from. The weights come from a
logistic regression on pairs of candidates of one question (the right measure against each other), so a
candidate's score is a dot product and needs no learning library. Only current measures move: a measure
of a document no longer current keeps its place. Scores stay descending: the i-th hit after re-ranking
carries the i-th best score of the first ranking, the evidence level of its rank.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from faq.candidates import CANDIDATE_FEATURES, Row
from faq.retrieve import MeasureHit

T = TypeVar("T")
_TITLE = CANDIDATE_FEATURES.index("title_similarity")
DEPTH = 10  # hits of the first ranking re-ordered: the right measure is among them for about 99 % of questions
# Scores are pairwise log-odds: a candidate the model prefers to the best with odds under 55:45 answers about
# as well, and then the more specific document (in force before a draft) goes first.
TIE = math.log(0.55 / 0.45)


class InvalidRankingModel(ValueError):
    """A weights file that does not fit the candidate features the matcher computes."""


@dataclass(frozen=True, slots=True)
class Reranked:
    """The hits re-ordered, and by how much the re-ranker prefers the first over the second."""

    hits: tuple[MeasureHit, ...]  # scores descending: the i-th carries the i-th best score of the first ranking
    own: tuple[MeasureHit, ...]  # the same order, each with its own score (what the confidence model weighs)
    margin: float = 0.0
    promoted: bool = False  # whether the first hit is not the first ranking's
    title_echo: float = 0.0  # how much closer the question is to the first hit's title than to any other's
    other_title_echo: float = 0.0  # how close it is to the closest other candidate's title


@dataclass(frozen=True, slots=True)
class RankingModel:
    """Linear candidate scores over scaled features."""

    names: tuple[str, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    depth: int = DEPTH
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.names != CANDIDATE_FEATURES:
            raise InvalidRankingModel(f"features {list(self.names)} are not {list(CANDIDATE_FEATURES)}")
        if not len(self.scales) == len(self.weights) == len(self.names):
            raise InvalidRankingModel("scales and weights must have one value per feature")
        if any(s <= 0 for s in self.scales):
            raise InvalidRankingModel("scales must be positive")
        if self.depth < 1:
            raise InvalidRankingModel("depth must be at least 1")

    @classmethod
    def untrained(cls, depth: int = DEPTH) -> RankingModel:
        """A model with no weights: it keeps the first ranking (training collects features with it)."""
        size = len(CANDIDATE_FEATURES)
        return cls(CANDIDATE_FEATURES, (1.0,) * size, (0.0,) * size, depth, {"untrained": True})

    def score(self, row: Row) -> float:
        """A candidate's score: higher ranks first."""
        return sum(w * x / s for x, s, w in zip(row, self.scales, self.weights, strict=True))

    def rerank(
        self,
        hits: tuple[MeasureHit, ...],
        features: Callable[[Sequence[MeasureHit]], list[Row]],
        *,
        current: Callable[[str], bool],
        preference: Callable[[str], tuple[int, int]],
    ) -> Reranked:
        """The first `depth` hits re-ordered by score (`features` gives their rows); current measures only move.

        `preference` gives a measure's document's specificity and whether it is in force (see `reorder`).
        """
        head = hits[: self.depth]
        movable = movable_slots([h.measure_id for h in head], current)
        if len(movable) < 2 or not any(self.weights):
            return Reranked(hits, hits)
        coefficients = [w / s for w, s in zip(self.weights, self.scales, strict=True)]
        rows = features([head[i] for i in movable])
        scores = [sum(map(operator.mul, row, coefficients)) for row in rows]
        placed = reorder(head, movable, scores, [preference(head[i].measure_id) for i in movable])
        values = sorted((h.score for h in head), reverse=True)
        ranked = tuple(MeasureHit(h.measure_id, v, h.faq_id) for h, v in zip(placed, values, strict=True))
        first, second = sorted(scores, reverse=True)[:2]
        # A question that echoes another candidate's title (绩效奖励) more than the first's is a doubtful answer.
        echoes = {head[i].measure_id: row[_TITLE] for i, row in zip(movable, rows, strict=True)}
        top_echo = echoes.pop(placed[0].measure_id, 0.0)
        other_echo = max(echoes.values(), default=0.0)
        tail = hits[self.depth :]
        return Reranked(
            (*ranked, *tail),
            (*placed, *tail),
            round(first - second, 4),
            placed[0] is not head[0],
            round(top_echo - other_echo, 4),
            round(other_echo, 4),
        )

    def to_json(self) -> dict[str, object]:
        """The weights file's JSON."""
        return {
            "features": [
                {"name": n, "scale": s, "weight": w}
                for n, s, w in zip(self.names, self.scales, self.weights, strict=True)
            ],
            "depth": self.depth,
            "provenance": dict(self.provenance),
        }


def movable_slots(measure_ids: Sequence[str], current: Callable[[str], bool]) -> list[int]:
    """The positions the re-ranker may re-order: those of current measures."""
    return [i for i, measure_id in enumerate(measure_ids) if current(measure_id)]


def reorder(
    items: Sequence[T],
    slots: Sequence[int],
    scores: Sequence[float],
    preferences: Sequence[tuple[int, int]] | None = None,
) -> list[T]:
    """`items` with those at `slots` re-ordered by `scores` (one per slot, higher first; ties keep their order).

    With `preferences` (one per slot: the document's specificity, whether it is in force), the most preferred
    of the slots scoring within `TIE` of the best goes first: evidence first, then the more specific document.
    """
    order = sorted(range(len(slots)), key=lambda k: -scores[k])
    if preferences is not None and order:
        best = scores[order[0]]
        close = [k for k in order if scores[k] >= best - TIE]
        chosen = max(close, key=lambda k: (preferences[k], scores[k]))
        order = [chosen, *(k for k in order if k != chosen)]
    placed = list(items)
    for slot, k in zip(slots, order, strict=True):
        placed[slot] = items[slots[k]]
    return placed


def ranking_from_json(data: Mapping[str, Any]) -> RankingModel:
    """A model from the weights file's JSON; `InvalidRankingModel` when it does not fit."""
    try:
        rows = data["features"]
        return RankingModel(
            names=tuple(str(row["name"]) for row in rows),
            scales=tuple(float(row["scale"]) for row in rows),
            weights=tuple(float(row["weight"]) for row in rows),
            depth=int(data["depth"]),
            provenance=dict(data.get("provenance") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidRankingModel):
            raise
        raise InvalidRankingModel(f"not a ranking weights file: {exc!r}") from exc
