"""FAQ entries: a question, its colloquial variants, a short answer and the measures it links to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from common.ask import Intent

IN_SCOPE_INTENTS = frozenset({Intent.POLICY, Intent.ELIGIBILITY, Intent.SERVICE})


class Category(StrEnum):
    """Service-desk categories (DESIGN.md "Service desk")."""

    HOUSING = "housing"
    MEDICAL_INSURANCE = "medical_insurance"
    SCHOOLING = "schooling"
    WORK_PERMIT = "work_permit"
    RESIDENCE_PERMIT = "residence_permit"
    BUSINESS_LICENSE = "business_license"
    PROJECT_APPROVAL = "project_approval"
    OTHER = "other"


class InvalidFaqEntry(ValueError):
    """An FAQ record lacks a field or has a wrong value."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One FAQ entry; `measure_ids` best first (`<document id>#<n>`)."""

    id: str
    question: str
    variants: tuple[str, ...]
    answer: str
    measure_ids: tuple[str, ...]
    intent: Intent = Intent.POLICY
    category: Category | None = None

    @property
    def questions(self) -> tuple[str, ...]:
        """The question and its variants."""
        return (self.question, *self.variants)


def _text(record: Mapping[str, object], key: str, entry_id: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidFaqEntry(f"FAQ 条目 {entry_id} 缺少 {key} (missing {key})")
    return value.strip()


def entry_from_record(record: Mapping[str, object], *, document_id: str) -> FaqEntry:
    """An entry from a YAML/JSON record; bare measure numbers refer to `document_id`."""
    entry_id = str(record.get("id") or "").strip()
    if not entry_id:
        raise InvalidFaqEntry("FAQ 条目缺少 id (missing id)")
    raw_measures = record.get("measures") or []
    raw_variants = record.get("variants") or []
    if not isinstance(raw_measures, list) or not isinstance(raw_variants, list):
        raise InvalidFaqEntry(f"FAQ 条目 {entry_id} 的 measures/variants 须为列表 (must be lists)")
    measure_ids = tuple(str(m) if "#" in str(m) else f"{document_id}#{int(str(m))}" for m in raw_measures)
    category = record.get("category")
    try:
        return FaqEntry(
            id=entry_id,
            question=_text(record, "question", entry_id),
            variants=tuple(str(v).strip() for v in raw_variants if str(v).strip()),
            answer=_text(record, "answer", entry_id),
            measure_ids=measure_ids,
            intent=Intent(str(record.get("intent") or "policy")),
            category=Category(str(category)) if category else None,
        )
    except ValueError as exc:
        raise InvalidFaqEntry(f"FAQ 条目 {entry_id} 取值有误：{exc} (bad value)") from exc


def entries_from_records(records: Iterable[Mapping[str, object]], *, document_id: str) -> tuple[FaqEntry, ...]:
    """Entries from records, in order."""
    return tuple(entry_from_record(record, document_id=document_id) for record in records)
