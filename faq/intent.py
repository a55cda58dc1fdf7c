"""Intent (policy / eligibility / service / chit-chat / out of scope) and the service category.

Rules over cue patterns of the lexicon (`faq/lexicon/intents.yaml`), the normalised question and
what retrieval found: chit-chat is a question with nothing left once greetings and stopwords are
removed; out of scope is a question on a topic the documents do not cover (a cue such as 公积金 or
发票 without a strong match) or one with no domain evidence at all; a service question asks the desk
to get something done; an eligibility question asks whether the enterprise itself qualifies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from common.ask import Intent
from faq.entries import Category
from faq.lexicon import IntentCues
from faq.retrieve import Retrieval


@dataclass(frozen=True, slots=True)
class IntentThresholds:
    """Knobs of the rules, chosen on the dev set."""

    no_evidence: float = 3.0  # idf sum (measures) of known terms below this: more than one rare word needed
    cue_override: float = 0.8  # an out-of-scope cue loses against a match this strong
    entry_vote: float = 0.8  # a FAQ question this close lends its intent
    eligibility_cues: int = 2  # eligibility cue groups (self, asks, status) that make an eligibility question


@dataclass(frozen=True, slots=True)
class Classification:
    """The intent and, for a service question, its category."""

    intent: Intent
    category: Category | None = None


def _any(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))  # patterns are written in normal form


def _hits(pattern: re.Pattern[str] | None, text: str) -> bool:
    return bool(pattern and pattern.search(text))


class IntentClassifier:
    """Classifies normalised questions with one set of cues."""

    def __init__(
        self, cues: IntentCues, *, domain_terms: Iterable[str] = (), thresholds: IntentThresholds | None = None
    ) -> None:
        self.thresholds = thresholds or IntentThresholds()
        self._domain_terms = frozenset(domain_terms) - cues.generic_terms
        self._definition = _any(cues.definition)
        self._chitchat = _any(cues.chitchat)
        self._service = _any([p for p in cues.service if p not in cues.weak_service])
        self._weak_service = _any(cues.weak_service)
        self._eligibility = tuple(p for words in cues.eligibility.values() if (p := _any(words)))
        self._out_of_scope = _any(cues.out_of_scope)
        self._categories = tuple(
            (category, pattern) for category, words in cues.categories.items() if (pattern := _any(words))
        )

    def classify(
        self, normalised: str, retrieval: Retrieval, *, words_of: Callable[[str], Sequence[str]]
    ) -> Classification:
        """Classify a normalised question given its retrieval; `words_of` gives content words."""
        t = self.thresholds
        remainder = self._chitchat.sub(" ", normalised) if self._chitchat else normalised
        if not words_of(remainder):
            return Classification(Intent.CHITCHAT)
        top = retrieval.hits[0].score if retrieval.hits else 0.0
        if _hits(self._out_of_scope, normalised) and top < t.cue_override:
            return Classification(Intent.OUT_OF_SCOPE)
        specific = any(word in self._domain_terms for word in words_of(normalised))
        if not specific and retrieval.evidence < t.no_evidence:
            return Classification(Intent.OUT_OF_SCOPE)
        entry = retrieval.best_entry if retrieval.best_entry_score >= t.entry_vote else None
        if entry is not None and entry.intent is Intent.SERVICE and _hits(self._definition, normalised):
            entry = None
        category = self.category(normalised)
        if (
            _hits(self._service, normalised)
            or (category is not None and _hits(self._weak_service, normalised))
            or (entry is not None and entry.intent is Intent.SERVICE)
        ):
            if category is None and entry is not None and entry.intent is Intent.SERVICE:
                category = entry.category
            return Classification(Intent.SERVICE, category or Category.OTHER)
        votes = sum(1 for pattern in self._eligibility if pattern.search(normalised))
        if entry is not None and entry.intent is Intent.ELIGIBILITY:
            votes += 1
        if votes >= t.eligibility_cues:
            return Classification(Intent.ELIGIBILITY)
        return Classification(Intent.POLICY)

    def category(self, normalised: str) -> Category | None:
        """The first service category whose cues occur in the question."""
        for category, pattern in self._categories:
            if pattern.search(normalised):
                return category
        return None
