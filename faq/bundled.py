"""The bundled FAQ and lexicon: the one place that reads faq/data and faq/lexicon."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from faq.confidence import ConfidenceModel, model_from_json
from faq.entries import FaqEntry, entries_from_records
from faq.intent_model import IntentModel, intent_model_from_json
from faq.lexicon import Lexicon, lexicon_from_mappings
from faq.ranking import RankingModel, ranking_from_json

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PACKAGE_DIR = Path(__file__).parent
FAQ_FILE = PACKAGE_DIR / "data" / "faq.yaml"
LEXICON_FILE = PACKAGE_DIR / "lexicon" / "lexicon.yaml"
INTENTS_FILE = PACKAGE_DIR / "lexicon" / "intents.yaml"
BILINGUAL_FILE = PACKAGE_DIR / "lexicon" / "bilingual.yaml"
CONFIDENCE_FILE = PACKAGE_DIR / "data" / "confidence.json"  # written by `zonedesk train-confidence`
RANKING_FILE = PACKAGE_DIR / "data" / "ranking.json"  # written by `zonedesk train-ranking`
INTENT_FILE = PACKAGE_DIR / "data" / "intent.json"  # written by `zonedesk train-intent`
# jieba's dictionary trimmed to frequent words and the corpus' words (scripts/build_jieba_dict.py).
DICTIONARY_FILE = PACKAGE_DIR / "lexicon" / "jieba_dict.txt"
BUNDLED_DOCUMENT_ID = "sichuan-hitech-zones-draft"
DIVISIONS = ("省", "市", "区", "县")  # suffixes of administrative regions


@dataclass(frozen=True, slots=True)
class Bundled:
    """The lexicon, FAQ entries and jieba dictionary shipped with zonedesk."""

    lexicon: Lexicon
    entries: tuple[FaqEntry, ...]
    dictionary: Path = DICTIONARY_FILE


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader, the C one when built


@cache  # the 930 KB dictionary is read once per process, not on every load_bundled()
def _places(path: Path) -> frozenset[str]:
    """Administrative regions the dictionary knows: `ns` words that are, or have, a 省/市/区/县 form (深圳, 南山区).

    Countries (美国) and words the dictionary mis-tags as places carry no such form.
    """
    with path.open(encoding="utf-8") as handle:
        rows = [line.split() for line in handle]
    words = {row[0] for row in rows if row}
    named = (row[0] for row in rows if len(row) == 3 and row[2] == "ns" and len(row[0]) >= 2)
    return frozenset(w for w in named if w.endswith(DIVISIONS) or any(f"{w}{d}" in words for d in DIVISIONS))


@cache  # immutable values: the YAML is parsed once per process, however many catalogues are built
def load_bundled() -> Bundled:
    """Read the bundled lexicon, bilingual terms, intent cues and FAQ (bare measure numbers: the seed document)."""
    lexicon = lexicon_from_mappings(_load(LEXICON_FILE) or {}, _load(INTENTS_FILE) or {}, _load(BILINGUAL_FILE) or {})
    entries = entries_from_records(_load(FAQ_FILE) or [], document_id=BUNDLED_DOCUMENT_ID)
    return Bundled(lexicon=replace(lexicon, places=_places(DICTIONARY_FILE)), entries=entries)


@cache
def load_confidence() -> ConfidenceModel:
    """The bundled confidence model (read once per process)."""
    with CONFIDENCE_FILE.open(encoding="utf-8") as handle:
        return model_from_json(json.load(handle))


@cache
def load_ranking() -> RankingModel:
    """The bundled re-ranker (read once per process)."""
    with RANKING_FILE.open(encoding="utf-8") as handle:
        return ranking_from_json(json.load(handle))


@cache
def load_intent_model() -> IntentModel:
    """The bundled intent and service-category model (read once per process)."""
    with INTENT_FILE.open(encoding="utf-8") as handle:
        return intent_model_from_json(json.load(handle))
