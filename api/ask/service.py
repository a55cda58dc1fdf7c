"""The app's matcher: built once per policy library, the tokenizer once per process."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from sqlmodel import Session

from api.data_dir import jieba_cache_dir
from api.faqs.service import record_unanswered
from faq.bundled import load_bundled
from faq.matcher import InvalidQuestion, Matcher, MatchResult, TextPipeline

MAX_SUGGEST_CHARS = 500


@lru_cache(maxsize=1)
def pipeline() -> TextPipeline:
    """The normaliser and analyzer over the bundled lexicon: one jieba tokenizer per process, cached privately."""
    bundled = load_bundled()
    return TextPipeline(bundled.lexicon, dictionary=bundled.dictionary, cache_dir=jieba_cache_dir())


def answer_question(
    *, session: Session, matcher: Matcher, text: str, may_log: Callable[[], bool] = lambda: True
) -> MatchResult:
    """Match a question; one the desk cannot answer confidently goes to the unanswered log (caller commits).

    `may_log` is asked only for such a question: False (the asker is over their quota) skips the log entry.
    """
    result = matcher.match(text)
    if result.log_unanswered and may_log():
        record_unanswered(session=session, text=result.text, normalized_text=result.normalised or result.text)
    return result


def category_suggester(current_matcher: Callable[[], Matcher]) -> Callable[[str], str | None]:
    """A suggester of service categories for free-text requests, asking the matcher in use at call time."""

    def suggest(text: str) -> str | None:
        try:
            result = current_matcher().match(text[:MAX_SUGGEST_CHARS])
        except InvalidQuestion:
            return None
        return result.category.value if result.category else None

    return suggest
