"""Fixtures for the matcher: the bundled lexicon and FAQ, the tokenizer and matcher built once."""

from __future__ import annotations

import pytest

from faq.bundled import Bundled, load_bundled
from faq.matcher import Matcher, TextPipeline, build_matcher
from policy_index.library import PolicyLibrary


@pytest.fixture(scope="session")
def bundled() -> Bundled:
    """The bundled lexicon and FAQ entries."""
    return load_bundled()


@pytest.fixture(scope="session")
def pipeline(bundled: Bundled) -> TextPipeline:
    """Normaliser and analyzer with the domain dictionary (one jieba tokenizer per session)."""
    return TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)


@pytest.fixture(scope="session")
def matcher(library: PolicyLibrary, bundled: Bundled, pipeline: TextPipeline) -> Matcher:
    """The matcher over the bundled documents and FAQ."""
    return build_matcher(library.documents, bundled=bundled, pipeline=pipeline)
