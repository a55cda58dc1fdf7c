"""Route: POST /api/v1/ask."""

from __future__ import annotations

from fastapi import APIRouter

from api.ask.schemas import AskIn, AskOut
from api.ask.service import log_unanswered
from api.deps import MatcherDep, UnitOfWorkDep
from api.routing import SessionReleasingRoute

router = APIRouter(tags=["ask"], route_class=SessionReleasingRoute)


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, matcher: MatcherDep, uow: UnitOfWorkDep) -> AskOut:
    """Match a question to the measure that answers it; one not answered confidently is logged for review."""
    result = matcher.match(body.text)  # InvalidQuestion -> 422; no transaction while matching
    if result.log_unanswered:
        with uow as session:
            log_unanswered(session=session, result=result)
    return AskOut.of(result)
