"""The domain lexicon: terms for the tokeniser, synonyms, stopwords and the cue words of intents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from faq.entries import Category


class InvalidLexicon(ValueError):
    """A lexicon file has the wrong shape."""


@dataclass(frozen=True, slots=True)
class IntentCues:
    """Cue phrases (already normalised) that mark an intent or a service category."""

    chitchat: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    weak_service: tuple[str, ...] = ()
    eligibility: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    definition: tuple[str, ...] = ()
    generic_terms: frozenset[str] = frozenset()
    out_of_scope: tuple[str, ...] = ()
    categories: Mapping[Category, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Terms (kept whole by the tokeniser), synonyms (typed form → document wording), stopwords, cues."""

    terms: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    cues: IntentCues = field(default_factory=IntentCues)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every canonical term: the terms and the synonyms' targets."""
        return frozenset(self.terms) | frozenset(self.synonyms.values())


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise InvalidLexicon(f"词表 {where} 须为字符串列表 (must be a list of strings)")
    return tuple(str(v) for v in value)


def _mapping(value: object, where: str) -> Mapping[object, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidLexicon(f"词表 {where} 须为映射 (must be a mapping)")
    return value


def lexicon_from_mappings(lexicon: Mapping[str, object], intents: Mapping[str, object]) -> Lexicon:
    """A lexicon from the parsed `lexicon.yaml` and `intents.yaml`."""
    synonyms = {str(k): str(v) for k, v in _mapping(lexicon.get("synonyms"), "synonyms").items()}
    categories = {
        Category(str(name)): _strings(words, f"categories.{name}")
        for name, words in _mapping(intents.get("categories"), "categories").items()
    }
    cues = IntentCues(
        chitchat=_strings(intents.get("chitchat"), "chitchat"),
        service=_strings(intents.get("service"), "service"),
        weak_service=_strings(intents.get("weak_service"), "weak_service"),
        eligibility={
            str(group): _strings(words, f"eligibility.{group}")
            for group, words in _mapping(intents.get("eligibility"), "eligibility").items()
        },
        definition=_strings(intents.get("definition"), "definition"),
        generic_terms=frozenset(_strings(intents.get("generic_terms"), "generic_terms")),
        out_of_scope=_strings(intents.get("out_of_scope"), "out_of_scope"),
        categories=categories,
    )
    return Lexicon(
        terms=_strings(lexicon.get("terms"), "terms"),
        synonyms=synonyms,
        stopwords=frozenset(_strings(lexicon.get("stopwords"), "stopwords")),
        cues=cues,
    )
