"""Chinese text normalisation: width, script, case and punctuation folding, typo repair, synonyms.

`Normaliser.normalise` is idempotent: it repeats its passes until the text stops changing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import opencc

from faq.lexicon import Lexicon
from faq.repair import Repairer

_SPACES = re.compile(r"\s+")
_MAX_PASSES = 4
CACHE_SIZE = 4096  # recent questions; cleared when full (no LRU bookkeeping on the hot path)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _is_separator(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PSZC"


def fold(text: str) -> str:
    """NFKC (full → half width), traditional → simplified, lower case, punctuation → one space."""
    text = unicodedata.normalize("NFKC", text)
    text = str(_converter().convert(text)).lower()
    text = "".join(" " if _is_separator(char) else char for char in text)
    return _SPACES.sub(" ", text).strip()


class Normaliser:
    """Folds text and rewrites slips and synonyms into the document's wording, using one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        phrases: dict[str, str] = {}
        for term in lexicon.vocabulary:
            folded = fold(term)
            if folded:
                phrases[folded] = folded
        for typed, canonical in {**lexicon.english, **lexicon.synonyms}.items():
            key, value = fold(typed), fold(canonical)
            if key and value and key != value:
                phrases[key] = value
        by_first: dict[str, list[str]] = {}
        for phrase in phrases:
            by_first.setdefault(phrase[0], []).append(phrase)
        self._phrases = phrases
        self._by_first = {c: tuple(sorted(ps, key=len, reverse=True)) for c, ps in by_first.items()}
        self._repairer = Repairer(phrases)
        self._cache: dict[tuple[str, bool], str] = {}

    @property
    def phrases(self) -> dict[str, str]:
        """Folded phrase → the canonical phrase it stands for."""
        return dict(self._phrases)

    def normalise(self, text: str, *, repair: bool = True) -> str:
        """The normal form of `text`; never raises. `repair=False` skips typo repair (authored texts)."""
        key = (text, repair)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._normalise(text, repair)
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def clear_cache(self) -> None:
        """Forget cached normal forms (benchmarks measure uncached work)."""
        self._cache.clear()

    def normal_forms(self) -> dict[tuple[str, bool], str]:
        """(text, repair) → normal form for the texts normalised so far (at most CACHE_SIZE): plain data to save."""
        return dict(self._cache)

    def remember(self, forms: Mapping[tuple[str, bool], str]) -> None:
        """Take normal forms computed earlier (by `normal_forms` over the same lexicon) as already computed."""
        self._cache.update(dict(list(forms.items())[: CACHE_SIZE - len(self._cache)]))

    def _normalise(self, text: str, repair: bool) -> str:
        current = fold(text)
        for _ in range(_MAX_PASSES):
            repaired = self._repairer.repair(current) if repair else current
            following = fold(self._expand(repaired))
            if following == current:
                break
            current = following
        return current

    def _expand(self, text: str) -> str:
        """Replace typed forms by canonical ones, longest match first, left to right."""
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            found = None
            for phrase in self._by_first.get(text[i], ()):
                if text.startswith(phrase, i) and _bounded(text, i, i + len(phrase)):
                    found = phrase
                    break
            if found is None:
                out.append(text[i])
                i += 1
                continue
            canonical = self._phrases[found]
            out.append(_spaced(canonical, text, i, i + len(found)))
            i += len(found)
        return "".join(out)


def _is_latin(char: str) -> bool:
    return "a" <= char <= "z" or "0" <= char <= "9"


def _bounded(text: str, start: int, end: int) -> bool:
    """A latin phrase must not be cut out of a longer latin word (`abs` in `absolute`)."""
    if _is_latin(text[start]) and start > 0 and _is_latin(text[start - 1]):
        return False
    return not (_is_latin(text[end - 1]) and end < len(text) and _is_latin(text[end]))


def _spaced(canonical: str, text: str, start: int, end: int) -> str:
    """Keep a latin canonical form apart from adjacent latin letters so it stays one word."""
    left = " " if canonical and _is_latin(canonical[0]) and start > 0 and _is_latin(text[start - 1]) else ""
    right = " " if canonical and _is_latin(canonical[-1]) and end < len(text) and _is_latin(text[end]) else ""
    return f"{left}{canonical}{right}"
