"""Route: POST /api/v1/ask."""

from __future__ import annotations

from fastapi import APIRouter

from api.ask.schemas import AskIn, AskOut
from api.deps import MatcherDep

router = APIRouter(tags=["ask"])


@router.post("/ask", response_model=AskOut)
def ask(body: AskIn, matcher: MatcherDep) -> AskOut:
    """Match a question to the measure that answers it, with intent and confidence."""
    return AskOut.of(matcher.match(body.text))  # InvalidQuestion -> 422
