"""Clauses and FAQ links follow their measure across document versions (DESIGN.md "Policy library").

A link written against one version of a document is carried to the newest version by the diff's
pairing: a renumbered measure takes its links along; a measure whose text changed keeps them marked
for review; a measure that disappeared withdraws them. Nothing attaches to whatever measure now has
the old number.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from policy_index.clauses import Clause, ClauseIndex
from policy_index.diff import Follow


@dataclass(frozen=True, slots=True)
class Moved:
    """Where a measure id now points, and whether that measure's text changed since the link was made."""

    measure_id: str
    changed: bool


class MeasureMoves:
    """Measure ids of older versions → the newest version, per document whose text changed."""

    def __init__(self, follows: Mapping[str, Mapping[int, Follow]] | None = None) -> None:
        self._follows = dict(follows or {})

    def move(self, measure_id: str) -> Moved | None:
        """Where `measure_id` went; None when its measure was removed."""
        document_id, _, number = measure_id.rpartition("#")
        table = self._follows.get(document_id)
        if table is None or not number.isdigit():
            return Moved(measure_id, False)
        target = table.get(int(number))
        if target is None:
            return None
        return Moved(f"{document_id}#{target.number}", target.changed)

    def __bool__(self) -> bool:
        return bool(self._follows)


def follow_clause(clause: Clause, moves: MeasureMoves) -> Clause | None:
    """The clause on its measure's newest number; None (withdrawn) where the measure disappeared."""
    moved = moves.move(clause.measure_id)
    if moved is None:
        return None
    return dataclasses.replace(clause, measure_id=moved.measure_id, needs_review=clause.needs_review or moved.changed)


def follow_clauses(index: ClauseIndex, moves: MeasureMoves) -> ClauseIndex:
    """The clause index with every clause on its measure's newest number; withdrawn where it disappeared."""
    if not moves:
        return index
    followed = (follow_clause(clause, moves) for clause in index.clauses)
    return dataclasses.replace(index, clauses=tuple(c for c in followed if c is not None))
