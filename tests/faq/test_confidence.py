"""The learned confidence model: its weights file, its monotonicity, and that the matcher decides with it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from faq.bundled import Bundled, load_confidence
from faq.confidence import ConfidenceModel, InvalidConfidenceModel, model_from_json
from faq.features import FEATURE_NAMES, MONOTONE_FEATURES, Features
from faq.matcher import Matcher, TextPipeline, build_matcher
from policy_index.library import PolicyLibrary

QUESTIONS = ("研发费用加计扣除比例是多少", "人才公寓怎么申请", "高企认定有什么奖励", "园区食堂几点开门", "IPO有补贴么")


def test_bundled_weights_file_lists_the_features_the_matcher_computes() -> None:
    model = load_confidence()
    assert model.names == FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0
    assert model.provenance["command"] == "zonedesk train-confidence"
    assert {s["writer"] for s in model.provenance["sets"]} >= {"one-voice", "finance_questions"}


def test_weights_file_with_other_features_is_refused() -> None:
    data = load_confidence().to_json()
    rows = data["features"]
    assert isinstance(rows, list)
    with pytest.raises(InvalidConfidenceModel):
        model_from_json({**data, "features": rows[:-1]})
    with pytest.raises(InvalidConfidenceModel):
        model_from_json({**data, "features": [{**rows[0], "name": "made_up"}, *rows[1:]]})


def test_weights_file_round_trips_through_json() -> None:
    model = load_confidence()
    assert model_from_json(model.to_json()) == model


def test_monotone_features_never_weigh_against_the_answer() -> None:
    model = load_confidence()
    for name in MONOTONE_FEATURES:
        assert model.weights[FEATURE_NAMES.index(name)] >= 0.0, name


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("name", sorted(MONOTONE_FEATURES))
def test_much_more_evidence_never_lowers_the_probability(matcher: Matcher, question: str, name: str) -> None:
    features = matcher.match(question).features
    assert features is not None
    model = load_confidence()
    values = list(features.values)
    values[FEATURE_NAMES.index(name)] += 0.5
    assert model.probability(Features(tuple(values))) >= model.probability(features)


def test_a_much_larger_margin_makes_a_doubtful_answer_confident() -> None:
    model = load_confidence()
    base = Features(tuple(model.means))  # the average question
    values = list(base.values)
    values[FEATURE_NAMES.index("margin")] += 20 * model.scales[FEATURE_NAMES.index("margin")]
    assert model.probability(Features(tuple(values))) > model.probability(base)


def _planted(intercept: float) -> ConfidenceModel:
    return replace(ConfidenceModel.untrained(), intercept=intercept)


def test_confidence_is_decided_by_the_model(library: PolicyLibrary, bundled: Bundled, pipeline: TextPipeline) -> None:
    trained = build_matcher(library.documents, bundled=bundled, pipeline=pipeline)
    refusing = build_matcher(library.documents, bundled=bundled, pipeline=pipeline, confidence=_planted(-20.0))
    accepting = build_matcher(library.documents, bundled=bundled, pipeline=pipeline, confidence=_planted(20.0))
    sure, doubtful = "IPO有补贴么", "那个补贴的事情问一下"
    assert trained.match(sure).confident is True
    assert refusing.match(sure).confident is False
    assert refusing.match(sure).matches == trained.match(sure).matches  # the ranking is not the model's
    assert (trained.match(doubtful).intent.value, trained.match(doubtful).confident) == ("policy", False)
    assert accepting.match(doubtful).confident is True
    assert accepting.match(doubtful).probability == pytest.approx(1.0)


def test_model_survives_an_admin_edit_of_the_faq(matcher: Matcher) -> None:
    planted = _planted(-20.0)
    edited = Matcher(matcher.documents, matcher.entries, pipeline=matcher.pipeline, confidence=planted)
    assert edited.with_entries(matcher.entries).confidence is planted


def test_matching_never_imports_scikit_learn() -> None:
    code = (
        "import sys\n"
        "from faq.matcher import build_matcher\n"
        "from policy_index.library import load_bundled_library\n"
        "build_matcher(load_bundled_library().documents).match('高企有啥支持')\n"
        "assert not any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules), 'sklearn imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
