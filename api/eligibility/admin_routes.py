"""Admin route: validate a pasted clause file with the eligibility index's own checker."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import CatalogDep, get_admin_user
from api.eligibility import messages
from api.routing import SessionReleasingRoute
from api.text import EdgeModel
from policy_index.clauses import read_clause_text

router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)


class ClausesIn(EdgeModel):
    """A clause file's YAML text."""

    text: str = Field(min_length=1, max_length=500_000)


class ClauseIssueOut(BaseModel):
    """One problem, at a line of the pasted text."""

    line: int
    message: str


class ClauseCheckOut(BaseModel):
    """The validator's verdict."""

    clauses: int
    errors: list[ClauseIssueOut]


@router.post("/clauses/validate", response_model=ClauseCheckOut)
def validate_clauses(body: ClausesIn, catalog: CatalogDep) -> ClauseCheckOut:
    """Check a clause file against the facts and the documents served (nothing saved)."""
    clauses, issues = read_clause_text(
        body.text, catalog.clauses.facts, path=messages.PASTED_TEXT, library=catalog.library
    )
    errors = [ClauseIssueOut(line=i.line, message=i.message) for i in issues]
    return ClauseCheckOut(clauses=len(clauses), errors=errors)
