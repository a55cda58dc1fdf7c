"""Routes: POST /api/v1/ask, and POST /api/v1/ask/pick for the answer to 「您想问的是：」."""

from __future__ import annotations

from fastapi import APIRouter

from api.ask.schemas import AskIn, AskOut, PickIn, PickOut
from api.ask.service import answer_question, pick_measure
from api.deps import DbDep, MatcherDep, OptionalUser
from api.routing import UnitOfWorkRoute

router = APIRouter(tags=["ask"], route_class=UnitOfWorkRoute)


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, matcher: MatcherDep, session: DbDep) -> AskOut:
    """Match a question to the measure that answers it; when unsure, `clarify` lists the measures to offer."""
    result = answer_question(session=session, matcher=matcher, text=body.text)  # InvalidQuestion -> 422
    session.commit()
    return AskOut.of(result, matcher.sources)


@router.post("/ask/pick", response_model=PickOut, status_code=201)
def pick(body: PickIn, user: OptionalUser, matcher: MatcherDep, session: DbDep) -> PickOut:
    """Record the asker's choice among the offered measures (or 都不是 / 转人工); a measure is answered at once."""
    row, result = pick_measure(session=session, matcher=matcher, pick=body, user_id=user.id if user else None)
    session.commit()
    assert row.id is not None
    return PickOut(
        id=row.id,
        choice=body.choice,
        measure_id=row.measure_id,
        created_at=row.created_at,
        result=AskOut.of(result) if result else None,
    )
