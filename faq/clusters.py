"""Group similar unanswered questions so admins see each topic once, with how often it was asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

SIMILARITY_CUTOFF = 60.0  # rapidfuzz token-set ratio over characters; same-topic rewordings score 60-90


@dataclass(frozen=True, slots=True)
class Asked:
    """A question text and how many times it was asked."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class Cluster:
    """Similar questions; `text` is the most asked one, `count` the total."""

    text: str
    count: int
    questions: tuple[Asked, ...]


def _chars(text: str) -> str:
    # Chinese has no spaces: compare the characters as tokens so word order matters less.
    return " ".join(ch for ch in text if not ch.isspace() and ch not in "？?！!。，,、")


def cluster_questions(asked: Sequence[Asked], *, cutoff: float = SIMILARITY_CUTOFF) -> list[Cluster]:
    """Greedy clustering: most asked first, each question joins the first cluster it is similar to."""
    groups: list[list[Asked]] = []
    keys: list[str] = []
    for item in sorted(asked, key=lambda a: (-a.count, a.text)):
        key = _chars(item.text)
        best, best_score = -1, cutoff
        for i, other in enumerate(keys):
            score = fuzz.token_set_ratio(key, other, score_cutoff=best_score)
            if score >= best_score and score > 0:
                best, best_score = i, score
        if best < 0:
            groups.append([item])
            keys.append(key)
        else:
            groups[best].append(item)
    clusters = [Cluster(g[0].text, sum(a.count for a in g), tuple(g)) for g in groups]
    return sorted(clusters, key=lambda c: (-c.count, c.text))
