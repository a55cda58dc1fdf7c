"""The analysed library texts saved in the data directory: reused by the next process, ignored when stale."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from api.ask.analysis_cache import ANALYSIS_FILE, load_analysis, save_analysis
from faq.bundled import load_bundled
from faq.matcher import Matcher, TextPipeline
from policy_index.library import PolicyLibrary, load_bundled_library

QUESTIONS = ("高企有啥支持", "加记扣除怎么申请", "gaoqi 认定奖励", "今天天气怎么样", "研发费用补贴")


def _pipeline() -> TextPipeline:
    bundled = load_bundled()
    return TextPipeline(bundled.lexicon, dictionary=bundled.dictionary)


def _matcher(pipeline: TextPipeline, library: PolicyLibrary) -> Matcher:
    return Matcher(library.documents, load_bundled().entries, pipeline=pipeline)


@pytest.fixture(scope="module")
def library() -> PolicyLibrary:
    """The bundled documents."""
    return load_bundled_library()


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, library: PolicyLibrary) -> tuple[Path, Matcher]:
    """A data directory holding the analysis of a matcher built from scratch, and that matcher."""
    directory = tmp_path_factory.mktemp("data")
    pipeline = _pipeline()
    matcher = _matcher(pipeline, library)
    assert save_analysis(pipeline, directory)
    return directory, matcher


def test_saved_analysis_is_private_plain_json(saved: tuple[Path, Matcher]) -> None:
    directory, _ = saved
    path = directory / ANALYSIS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["normal_forms"]
    assert data["words"]


def test_seeded_pipeline_builds_without_analysing_and_answers_alike(
    saved: tuple[Path, Matcher], library: PolicyLibrary
) -> None:
    directory, fresh = saved
    pipeline = _pipeline()
    assert load_analysis(pipeline, directory) > 0
    seeded = _matcher(pipeline, library)
    assert not pipeline.learned()  # every library text came from the file
    assert not save_analysis(pipeline, directory)  # nothing new: the file is not rewritten
    for question in QUESTIONS:
        assert seeded.match(question).to_json() == fresh.match(question).to_json()


def test_stale_or_broken_file_is_ignored(saved: tuple[Path, Matcher], tmp_path: Path) -> None:
    directory, _ = saved
    data = json.loads((directory / ANALYSIS_FILE).read_text(encoding="utf-8"))
    data["fingerprint"] = "another lexicon"
    (tmp_path / ANALYSIS_FILE).write_text(json.dumps(data), encoding="utf-8")
    pipeline = _pipeline()
    assert load_analysis(pipeline, tmp_path) == 0
    (tmp_path / ANALYSIS_FILE).write_text("{not json", encoding="utf-8")
    assert load_analysis(pipeline, tmp_path) == 0
    assert pipeline.normaliser.normal_forms() == {}


def test_remembered_analysis_is_used_instead_of_recomputed() -> None:
    pipeline = _pipeline()
    pipeline.remember({("甲乙", False): "丙丁"}, {"丙丁": ("戊",)})
    assert pipeline.normaliser.normalise("甲乙", repair=False) == "丙丁"
    assert pipeline.analyzer.words("丙丁") == ("戊",)
    assert not pipeline.learned()
