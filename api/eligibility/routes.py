"""Routes: /api/v1/facts, /api/v1/clauses, /api/v1/eligibility/check."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ClauseIndexDep
from api.eligibility.schemas import ClauseList, ClauseOut, EligibilityCheckIn, EligibilityOut, FactList, FactOut
from policy_index.check import check_eligibility, result_to_json

router = APIRouter(tags=["eligibility"])


@router.get("/facts", response_model=FactList)
def list_facts(index: ClauseIndexDep) -> FactList:
    """Every fact of the enterprise profile, with its question and options."""
    items = [FactOut.of(fact) for fact in index.facts]
    return FactList(items=items, total=len(items))


@router.get("/clauses", response_model=ClauseList)
def list_clauses(index: ClauseIndexDep) -> ClauseList:
    """Every eligibility clause, with its condition."""
    items = [ClauseOut.of(clause) for clause in index.clauses]
    return ClauseList(items=items, total=len(items))


@router.post("/eligibility/check", response_model=EligibilityOut)
def check(body: EligibilityCheckIn, index: ClauseIndexDep) -> EligibilityOut:
    """Verdicts for a possibly partial profile and the next question to ask."""
    result = check_eligibility(body.profile, index)  # ProfileError -> 422
    return EligibilityOut.model_validate(result_to_json(result, index))
