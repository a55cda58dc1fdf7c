"""Ask instead of guessing: which measures to offer 「您想问的是：」 for an unsure answer."""

from __future__ import annotations

from faq.entries import IN_SCOPE_INTENTS
from faq.matcher import Match, MatchResult

CLARIFY_LIMIT = 3
CLARIFY_MIN_MATCHES = 2  # with a single candidate there is nothing to choose between


def clarify_choices(result: MatchResult, *, limit: int = CLARIFY_LIMIT) -> tuple[Match, ...]:
    """The top measures to offer when the matcher is unsure of an in-scope question; () otherwise."""
    if result.confident or result.intent not in IN_SCOPE_INTENTS:
        return ()
    choices = result.matches[:limit]
    return choices if len(choices) >= CLARIFY_MIN_MATCHES else ()
