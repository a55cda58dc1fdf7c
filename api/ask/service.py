"""The app's matcher: built once per policy library, the tokenizer once per process."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from sqlmodel import Session

from api.ask.schemas import PickIn
from api.domain_errors import InvalidInput
from api.faqs.models import AskPick, PickChoice
from api.faqs.service import record_pick, record_unanswered
from faq.bundled import load_bundled
from faq.matcher import InvalidQuestion, Matcher, MatchResult, TextPipeline, validate_question

MAX_SUGGEST_CHARS = 500


class InvalidPick(InvalidInput):
    """A pick without a measure, or of a measure the desk does not serve."""


@lru_cache(maxsize=1)
def pipeline() -> TextPipeline:
    """The normaliser and analyzer over the bundled lexicon: one jieba tokenizer per process."""
    bundled = load_bundled()
    return TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)


def answer_question(*, session: Session, matcher: Matcher, text: str) -> MatchResult:
    """Match a question; one the desk cannot answer confidently goes to the unanswered log (caller commits)."""
    result = matcher.match(text)
    if result.log_unanswered:
        record_unanswered(session=session, text=result.text, normalized_text=result.normalised or result.text)
    return result


def pick_measure(
    *, session: Session, matcher: Matcher, pick: PickIn, user_id: int | None
) -> tuple[AskPick, MatchResult | None]:
    """Record a pick (caller commits) and, when it names a measure, that measure's answer to the question."""
    text = validate_question(pick.text)  # InvalidQuestion -> 422
    result = None
    if pick.choice is PickChoice.MEASURE:
        if not pick.measure_id:
            raise InvalidPick("请选择一条措施 (measure_id is required for choice measure)")
        try:
            result = matcher.answer_measure(text, pick.measure_id)
        except KeyError as exc:
            raise InvalidPick(f"找不到条款：{pick.measure_id} (unknown measure)") from exc
    row = record_pick(
        session=session,
        user_id=user_id,
        text=text,
        choice=pick.choice,
        measure_id=pick.measure_id,
        offered=pick.offered,
    )
    return row, result


def category_suggester(current_matcher: Callable[[], Matcher]) -> Callable[[str], str | None]:
    """A suggester of service categories for free-text requests, asking the matcher in use at call time."""

    def suggest(text: str) -> str | None:
        try:
            result = current_matcher().match(text[:MAX_SUGGEST_CHARS])
        except InvalidQuestion:
            return None
        return result.category.value if result.category else None

    return suggest
