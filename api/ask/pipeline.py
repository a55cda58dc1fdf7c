"""The process's text pipeline: one jieba tokenizer per process, seeded with the texts earlier processes analysed.

No database here: `zonedesk ask` builds its matcher with it without loading the ORM.
"""

from __future__ import annotations

from functools import lru_cache

from api.ask.analysis_cache import load_analysis
from api.data_dir import jieba_cache_dir
from faq.bundled import load_bundled
from faq.matcher import TextPipeline


@lru_cache(maxsize=1)
def pipeline() -> TextPipeline:
    """The normaliser and analyzer over the bundled lexicon: one jieba tokenizer per process, cached privately,
    seeded with the texts an earlier process analysed (`save_analysis`)."""
    bundled = load_bundled()
    made = TextPipeline(bundled.lexicon, dictionary=bundled.dictionary, cache_dir=jieba_cache_dir())
    load_analysis(made, jieba_cache_dir())
    return made
