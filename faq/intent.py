"""Intent (policy / eligibility / service / chit-chat / out of scope) and the service category.

Learned, not hand rules: `faq/intent_features.py` reads features off the normalised question, the cue
groups of the lexicon and what retrieval found, and the multinomial logistic regressions of
`faq/data/intent.json` (`zonedesk train-intent`) weigh them. A question is out of scope when the model's
probability for it reaches the operating point chosen by cross-validation, and never when its best measure
is strong evidence: cue lists may lower an answer's standing, never refuse what the library answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from common.ask import Intent
from common.documents import DocumentLevel
from faq.entries import Category
from faq.intent_features import IntentFeatures
from faq.intent_model import IntentModel
from faq.lexicon import IntentCues
from faq.retrieve import Retrieval


@dataclass(frozen=True, slots=True)
class IntentThresholds:
    """Knobs of the decision the model does not learn."""

    strong_evidence: float = 0.8  # a best measure scoring this much is never refused as out of scope


@dataclass(frozen=True, slots=True)
class Classification:
    """The intent, for a service question its category, and the features the models weighed."""

    intent: Intent
    category: Category | None = None
    features: Mapping[str, float] = field(default_factory=dict, compare=False)


class IntentClassifier:
    """Classifies normalised questions with one set of cues, one library and one learned model."""

    def __init__(
        self,
        cues: IntentCues,
        model: IntentModel,
        *,
        domain_terms: Iterable[str] = (),
        thresholds: IntentThresholds | None = None,
        foreign_places: Iterable[str] = (),
        category_measures: Mapping[Category, frozenset[str]] | None = None,
        measure_words: Iterable[Iterable[str]] = (),
    ) -> None:
        self.model = model
        self.thresholds = thresholds or IntentThresholds()
        self.features = IntentFeatures(
            cues,
            domain_terms=domain_terms,
            foreign_places=foreign_places,
            category_measures=category_measures,
            measure_words=measure_words,
        )
        self._levels = tuple(
            (DocumentLevel(level), pattern)
            for level, words in cues.levels.items()
            if words and (pattern := re.compile("|".join(f"(?:{w})" for w in words)))
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
        features = self.features.extract(normalised, retrieval, words_of=words_of, covered=covered)
        intent = self.model.decide(
            self.model.intents(features), features, strong_evidence=self.thresholds.strong_evidence
        )
        category = self.model.best_category(features) if intent is Intent.SERVICE else None
        return Classification(intent, category, features)

    def levels(self, normalised: str) -> frozenset[DocumentLevel]:
        """The document levels the question names (区里 → zone and county)."""
        return frozenset(level for level, pattern in self._levels if pattern.search(normalised))
