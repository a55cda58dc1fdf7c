"""Routes: /api/v1/facts, /api/v1/clauses, /api/v1/eligibility/check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CatalogDep, ClauseIndexDep
from api.eligibility.schemas import ClauseList, ClauseOut, EligibilityCheckIn, EligibilityOut, FactList, FactOut
from policy_index.check import check_eligibility, result_to_json

router = APIRouter(tags=["eligibility"])


@router.get("/facts", response_model=FactList)
def list_facts(index: ClauseIndexDep) -> FactList:
    """Every fact of the enterprise profile, with its question and options."""
    items = [FactOut.of(fact) for fact in index.facts]
    return FactList(items=items, total=len(items))


@router.get("/clauses", response_model=ClauseList)
def list_clauses(index: ClauseIndexDep, measure_id: Annotated[str | None, Query(max_length=120)] = None) -> ClauseList:
    """Every eligibility clause (or a measure's), with its condition."""
    items = [ClauseOut.of(c) for c in index.clauses if measure_id is None or c.measure_id == measure_id]
    return ClauseList(items=items, total=len(items))


@router.post("/eligibility/check", response_model=EligibilityOut)
def check(body: EligibilityCheckIn, catalog: CatalogDep) -> EligibilityOut:
    """Verdicts for a possibly partial profile (a measure's clauses when `measure_id` is given) and the next
    question to ask, never one of `skipped`."""
    index = catalog.clauses
    result = check_eligibility(body.profile, index, measure_id=body.measure_id, skipped=body.skipped)  # -> 422
    return EligibilityOut.model_validate(result_to_json(result, index, catalog.library))
