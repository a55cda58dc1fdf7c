"""The app's matcher: built once per policy library, the tokenizer once per process."""

from __future__ import annotations

from functools import lru_cache

from faq.bundled import load_bundled
from faq.matcher import Matcher, TextPipeline, build_matcher
from policy_index.library import PolicyLibrary


@lru_cache(maxsize=1)
def _pipeline() -> TextPipeline:
    bundled = load_bundled()
    return TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)


@lru_cache(maxsize=8)
def matcher_for(library: PolicyLibrary) -> Matcher:
    """The matcher over `library`'s measures and the bundled FAQ (cached per library object)."""
    return build_matcher(library.measures(), bundled=load_bundled(), pipeline=_pipeline())
