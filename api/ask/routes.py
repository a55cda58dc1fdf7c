"""Route: POST /api/v1/ask."""

from __future__ import annotations

from fastapi import APIRouter

from api.ask.schemas import AskIn, AskOut
from api.ask.service import answer_question
from api.deps import DbDep, MatcherDep
from api.routing import UnitOfWorkRoute

router = APIRouter(tags=["ask"], route_class=UnitOfWorkRoute)


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, matcher: MatcherDep, session: DbDep) -> AskOut:
    """Match a question to the measure that answers it, with intent and confidence."""
    result = answer_question(session=session, matcher=matcher, text=body.text)  # InvalidQuestion -> 422
    session.commit()
    return AskOut.of(result)
