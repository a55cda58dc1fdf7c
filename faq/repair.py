"""Typo and homophone repair against lexicon phrases: `加记扣除` → `加计扣除`, `gaoqi` → `高企`.

A window of the text that differs from a phrase of the same length in one character is replaced by
the phrase when the two characters sound alike (pypinyin, with the fuzzy initials and finals of
south-western Mandarin) or, for longer phrases, when their syllables are close (rapidfuzz).
Whole latin words that spell a phrase's pinyin (`gaoqi`, `tianfu`) become the phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache

from rapidfuzz.distance import Levenshtein

MIN_REPAIR_LENGTH = 3  # two-character homophones are too often real words
MIN_FUZZY_LENGTH = 4
FUZZY_SYLLABLE_SIMILARITY = 0.6
MIN_LATIN_PINYIN = 4
_LATIN_WORD = re.compile(r"[a-z]+")
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"))


def is_han(char: str) -> bool:
    """Whether the character is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=20000)
def syllable(char: str) -> str:
    """The toneless pinyin of one character (its most common reading), folded for fuzzy sounds."""
    if not is_han(char):
        return char
    sound = _pinyin(char)[0]
    for fuzzy, plain in _FUZZY:
        sound = sound.replace(fuzzy, plain)
    if sound.startswith("l"):
        sound = "n" + sound[1:]
    return sound


def _sound_alike(typed: str, meant: str, length: int) -> bool:
    a, b = syllable(typed), syllable(meant)
    if a == b:
        return True
    return length >= MIN_FUZZY_LENGTH and Levenshtein.normalized_similarity(a, b) >= FUZZY_SYLLABLE_SIMILARITY


class Repairer:
    """Repairs slips towards a fixed set of phrases."""

    def __init__(self, phrases: Iterable[str], *, is_word: Callable[[str], bool] = lambda _: False) -> None:
        """`is_word` names dictionary words: a slip is not read where the typed character forms one with its
        neighbour outside the phrase (财政补助 is not 财政部 + 助)."""
        self._is_word = is_word
        self._known = frozenset(phrases)
        masks: dict[str, list[tuple[str, int]]] = {}
        for phrase in self._known:
            if len(phrase) >= MIN_REPAIR_LENGTH and all(is_han(c) for c in phrase):
                for i in range(len(phrase)):
                    masks.setdefault(_mask(phrase, i), []).append((phrase, i))
        self._masks = {k: tuple(sorted(v)) for k, v in masks.items()}
        # A slip keeps the first or the second character of the phrase: index lengths by both.
        by_char: dict[tuple[int, str], set[int]] = {}
        for phrase in {p for v in masks.values() for p, _ in v}:
            by_char.setdefault((0, phrase[0]), set()).add(len(phrase))
            by_char.setdefault((1, phrase[1]), set()).add(len(phrase))
        self._lengths_at = {k: frozenset(v) for k, v in by_char.items()}
        self._known_lengths = tuple(sorted({len(p) for p in self._known if len(p) >= 2}, reverse=True))

    @cached_property
    def _latin(self) -> dict[str, str]:
        """A phrase's pinyin spelled out (`gaoqi`) → the phrase; built when a text first holds a latin word."""
        latin: dict[str, str] = {}
        for phrase in self._known:
            if all(is_han(c) for c in phrase):
                spelled = "".join(_pinyin(phrase))
                if len(spelled) >= MIN_LATIN_PINYIN:
                    latin.setdefault(spelled, phrase)
        return latin

    def repair(self, text: str) -> str:
        """`text` with slips replaced by the phrases they were meant to be."""
        if _LATIN_WORD.search(text) and self._latin:
            text = _LATIN_WORD.sub(lambda m: self._latin.get(m.group(0), m.group(0)), text)
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            replacement = self._known_at(text, i) or self._repair_at(text, i)
            if replacement is None:
                out.append(text[i])
                i += 1
            else:
                out.append(replacement)
                i += len(replacement)
        return "".join(out)

    def _known_at(self, text: str, start: int) -> str | None:
        """A correct phrase starting here is kept whole, so no slip is read into it."""
        for length in self._known_lengths:
            if text[start : start + length] in self._known:
                return text[start : start + length]
        return None

    def _breaks(self, text: str, start: int, length: int, i: int) -> bool:
        """Whether the typed character at `start + i` forms a word with its neighbour outside the window."""
        at = start + i
        if i == 0 and at > 0 and self._is_word(text[at - 1 : at + 1]):
            return True
        return i == length - 1 and at + 1 < len(text) and self._is_word(text[at : at + 2])

    def _repair_at(self, text: str, start: int) -> str | None:
        first = self._lengths_at.get((0, text[start]), frozenset())
        second = self._lengths_at.get((1, text[start + 1]), frozenset()) if start + 1 < len(text) else frozenset()
        for length in sorted(first | second, reverse=True):
            window = text[start : start + length]
            if len(window) < length or window in self._known or not all(is_han(c) for c in window):
                continue
            for i in range(length):
                for phrase, position in self._masks.get(_mask(window, i), ()):
                    if (
                        position == i
                        and _sound_alike(window[i], phrase[i], length)
                        and not self._breaks(text, start, length, i)
                    ):
                        return phrase
        return None


def _pinyin(text: str) -> list[str]:
    """The toneless pinyin of each character; pypinyin's dictionaries load on first use, not at import."""
    from pypinyin import lazy_pinyin  # 0.2 s of import that most questions never need

    return lazy_pinyin(text)


def _mask(text: str, i: int) -> str:
    return f"{text[:i]}\0{text[i + 1 :]}"
