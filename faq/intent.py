"""Intent (policy / eligibility / service / chit-chat / out of scope) and the service category.

Rules over cue patterns of the lexicon (`faq/lexicon/intents.yaml`), the normalised question and
what retrieval found: chit-chat is a question with nothing left once greetings and stopwords are
removed; out of scope is a question on a topic the documents do not cover (a cue such as 公积金 or
发票 without a strong match) or one with no domain evidence at all; a service question asks the desk
to get something done; an eligibility question asks whether the enterprise itself qualifies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from common.ask import Intent
from common.documents import DocumentLevel
from faq.entries import Category
from faq.lexicon import IntentCues
from faq.retrieve import Retrieval

_WHERE_FROM = frozenset("在从")
_ORIGIN = frozenset("籍来")


@dataclass(frozen=True, slots=True)
class IntentThresholds:
    """Knobs of the rules, chosen on the dev set."""

    # idf sum (over the measures) of the question's known terms, in units of a one-off term's idf so that it
    # does not drift with the library's size: below this, more than one rare word is needed.
    no_evidence: float = 0.74
    cue_override: float = 0.8  # an out-of-scope cue loses against a match this strong
    entry_vote: float = 0.8  # a FAQ question this close lends its intent
    service_entry: float = 0.4  # a service FAQ question this close, on the named category's measure: service
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


def _contexts(cue: str, words: Sequence[str]) -> tuple[str, ...]:
    """The cue's word joined with its neighbouring content word on either side (社保缴费, not just 社保)."""
    for i, word in enumerate(words):
        if cue in word or word in cue:
            # A word longer than the cue (社保基金 for 社保) is already its context.
            pairs = [word] if cue in word and word != cue else []
            pairs += [f"{words[i - 1]}{word}"] if i > 0 else []
            pairs += [f"{word}{words[i + 1]}"] if i + 1 < len(words) else []
            return tuple(pairs) or (word,)
    return (cue,)


class IntentClassifier:
    """Classifies normalised questions with one set of cues."""

    def __init__(
        self,
        cues: IntentCues,
        *,
        domain_terms: Iterable[str] = (),
        thresholds: IntentThresholds | None = None,
        foreign_places: Iterable[str] = (),
        category_measures: Mapping[Category, frozenset[str]] | None = None,
    ) -> None:
        self._category_measures = category_measures or {}
        self.thresholds = thresholds or IntentThresholds()
        self._foreign_places = frozenset(foreign_places)
        self._domain_terms = frozenset(domain_terms) - cues.generic_terms
        self._definition = _any(cues.definition)
        self._chitchat = _any(cues.chitchat)
        self._service = _any([p for p in cues.service if p not in cues.weak_service])
        self._weak_service = _any(cues.weak_service)
        self._eligibility = tuple(p for words in cues.eligibility.values() if (p := _any(words)))
        self._out_of_scope = _any(cues.out_of_scope)
        self._levels = tuple(
            (DocumentLevel(level), pattern) for level, words in cues.levels.items() if (pattern := _any(words))
        )
        self._categories = tuple(
            (category, pattern) for category, words in cues.categories.items() if (pattern := _any(words))
        )

    def classify(
        self,
        normalised: str,
        retrieval: Retrieval,
        *,
        words_of: Callable[[str], Sequence[str]],
        covered: Callable[[str], bool] = lambda _: False,
    ) -> Classification:
        """Classify a normalised question given its retrieval; `words_of` gives content words.

        `covered(phrase)` says whether the best measures' own text contains the phrase: an out-of-scope cue
        that the library itself speaks of (稳岗补贴 in an imported document) is no reason to refuse.
        """
        t = self.thresholds
        remainder = self._chitchat.sub(" ", normalised) if self._chitchat else normalised
        if not words_of(remainder):
            return Classification(Intent.CHITCHAT)
        top = retrieval.hits[0].score if retrieval.hits else 0.0
        cues = [m.group(0) for m in self._out_of_scope.finditer(normalised)] if self._out_of_scope else []
        if cues and top < t.cue_override:
            words = words_of(normalised)
            if not all(any(covered(p) for p in _contexts(cue, words)) for cue in cues):
                return Classification(Intent.OUT_OF_SCOPE)
        if top < t.cue_override and self._about_elsewhere(normalised, words_of(normalised)):
            return Classification(Intent.OUT_OF_SCOPE)
        specific = any(word in self._domain_terms for word in words_of(normalised))
        if not specific and retrieval.evidence / max(retrieval.rare_idf, 1e-9) < t.no_evidence:
            return Classification(Intent.OUT_OF_SCOPE)
        entry = retrieval.best_entry if retrieval.best_entry_score >= t.entry_vote else None
        if entry is not None and entry.intent is Intent.SERVICE and _hits(self._definition, normalised):
            entry = None
        category = self.category(normalised)
        if (
            _hits(self._service, normalised)
            or (
                category is not None
                and _hits(self._weak_service, normalised)
                and not _hits(self._definition, normalised)
            )
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
        if category is not None and self._served(category, retrieval) and not _hits(self._definition, normalised):
            return Classification(Intent.SERVICE, category)
        return Classification(Intent.POLICY)

    def _served(self, category: Category, retrieval: Retrieval) -> bool:
        """Learned from the FAQ: the best measure is one the FAQ's service entries for `category` link to,
        and the closest FAQ question is a service one."""
        entry = retrieval.best_entry
        return (
            bool(retrieval.hits)
            and retrieval.hits[0].measure_id in self._category_measures.get(category, frozenset())
            and entry is not None
            and entry.intent is Intent.SERVICE
            and retrieval.best_entry_score >= self.thresholds.service_entry
        )

    def _about_elsewhere(self, normalised: str, words: Sequence[str]) -> bool:
        """Whether the question asks about a place no document of the library is issued for or speaks of.

        A place after 在 or 从, or before 籍 or 来, says where the enterprise or a person is or comes from
        (注册在重庆, 台湾来的专家), not whose policy the question asks about.
        """
        for word in words:
            if word in self._foreign_places:
                at = normalised.find(word)
                before = normalised[at - 1 : at] if at > 0 else ""
                after = normalised[at + len(word) : at + len(word) + 1]
                if before not in _WHERE_FROM and after not in _ORIGIN:
                    return True
        return False

    def levels(self, normalised: str) -> frozenset[DocumentLevel]:
        """The document levels the question names (区里 → zone and county)."""
        return frozenset(level for level, pattern in self._levels if pattern.search(normalised))

    def category(self, normalised: str) -> Category | None:
        """The first service category whose cues occur in the question."""
        for category, pattern in self._categories:
            if pattern.search(normalised):
                return category
        return None
