"""What the ask routes do besides matching: picks, the unanswered log, category suggestions."""

from __future__ import annotations

from collections.abc import Callable

from api.ask.answer_cache import Answer, AnswerCache
from api.ask.schemas import AskOut, PickIn
from api.ask.unanswered import UnansweredQueue
from api.domain_errors import InvalidInput
from common.ask import PickChoice
from faq.matcher import InvalidQuestion, Matcher, MatchResult, validate_question

MAX_SUGGEST_CHARS = 500


class InvalidPick(InvalidInput):
    """A pick without a measure, or of a measure the desk does not serve."""


def answer_question(matcher: Matcher, text: str, *, answers: AnswerCache, unanswered: UnansweredQueue | None) -> Answer:
    """`matcher`'s answer to `text` as the response body of /ask, kept in `answers` and, unless `unanswered` is
    None, queued for the unanswered log. Blocking and CPU-bound (matching, serializing): off the event loop."""
    result = matcher.match(text)  # InvalidQuestion -> 422
    answer = Answer(
        body=AskOut.of(result, matcher.sources).model_dump_json().encode(),
        unanswered=result.log_unanswered,
        text=result.text,
        normalised=result.normalised or result.text,
    )
    answers.put(matcher, text, answer)
    if unanswered is not None:
        unanswered.add(answer)
    return answer


def answer_pick(*, matcher: Matcher, pick: PickIn) -> tuple[str, MatchResult | None]:
    """The validated question and, when the pick names a measure, that measure's answer to it (no database work)."""
    text = validate_question(pick.text)  # InvalidQuestion -> 422
    if pick.choice is not PickChoice.MEASURE:
        return text, None
    if not pick.measure_id:
        raise InvalidPick("请选择一条措施 (measure_id is required for choice measure)")
    try:
        return text, matcher.answer_measure(text, pick.measure_id)
    except KeyError as exc:
        raise InvalidPick(f"找不到条款：{pick.measure_id} (unknown measure)") from exc


def category_suggester(current_matcher: Callable[[], Matcher]) -> Callable[[str], str | None]:
    """A suggester of service categories for free-text requests, asking the matcher in use at call time."""

    def suggest(text: str) -> str | None:
        try:
            result = current_matcher().match(text[:MAX_SUGGEST_CHARS])
        except InvalidQuestion:
            return None
        return result.category.value if result.category else None

    return suggest
