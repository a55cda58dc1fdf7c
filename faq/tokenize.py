"""Tokens for retrieval: jieba with the domain dictionary, built once per process and passed in."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import jieba

from faq.lexicon import Lexicon
from faq.normalise import fold

# Function words that carry no topic: dropped on top of the lexicon's stopwords.
_STOP_CHARS = frozenset(
    "的了是吗呢吧啊呀么嘛哦哈啦呗在和与或及等也都就还又很更最把被让给对向从到为于之其这那个些有没要能会可想请问"
)


CACHE_SIZE = 4096  # cut texts kept; cleared when full, like the normaliser's cache

# High enough that a domain term beats any split into dictionary words; fixed, so no `suggest_freq` per term.
TERM_FREQUENCY = 100_000


def load_dictionary(tokenizer: jieba.Tokenizer, cache_dir: Path | None) -> None:
    """Load the tokenizer's dictionary: through jieba's cache file in `cache_dir`, or parsed afresh when None.

    jieba's own default is a cache at a predictable path in the shared temp directory, read back with
    `marshal`; the cache must live in a directory only this account can write (the app's data directory).
    """
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if cache_dir is None:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        tokenizer.initialized = True
        return
    tokenizer.tmp_dir = str(cache_dir)
    tokenizer.initialize()


def build_tokenizer(
    terms: Iterable[str], dictionary: Path | None = None, *, cache_dir: Path | None = None
) -> jieba.Tokenizer:
    """A fresh jieba tokenizer over `dictionary` (jieba's default when None) with `terms` kept whole.

    With `cache_dir` (a private directory) the parsed dictionary is cached there, so later processes load fast.
    """
    tokenizer = jieba.Tokenizer(str(dictionary)) if dictionary else jieba.Tokenizer()
    load_dictionary(tokenizer, cache_dir)
    for term in sorted(set(terms)):
        if term and " " not in term:
            tokenizer.add_word(term, freq=TERM_FREQUENCY)
    return tokenizer


class Analyzer:
    """Cuts normalised text into content tokens: domain terms whole, plus their dictionary sub-words."""

    def __init__(self, tokenizer: jieba.Tokenizer, lexicon: Lexicon) -> None:
        self._tokenizer = tokenizer
        self._stopwords = frozenset(fold(w) for w in lexicon.stopwords) | _STOP_CHARS
        self._cache: dict[str, tuple[str, ...]] = {}

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The jieba tokenizer with the domain dictionary."""
        return self._tokenizer

    def words(self, normalised: str) -> tuple[str, ...]:
        """Content words of already-normalised text, in order, repeats kept."""
        cached = self._cache.get(normalised)
        if cached is None:
            cut: Iterable[str] = self._tokenizer.cut(normalised, HMM=False)
            cached = tuple(w for w in cut if w.strip() and w not in self._stopwords)
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[normalised] = cached
        return cached

    def clear_cache(self) -> None:
        """Forget cut texts (benchmarks measure uncached work)."""
        self._cache.clear()

    def cut_texts(self) -> dict[str, tuple[str, ...]]:
        """The texts cut so far (at most CACHE_SIZE) → their content words: plain data to save."""
        return dict(self._cache)

    def remember(self, cut: Mapping[str, tuple[str, ...]]) -> None:
        """Take texts cut earlier (by `cut_texts` with the same tokenizer and lexicon) as already cut."""
        self._cache.update(dict(list(cut.items())[: CACHE_SIZE - len(self._cache)]))

    def tokens(self, words: Iterable[str]) -> tuple[str, ...]:
        """Search tokens: each word plus the dictionary words inside it (as jieba's `cut_for_search`)."""
        frequencies: dict[str, int] = self._tokenizer.FREQ
        out: list[str] = []
        for word in words:
            for size in (2, 3):
                if len(word) > size:
                    grams = (word[i : i + size] for i in range(len(word) - size + 1))
                    out.extend(g for g in grams if frequencies.get(g) and g not in self._stopwords)
            out.append(word)
        return tuple(out)


def lexicon_terms(lexicon: Lexicon) -> frozenset[str]:
    """The folded words the tokenizer must keep whole: terms, synonyms (both sides), English targets, stopwords."""
    words = set(lexicon.vocabulary) | set(lexicon.synonyms) | set(lexicon.english.values()) | set(lexicon.stopwords)
    return frozenset(fold(w) for w in words if fold(w))
