"""Ask instead of guessing: which measures to offer 「您想问的是：」 for an unsure answer."""

from __future__ import annotations

from faq.entries import IN_SCOPE_INTENTS
from faq.matcher import Match, MatchResult
from faq.sources import Sources

CLARIFY_LIMIT = 3
CLARIFY_MIN_MATCHES = 2  # with a single candidate there is nothing to choose between


def clarify_choices(result: MatchResult, *, limit: int = CLARIFY_LIMIT) -> tuple[Match, ...]:
    """The top measures to offer when the matcher is unsure of an in-scope question; () otherwise."""
    if result.confident or result.intent not in IN_SCOPE_INTENTS:
        return ()
    choices = result.matches[:limit]
    return choices if len(choices) >= CLARIFY_MIN_MATCHES else ()


def clarify_to_json(result: MatchResult, sources: Sources) -> list[dict[str, object]]:
    """The `clarify` list of the ask JSON: each offered measure with its label, title and document."""
    out: list[dict[str, object]] = []
    for match in clarify_choices(result):
        ref = sources.ref_of(match.measure_id)
        out.append(
            {
                "measure_id": match.measure_id,
                "label": match.label,
                "title": match.title,
                "document": ref.to_json() if ref else None,
            }
        )
    return out


def ask_json(result: MatchResult, sources: Sources) -> dict[str, object]:
    """The JSON of `POST /api/v1/ask` and `zonedesk ask --json`: the result and what to ask back."""
    return {**result.to_json(), "clarify": clarify_to_json(result, sources)}
