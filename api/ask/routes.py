"""Route: POST /api/v1/ask."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from api.ask.schemas import AskIn, AskOut
from api.ask.service import answer_question
from api.auth.throttle import UNANSWERED_PER_ASKER
from api.deps import AskerKey, DbDep, MatcherDep, ThrottleDep
from api.routing import UnitOfWorkRoute

router = APIRouter(tags=["ask"], route_class=UnitOfWorkRoute)


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, matcher: MatcherDep, session: DbDep, throttle: ThrottleDep, asker: AskerKey) -> AskOut:
    """Match a question to the measure that answers it, with intent and confidence (unanswered: logged, capped)."""
    quota = partial(throttle.take, UNANSWERED_PER_ASKER, asker)  # counted only for an unanswered question
    result = answer_question(session=session, matcher=matcher, text=body.text, may_log=quota)  # InvalidQuestion -> 422
    session.commit()
    return AskOut.of(result)
