"""Admin routes: validate or publish clause files (with their test cases), and add facts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.deps import AdminUser, CatalogDep, CatalogHolderDep, DbDep, UnitOfWorkDep, get_admin_user
from api.eligibility import messages, service
from api.eligibility.schemas import ClauseList, ClauseOut, FactOut
from api.routing import SessionReleasingRoute
from api.text import EdgeModel
from policy_index.authoring import Submission, read_submission
from policy_index.clauses import ClauseFileError, read_clause_text
from policy_index.drafts import propose_clauses
from policy_index.facts import read_fact

router = APIRouter(
    prefix="/admin", tags=["admin"], dependencies=[Depends(get_admin_user)], route_class=SessionReleasingRoute
)


class ClausesIn(EdgeModel):
    """A clause file's YAML text (`document:`, `clauses:` and optional `cases:`)."""

    text: str = Field(min_length=1, max_length=500_000)


class ClauseIssueOut(BaseModel):
    """One problem, at a line of the pasted text."""

    line: int
    message: str


class ClauseCheckOut(BaseModel):
    """The validator's verdict."""

    clauses: int
    errors: list[ClauseIssueOut]


class FactIn(EdgeModel):
    """One fact in the shape of facts.yaml: `type` is bool, enum or number."""

    name: str = Field(min_length=1, max_length=60)
    type: str = Field(examples=["bool", "enum", "number"])
    label: dict[str, str]
    question: dict[str, str]
    help: dict[str, str] | str | None = None
    options: list[dict[str, Any]] | None = None
    unit: str | None = Field(default=None, max_length=20)


@router.post("/clauses/validate", response_model=ClauseCheckOut)
def validate_clauses(body: ClausesIn, catalog: CatalogDep) -> ClauseCheckOut:
    """Check a clause file against the facts and the documents served (nothing saved)."""
    clauses, issues = read_clause_text(
        body.text, catalog.clauses.facts, path=messages.PASTED_TEXT, library=catalog.library
    )
    errors = [ClauseIssueOut(line=i.line, message=i.message) for i in issues]
    return ClauseCheckOut(clauses=len(clauses), errors=errors)


def _checked_submission(text: str, catalog: CatalogDep, session: DbDep) -> Submission:
    owners = {clause.id: clause.measure_id for clause in catalog.clauses.clauses}
    submission = read_submission(
        text,
        catalog.clauses,
        catalog.library,
        path=messages.PASTED_TEXT,
        owners=owners,
        stored_cases=service.stored_cases(session),
    )
    if submission.issues:
        raise ClauseFileError(list(submission.issues))
    return submission


@router.post("/clauses", response_model=ClauseList, status_code=201)
def publish_clauses(
    body: ClausesIn, admin: AdminUser, session: DbDep, uow: UnitOfWorkDep, holder: CatalogHolderDep, request: Request
) -> ClauseList:
    """Publish a clause file once it validates and every attached case passes (else 422 with line errors)."""
    submission = _checked_submission(body.text, holder.current, session)
    with uow as tx:
        service.publish_clauses(tx, submission.clauses, submission.cases, by=admin.id)
    served = {clause.id: clause for clause in holder.changed().clauses.clauses}
    request.app.state.policy_push.kick()  # the jobs are committed: match them against the stored profiles now
    items = [ClauseOut.of(served[clause.id]) for clause in submission.clauses if clause.id in served]
    return ClauseList(items=items, total=len(items))


class DraftsIn(EdgeModel):
    """The measure to propose clauses for."""

    measure_id: str = Field(min_length=3, max_length=120)


class DraftOut(BaseModel):
    """A proposed clause: the clause file to edit, its source sentence and offsets in the measure body."""

    text: str
    source: str
    start: int
    end: int
    unresolved: list[str] = Field(description="requirements of the sentence no fact covers yet")


class DraftList(BaseModel):
    """Draft clauses of a measure: nothing is saved or published until the admin posts an edited one."""

    items: list[DraftOut]
    total: int


@router.post("/clauses/drafts", response_model=DraftList)
def draft_clauses(body: DraftsIn, catalog: CatalogDep) -> DraftList:
    """Propose clauses from the measure's wording (UnknownMeasure → 404); never published without review."""
    measure = catalog.library.measure(body.measure_id)
    drafts = propose_clauses(measure, catalog.clauses.facts)
    items = [
        DraftOut(text=d.to_yaml(), source=d.source, start=d.start, end=d.end, unresolved=list(d.unresolved))
        for d in drafts
    ]
    return DraftList(items=items, total=len(items))


@router.post("/facts", response_model=FactOut, status_code=201)
def add_fact(body: FactIn, admin: AdminUser, uow: UnitOfWorkDep, holder: CatalogHolderDep) -> FactOut:
    """Define a new fact of the enterprise profile (FactFileError → 422, a taken name → 409)."""
    fact = read_fact(body.model_dump(exclude_none=True))
    with uow as session:
        service.add_fact(session, fact, by=admin.id)
    holder.changed()
    return FactOut.of(fact)
