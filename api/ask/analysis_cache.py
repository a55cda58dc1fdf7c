"""Texts already analysed, kept in the data directory so that a later process does not analyse them again.

Building a matcher normalises and cuts every measure and FAQ text of the library snapshot (most of a
cold start's CPU). The file holds that work as plain data (JSON: normal forms and content words, keyed
by the text), stamped with a fingerprint of everything the analysis depends on (lexicon, dictionary,
the analysis code and library versions), so a stale file is ignored. Keys are the texts themselves, so a
new library snapshot reuses what it shares with the old one and the file is rewritten with its own texts.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from api.data_dir import replace_private_json
from faq import bundled, normalise, repair, tokenize
from faq.matcher import TextPipeline

ANALYSIS_FILE = "analysis.json"
FORMAT = 1
ANALYSIS_LIBRARIES = ("jieba", "pypinyin", "opencc", "rapidfuzz")  # their versions are part of the fingerprint


@cache
def analysis_fingerprint() -> str:
    """A digest of what the normal forms and cuts depend on: bundled lexicon and dictionary, code, libraries."""
    libraries = " ".join(version(name) for name in ANALYSIS_LIBRARIES)
    digest = hashlib.sha256(f"{FORMAT} {libraries}".encode())
    sources = (normalise.__file__, repair.__file__, tokenize.__file__)
    for path in (bundled.LEXICON_FILE, bundled.INTENTS_FILE, bundled.BILINGUAL_FILE, bundled.DICTIONARY_FILE):
        digest.update(path.read_bytes())
    for source in sources:
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def _read(directory: Path) -> tuple[dict[tuple[str, bool], str], dict[str, tuple[str, ...]]]:
    """The saved normal forms and cuts; empty when absent, unreadable or stale."""
    try:
        data = json.loads((directory / ANALYSIS_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("fingerprint") != analysis_fingerprint():
            return {}, {}
        forms = {(text, bool(repaired)): form for text, repaired, form in data["normal_forms"]}
        cut = {text: tuple(words) for text, words in data["words"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}  # absent, unreadable or of another format: analyse afresh
    return forms, cut


def load_analysis(pipeline: TextPipeline, directory: Path) -> int:
    """Seed `pipeline` with the texts analysed by an earlier process; how many were taken (0: none or stale)."""
    forms, cut = _read(directory)
    pipeline.remember(forms, cut)
    return len(forms) + len(cut)


def save_analysis(pipeline: TextPipeline, directory: Path) -> bool:
    """Write what `pipeline` has analysed, when it analysed texts since `load_analysis`; whether written.

    Written to a private temporary file and renamed, so a concurrent reader sees the old file or the new one.
    """
    if not pipeline.learned():
        return False
    forms, cut = pipeline.analysed()
    payload = {
        "fingerprint": analysis_fingerprint(),
        "normal_forms": [[text, repaired, form] for (text, repaired), form in forms.items()],
        "words": {text: list(words) for text, words in cut.items()},
    }
    # A read-only data directory only costs the next start its analysis.
    return replace_private_json(directory / ANALYSIS_FILE, payload)
