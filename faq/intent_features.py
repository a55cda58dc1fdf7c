"""Sparse features of a question for the learned intent and service-category models.

Features that carry over to phrasing and documents nobody tuned for: character 1–3-grams of the normalised
question and its content words; which cue groups of the lexicon (`faq/lexicon/intents.yaml`) occur;
and what retrieval found — the best measure's score and margin, the question's evidence in units of a
rare word, the share of its content words the best measures' text holds and how rare those are in the
library (so an imported document brings its own words), the closest FAQ question's score and intent,
and whether the best measure is one the FAQ's service entries link to. An out-of-scope cue that the
best measures' own text speaks of (房租补贴 in an imported document) is no cue at all: it yields no feature.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from faq.entries import Category
from faq.intent_model import ELSEWHERE, TOP_SCORE
from faq.lexicon import IntentCues
from faq.retrieve import Retrieval

_WHERE_FROM = frozenset("在从")
_ORIGIN = frozenset("籍来")
NGRAM_SIZES = (1, 2, 3)


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


def _rarity(measure_words: Iterable[Iterable[str]]) -> dict[str, float]:
    """Word → idf over the measures scaled to [0, 1] (1: a word only one measure uses)."""
    frequency: dict[str, int] = {}
    count = 0
    for words in measure_words:
        count += 1
        for word in set(words):
            frequency[word] = frequency.get(word, 0) + 1
    if not count:
        return {}
    return {w: math.log((count + 1) / df) / math.log(count + 1) for w, df in frequency.items()}


class IntentFeatures:
    """Computes the sparse features of questions over one set of cues and one library (build once per index)."""

    def __init__(
        self,
        cues: IntentCues,
        *,
        domain_terms: Iterable[str] = (),
        foreign_places: Iterable[str] = (),
        category_measures: Mapping[Category, frozenset[str]] | None = None,
        measure_words: Iterable[Iterable[str]] = (),
    ) -> None:
        self._category_measures = category_measures or {}
        self._foreign_places = frozenset(foreign_places)
        self._generic = cues.generic_terms
        self._domain_terms = frozenset(domain_terms) - cues.generic_terms
        self._rarity = _rarity(measure_words)
        self._chitchat = _any(cues.chitchat)
        self._groups = tuple(
            (name, pattern)
            for name, words in (
                ("service", [p for p in cues.service if p not in cues.weak_service]),
                ("weak_service", list(cues.weak_service)),
                ("definition", list(cues.definition)),
                *((f"eligibility_{group}", list(words)) for group, words in cues.eligibility.items()),
            )
            if (pattern := _any(words))
        )
        self._out_of_scope = _any(cues.out_of_scope)
        self._categories = tuple(
            (category, pattern) for category, words in cues.categories.items() if (pattern := _any(words))
        )

    def extract(
        self,
        normalised: str,
        retrieval: Retrieval,
        *,
        words_of: Callable[[str], Sequence[str]],
        covered: Callable[[str], bool],
    ) -> dict[str, float]:
        """The features of a normalised question; `covered(phrase)`: the best measures' text holds the phrase."""
        words = words_of(normalised)
        out = _ngrams(normalised)
        out.update((f"w:{word}", 1.0) for word in words)
        out.update(self._cue_features(normalised, words, words_of=words_of, covered=covered))
        out.update(self._retrieval_features(words, retrieval, covered=covered))
        return out

    def _cue_features(
        self,
        normalised: str,
        words: Sequence[str],
        *,
        words_of: Callable[[str], Sequence[str]],
        covered: Callable[[str], bool],
    ) -> dict[str, float]:
        out: dict[str, float] = {}
        if self._chitchat is not None:
            if self._chitchat.search(normalised):
                out["cue:chitchat"] = 1.0
            if not words_of(self._chitchat.sub(" ", normalised)):
                out["cue:chitchat_only"] = 1.0
        elif not words:
            out["cue:chitchat_only"] = 1.0
        out.update((f"cue:{name}", 1.0) for name, pattern in self._groups if pattern.search(normalised))
        cues = [m.group(0) for m in self._out_of_scope.finditer(normalised)] if self._out_of_scope else []
        # A cue the library's best measures speak of says nothing against the question.
        if cues and not all(covered(cue) for cue in cues):
            out["cue:out_of_scope"] = 1.0
            if not all(any(covered(p) for p in _contexts(cue, words)) for cue in cues):
                out["cue:out_of_scope_context"] = 1.0
        if self._about_elsewhere(normalised, words):
            out[ELSEWHERE] = 1.0
        named = [c for c, pattern in self._categories if pattern.search(normalised)]
        out.update((f"cuecat:{c.value}", 1.0) for c in named)
        if named:
            # Asking for something done, or what something means, about a named desk category.
            out.update(
                (f"{name}&category", 1.0)
                for name in ("cue:service", "cue:weak_service", "cue:definition")
                if name in out
            )
        if any(word in self._domain_terms for word in words):
            out["cue:domain_term"] = 1.0
        if any(ch.isdigit() for ch in normalised):
            out["cue:digit"] = 1.0
        return out

    def _retrieval_features(
        self, words: Sequence[str], retrieval: Retrieval, *, covered: Callable[[str], bool]
    ) -> dict[str, float]:
        hits = retrieval.hits
        top = hits[0].score if hits else 0.0
        distinct = set(words)
        held = {w for w in distinct if covered(w)}
        rarity = {w: self._rarity.get(w, 1.0) for w in distinct if w not in self._generic}
        found = [r for w, r in rarity.items() if w in held and w in self._rarity]
        out = {
            TOP_SCORE: top,
            "r:margin": top - (hits[1].score if len(hits) > 1 else 0.0),
            "r:evidence": math.log1p(retrieval.evidence / max(retrieval.rare_idf, 1e-9)),
            "r:coverage": len(held) / len(distinct) if distinct else 0.0,
            "r:uncovered": math.log1p(sum(1 for w in distinct - held if len(w) > 1)),
            "r:rare": max(found, default=0.0),
            "r:rare_share": sum(found) / sum(rarity.values()) if rarity else 0.0,
            "r:length": math.log1p(len(words)),
        }
        entry = retrieval.best_entry
        if entry is not None:
            out["r:entry"] = retrieval.best_entry_score
            out[f"entry:{entry.intent.value}"] = retrieval.best_entry_score
            if entry.category is not None:
                out[f"entrycat:{entry.category.value}"] = retrieval.best_entry_score
        if hits:
            if hits[0].faq_id:
                out["r:top_faq"] = 1.0
            for category, measures in self._category_measures.items():
                if hits[0].measure_id in measures:
                    out[f"topcat:{category.value}"] = 1.0
                    out["r:top_service"] = 1.0
        return out

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


def _ngrams(normalised: str) -> dict[str, float]:
    """Character n-grams of the question (spaces dropped), with ^ and $ marking its start and end."""
    padded = f"^{normalised.replace(' ', '')}$"
    out: dict[str, float] = {}
    for n in NGRAM_SIZES:
        for i in range(len(padded) - n + 1):
            gram = padded[i : i + n]
            if gram not in ("^", "$"):
                out[f"c:{gram}"] = 1.0
    return out
