"""Route: GET /api/v1/my/policies — 我的政策: every clause the caller's enterprise meets or may meet."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import CatalogDep, DbDep, EnterpriseActor
from api.profiles import service as profiles
from api.routing import SessionReleasingRoute
from common.eligibility import VerdictStatus
from policy_index.check import measure_source
from policy_index.eligibility import evaluate
from policy_index.facts import FactValue

router = APIRouter(prefix="/my", tags=["profile"], route_class=SessionReleasingRoute)


class MyPolicyOut(BaseModel):
    """A clause the enterprise meets (eligible) or may meet (needs_info: `unknown` lists what to answer)."""

    clause_id: str
    measure_id: str
    measure_label: str
    document_title: str
    title: str
    status: VerdictStatus
    benefit: str
    amount: str | None
    application_window: str | None
    lead_unit: str
    unknown: list[str] = Field(description="labels of the facts still unknown")


class MyPolicies(BaseModel):
    """The enterprise's policies, eligible first."""

    items: list[MyPolicyOut]
    total: int


@router.get("/policies", response_model=MyPolicies)
def my_policies(user: EnterpriseActor, session: DbDep, catalog: CatalogDep) -> MyPolicies:
    """Every clause across all documents the saved profile meets or may meet (none ruled out)."""
    index = catalog.clauses
    saved = profiles.get_profile(session=session, user=user)
    profile: dict[str, FactValue] = {k: v for k, v in saved.items() if k in index.facts and v is not None}
    items = []
    for verdict in evaluate(profile, index.clauses):
        if verdict.status is VerdictStatus.INELIGIBLE:
            continue
        clause, source = verdict.clause, measure_source(catalog.library, verdict.clause.measure_id)
        items.append(
            MyPolicyOut(
                clause_id=clause.id,
                measure_id=clause.measure_id,
                measure_label=source.measure_label if source else clause.measure_id,
                document_title=source.document_title if source else "",
                title=clause.title,
                status=verdict.status,
                benefit=clause.benefit,
                amount=clause.amount,
                application_window=clause.application_window,
                lead_unit=clause.lead_unit,
                unknown=[index.facts[name].label.zh for name in verdict.missing],
            )
        )
    items.sort(key=lambda item: item.status is not VerdictStatus.ELIGIBLE)
    return MyPolicies(items=items, total=len(items))
