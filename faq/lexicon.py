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
    levels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # document level → words naming it


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Terms (kept whole by the tokeniser), synonyms (typed form → document wording), stopwords, cues.

    `english` rewrites like the synonyms, but its targets are not domain terms: an English question about
    the weather in Chengdu is no more about the policy than the Chinese one.
    """

    terms: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    english: Mapping[str, str] = field(default_factory=dict)  # English term → the documents' Chinese term
    stopwords: frozenset[str] = frozenset()
    cues: IntentCues = field(default_factory=IntentCues)
    places: frozenset[str] = frozenset()  # place names (the jieba dictionary's `ns` words)

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


def _plural(term: str) -> str | None:
    """The plural of an English noun phrase's last word (None for verbs' forms and non-words)."""
    if not term[-1:].isalpha() or term.endswith(("s", "ed", "ing")):
        return None
    if term.endswith("y") and term[-2:-1] not in "aeiou":
        return f"{term[:-1]}ies"
    return f"{term}es" if term.endswith(("x", "ch", "sh")) else f"{term}s"


def _with_plurals(english: Mapping[object, object]) -> dict[str, str]:
    """English terms and the plurals of their last word, each to its Chinese term."""
    out: dict[str, str] = {}
    for key, value in english.items():
        term, target = str(key), str(value)
        out[term] = target
        if (plural := _plural(term)) is not None:
            out.setdefault(plural, target)
    return out


def lexicon_from_mappings(
    lexicon: Mapping[str, object], intents: Mapping[str, object], bilingual: Mapping[str, object] | None = None
) -> Lexicon:
    """A lexicon from the parsed `lexicon.yaml`, `intents.yaml` and (optionally) `bilingual.yaml`.

    The bilingual terms (English → the documents' Chinese) become `english`, its stopwords join the stopwords.
    """
    bilingual = bilingual or {}
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
        levels={
            str(level): _strings(words, f"levels.{level}")
            for level, words in _mapping(intents.get("levels"), "levels").items()
        },
    )
    return Lexicon(
        terms=_strings(lexicon.get("terms"), "terms"),
        synonyms=synonyms,
        english=_with_plurals(_mapping(bilingual.get("terms"), "bilingual.terms")),
        stopwords=frozenset(_strings(lexicon.get("stopwords"), "stopwords"))
        | frozenset(_strings(bilingual.get("stopwords"), "bilingual.stopwords")),
        cues=cues,
    )
