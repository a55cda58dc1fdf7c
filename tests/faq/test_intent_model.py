"""The learned intent model: a sparse softmax, its out-of-scope rule, and the features it weighs."""

from __future__ import annotations

import math

import pytest

from common.ask import Intent
from faq.bundled import load_intent_model
from faq.intent_model import IntentModel, InvalidIntentModel, LinearClassifier
from faq.matcher import Matcher
from faq.retrieve import MeasureHit, Retrieval

_CATEGORY = LinearClassifier(("housing", "other"), (0.0, 0.0), {"cuecat:housing": (2.0, 0.0)})


def _model(out_of_scope: float) -> IntentModel:
    intent = LinearClassifier(("out_of_scope", "policy"), (0.0, 0.0), {"cue:out_of_scope": (out_of_scope, 0.0)})
    return IntentModel(intent, _CATEGORY, out_of_scope_threshold=0.6)


def test_probabilities_are_a_softmax_and_unknown_features_weigh_nothing() -> None:
    classifier = LinearClassifier(("a", "b", "c"), (0.0, 1.0, 0.0), {"x": (1.0, 0.0, -1.0)})
    probabilities = classifier.probabilities({"x": 1.0, "never seen": 5.0})
    assert sum(probabilities.values()) == pytest.approx(1.0)
    expected = [math.exp(1.0), math.exp(1.0), math.exp(-1.0)]
    assert probabilities["a"] == pytest.approx(expected[0] / sum(expected))


def test_a_model_naming_a_class_outside_the_closed_sets_is_refused() -> None:
    stray = LinearClassifier(("policy", "gossip"), (0.0, 0.0), {})
    with pytest.raises(InvalidIntentModel):
        IntentModel(stray, _CATEGORY)
    with pytest.raises(InvalidIntentModel):
        IntentModel(_model(0.0).intent, LinearClassifier(("housing", "parking"), (0.0, 0.0), {}))


def test_a_likely_out_of_scope_question_is_refused_only_without_strong_evidence() -> None:
    model = _model(10.0)
    features = {"cue:out_of_scope": 1.0, "r:top": 0.3}
    probabilities = model.intents(features)
    assert model.decide(probabilities, features, strong_evidence=0.8) is Intent.OUT_OF_SCOPE
    strong = {**features, "r:top": 0.85}
    assert model.decide(model.intents(strong), strong, strong_evidence=0.8) is Intent.POLICY


def test_a_question_about_another_region_is_out_of_scope_unless_a_measure_answers_it_strongly() -> None:
    model = _model(0.0)
    elsewhere = {"cue:elsewhere": 1.0, "r:top": 0.4}
    assert model.decide(model.intents(elsewhere), elsewhere, strong_evidence=0.8) is Intent.OUT_OF_SCOPE
    answered = {"cue:elsewhere": 1.0, "r:top": 0.9}
    assert model.decide(model.intents(answered), answered, strong_evidence=0.8) is Intent.POLICY


def test_the_bundled_model_covers_every_intent_and_only_known_categories() -> None:
    model = load_intent_model()
    assert set(model.intent.classes) == {i.value for i in Intent}
    assert model.provenance["command"] == "zonedesk train-intent"


def test_the_weights_file_round_trips() -> None:
    model = _model(1.5)
    from faq.intent_model import intent_model_from_json

    assert intent_model_from_json(model.to_json()) == model


def test_an_out_of_scope_cue_the_best_measures_speak_of_yields_no_feature(matcher: Matcher) -> None:
    retrieval = Retrieval((MeasureHit("sichuan-hitech-zones-draft#10", 0.3, None),), None, 0.0, 1.0, 4.0)
    words = matcher.pipeline.analyzer.words
    spoken = matcher.classifier.features.extract("房租补贴怎么算", retrieval, words_of=words, covered=lambda _: True)
    unspoken = matcher.classifier.features.extract("房租补贴怎么算", retrieval, words_of=words, covered=lambda _: False)
    assert "cue:out_of_scope" not in spoken
    assert unspoken["cue:out_of_scope"] == 1.0


def test_evidence_is_weighed_in_units_of_a_rare_word_so_it_holds_for_any_library_size(matcher: Matcher) -> None:
    def evidence(total: float, rare_idf: float) -> float:
        retrieval = Retrieval((), None, 0.0, total, rare_idf)
        features = matcher.classifier.features.extract(
            "出纳的银行u盾丢了怎么挂失", retrieval, words_of=matcher.pipeline.analyzer.words, covered=lambda _: False
        )
        return features["r:evidence"]

    assert evidence(3.5, 4.0) == pytest.approx(evidence(7.0, 8.0))
    assert evidence(3.5, 4.0) > evidence(3.5, 5.5)


def test_a_twin_with_another_intent_model_leaves_the_matcher_as_it_was(matcher: Matcher) -> None:
    # Training cross-fits the intent model per writer on one index: the twin must not change the served matcher.
    everything_is_chitchat = IntentModel(
        intent=LinearClassifier(
            tuple(i.value for i in Intent), tuple(5.0 if i is Intent.CHITCHAT else 0.0 for i in Intent), {}
        ),
        category=load_intent_model().category,
        out_of_scope_threshold=load_intent_model().out_of_scope_threshold,
    )
    question = "研发费用加计扣除比例是多少"
    before = matcher.match(question).intent
    twin = matcher.with_models(intent_model=everything_is_chitchat)
    assert twin.match(question).intent is Intent.CHITCHAT
    assert matcher.match(question).intent is before is Intent.POLICY
    assert matcher.classifier.model == load_intent_model()
