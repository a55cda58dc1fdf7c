"""Routes: POST /api/v1/ask, and POST /api/v1/ask/pick for the answer to 「您想问的是：」."""

from __future__ import annotations

import functools

import anyio
from fastapi import APIRouter, Response

from api.ask.schemas import AskIn, AskOut, PickIn, PickOut
from api.ask.service import answer_pick, answer_question
from api.deps import AnswerCacheDep, MatcherDep, OptionalUser, UnansweredQueueDep, UnitOfWorkDep
from api.faqs.service import record_pick
from api.routing import SessionReleasingRoute

router = APIRouter(tags=["ask"], route_class=SessionReleasingRoute)


@router.post("/ask", response_model=AskOut)
async def ask(body: AskIn, matcher: MatcherDep, answers: AnswerCacheDep, unanswered: UnansweredQueueDep) -> Response:
    """Match a question to the measure that answers it; when unsure, `clarify` lists the measures to offer.

    A question not answered confidently is queued for the review log (at most so many per asker: the
    answer is returned all the same), unless the caller says the text is no question (`"log": false`).
    No database work here: the log is written in batches. A question the served matcher answered
    recently is answered from its kept response body on the event loop; matching a new one, and the
    throttle's Redis round trips, run in a worker thread.
    """
    queue = unanswered if body.log else None
    answer = answers.get(matcher, body.text)
    if answer is None:  # InvalidQuestion -> 422
        answer = await anyio.to_thread.run_sync(
            functools.partial(answer_question, matcher, body.text, answers=answers, unanswered=queue)
        )
    elif queue is not None and answer.unanswered:
        await anyio.to_thread.run_sync(queue.add, answer)
    return Response(answer.body, media_type="application/json")


@router.post("/ask/pick", response_model=PickOut, status_code=201)
def pick(body: PickIn, user: OptionalUser, matcher: MatcherDep, uow: UnitOfWorkDep) -> PickOut:
    """Record the asker's choice among the offered measures (or 都不是 / 转人工); a measure is answered at once."""
    text, result = answer_pick(matcher=matcher, pick=body)  # before the write: no lock while answering
    with uow as session:
        row = record_pick(
            session=session,
            user_id=user.id if user else None,
            text=text,
            choice=body.choice,
            measure_id=body.measure_id,
            offered=body.offered,
        )
    assert row.id is not None
    return PickOut(
        id=row.id,
        choice=body.choice,
        measure_id=row.measure_id,
        created_at=row.created_at,
        result=AskOut.of(result) if result else None,
    )
