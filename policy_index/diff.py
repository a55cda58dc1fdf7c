"""What changed between two versions of a document: measures paired by title, so renumbering is no change.

Pairing: first measures with the same title (whitespace aside); then, among the rest, the most similar
title-and-body pairs above `PAIR_THRESHOLD` (an amended measure keeps its identity when its title is
reworded). Unpaired old measures are removed, unpaired new ones added. Clauses and FAQ entries follow
their measure through the pairing (`follow`), never whatever measure now has the old number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from policy_index.document import Document, Measure

PAIR_THRESHOLD = 0.6  # similarity of title + body below which two measures are not the same measure


class ChangedField(StrEnum):
    """A field of a measure that differs between versions."""

    TITLE = "title"
    BODY = "body"
    LEAD_UNITS = "lead_units"
    PARTICIPATING_UNITS = "participating_units"


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """A measure present in both versions whose content changed."""

    before: Measure
    after: Measure
    fields: tuple[ChangedField, ...]


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    """Added, removed and changed measures, and every pairing (old number → new number)."""

    added: tuple[Measure, ...]
    removed: tuple[Measure, ...]
    changed: tuple[MeasureChange, ...]
    pairs: tuple[tuple[Measure, Measure], ...]

    def to_json(self) -> dict[str, object]:
        """The JSON of `GET /documents/{id}/diff` (DESIGN.md), with each change's text before and after."""
        return {
            "added": [{"number": m.number, "label": m.label, "title": m.title} for m in self.added],
            "removed": [{"number": m.number, "label": m.label, "title": m.title} for m in self.removed],
            "changed": [
                {
                    "from_number": c.before.number,
                    "to_number": c.after.number,
                    "title": c.after.title,
                    "fields": [f.value for f in c.fields],
                    "before": _content(c.before),
                    "after": _content(c.after),
                }
                for c in self.changed
            ],
        }


@dataclass(frozen=True, slots=True)
class Follow:
    """Where a measure of the old version went: its new number, and whether its text changed."""

    number: int
    changed: bool


def _content(measure: Measure) -> dict[str, object]:
    return {
        "label": measure.label,
        "title": measure.title,
        "body": measure.body,
        "lead_units": list(measure.lead_units),
        "participating_units": list(measure.participating_units),
    }


def _key(title: str) -> str:
    return "".join(title.split())


def _similarity(a: Measure, b: Measure) -> float:
    titles = fuzz.ratio(_key(a.title), _key(b.title)) / 100.0
    bodies = fuzz.ratio(a.body, b.body) / 100.0
    return 0.5 * titles + 0.5 * bodies


def pair_measures(old: Sequence[Measure], new: Sequence[Measure]) -> list[tuple[Measure, Measure]]:
    """Pairs of (old, new) measures that are the same measure, in the new version's order."""
    pairs: list[tuple[Measure, Measure]] = []
    unpaired_new = list(new)
    by_title: dict[str, list[Measure]] = {}
    for measure in unpaired_new:
        by_title.setdefault(_key(measure.title), []).append(measure)
    unpaired_old: list[Measure] = []
    for measure in old:
        same = by_title.get(_key(measure.title))
        if same:
            match = same.pop(0)
            pairs.append((measure, match))
            unpaired_new.remove(match)
        else:
            unpaired_old.append(measure)
    candidates = sorted(
        ((_similarity(a, b), a, b) for a in unpaired_old for b in unpaired_new),
        key=lambda item: (-item[0], item[1].number, item[2].number),
    )
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for score, a, b in candidates:
        if score < PAIR_THRESHOLD:
            break
        if a.number in taken_old or b.number in taken_new:
            continue
        taken_old.add(a.number)
        taken_new.add(b.number)
        pairs.append((a, b))
    return sorted(pairs, key=lambda pair: pair[1].number)


def _changed_fields(a: Measure, b: Measure) -> tuple[ChangedField, ...]:
    fields = []
    if _key(a.title) != _key(b.title):
        fields.append(ChangedField.TITLE)
    if _key(a.body) != _key(b.body):
        fields.append(ChangedField.BODY)
    if a.lead_units != b.lead_units:
        fields.append(ChangedField.LEAD_UNITS)
    if a.participating_units != b.participating_units:
        fields.append(ChangedField.PARTICIPATING_UNITS)
    return tuple(fields)


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    """The diff from `old` to `new` (two versions of one document)."""
    pairs = pair_measures(old.measures, new.measures)
    paired_old = {a.number for a, _ in pairs}
    paired_new = {b.number for _, b in pairs}
    changed = tuple(MeasureChange(a, b, fields) for a, b in pairs if (fields := _changed_fields(a, b)))
    return DocumentDiff(
        added=tuple(m for m in new.measures if m.number not in paired_new),
        removed=tuple(m for m in old.measures if m.number not in paired_old),
        changed=changed,
        pairs=tuple(pairs),
    )


def follow(diff: DocumentDiff) -> dict[int, Follow]:
    """Old measure number → where it went; a removed measure is absent."""
    changed = {c.before.number for c in diff.changed}
    return {a.number: Follow(b.number, a.number in changed) for a, b in diff.pairs}
