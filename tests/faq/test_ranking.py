"""The learned re-ranker: what it may move, what its weights file must hold, and what its features read."""

from __future__ import annotations

import dataclasses

import pytest

from common.documents import DocumentLevel, DocumentStatus
from faq.bundled import load_ranking
from faq.candidates import CANDIDATE_FEATURES, MONOTONE_CANDIDATE_FEATURES
from faq.matcher import Matcher, TextPipeline
from faq.ranking import TIE, InvalidRankingModel, RankingModel, ranking_from_json, reorder
from faq.retrieve import MeasureHit
from policy_index.document import Document, DocumentMeta, Measure, Numbering
from policy_index.library import PolicyLibrary


def _doc(doc_id: str, measures: list[tuple[str, str]], *, issuer: str | None = None) -> Document:
    parsed = tuple(
        Measure(doc_id, n, f"{n}.", head, body, None, ("经信局",)) for n, (head, body) in enumerate(measures, 1)
    )
    meta = DocumentMeta(level=DocumentLevel.COUNTY, status=DocumentStatus.IN_FORCE, issuer=issuer)
    return Document(doc_id, "关于支持先进制造业高质量发展的若干政策", Numbering.ARABIC, (), parsed, meta)


SCALE = _doc(
    "county-scale",
    [
        ("支持技术改造", "对设备投资500万元以上的技术改造项目，按投资额的15%给予补助。"),
        ("支持企业规模发展", "对首次纳入规模以上工业统计的企业，给予10万元奖励。"),
    ],
    issuer="成都市双流区人民政府",
)


def test_only_the_given_slots_move_and_ties_keep_their_order() -> None:
    assert reorder(["a", "b", "c", "d"], [1, 3], [0.0, 1.0]) == ["a", "d", "c", "b"]
    assert reorder(["a", "b", "c"], [0, 1, 2], [1.0, 1.0, 0.0]) == ["a", "b", "c"]


def test_among_candidates_about_as_good_the_more_specific_document_goes_first() -> None:
    preferences = [(1, 1), (4, 1), (4, 1)]  # provincial, zone, zone
    assert reorder(["p", "z1", "z2"], [0, 1, 2], [1.0, 1.0 - TIE / 2, 0.0], preferences)[0] == "z1"
    assert reorder(["p", "z1", "z2"], [0, 1, 2], [1.0, 1.0 - 2 * TIE, 0.0], preferences)[0] == "p"


def test_an_untrained_model_keeps_the_first_ranking(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    untrained = Matcher(library.documents, matcher.entries, pipeline=pipeline, ranking=RankingModel.untrained())
    question = "高新区的研发后补助和加计扣除"
    first = untrained.candidates_of(question).measure_ids
    assert [m.measure_id for m in untrained.match(question, limit=None).matches] == list(first)


def test_a_measure_of_a_document_no_longer_current_keeps_its_place() -> None:
    model = dataclasses.replace(RankingModel.untrained(), weights=(1.0,) + (0.0,) * (len(CANDIDATE_FEATURES) - 1))
    hits = (MeasureHit("old#1", 0.5, None), MeasureHit("new#1", 0.4, None), MeasureHit("new#2", 0.3, None))
    rows = {"new#1": 0.1, "new#2": 0.9}  # the first feature decides: new#2 before new#1

    def features(candidates: object) -> list[tuple[float, ...]]:
        assert isinstance(candidates, list)
        return [(rows[h.measure_id],) + (0.0,) * (len(CANDIDATE_FEATURES) - 1) for h in candidates]

    reranked = model.rerank(hits, features, current=lambda m: m != "old#1", preference=lambda _: (0, 0))
    assert [h.measure_id for h in reranked.hits] == ["old#1", "new#2", "new#1"]
    assert [h.score for h in reranked.hits] == [0.5, 0.4, 0.3]  # the i-th keeps the i-th best score
    assert [h.score for h in reranked.own] == [0.5, 0.3, 0.4]  # each its own, for the confidence model
    assert reranked.margin == pytest.approx(0.8)


def test_the_weights_file_round_trips_and_refuses_other_features() -> None:
    model = load_ranking()
    assert ranking_from_json(model.to_json()) == model
    data = model.to_json()
    with pytest.raises(InvalidRankingModel):
        ranking_from_json({**data, "features": data["features"][1:]})  # type: ignore[index]
    with pytest.raises(InvalidRankingModel):
        ranking_from_json({**data, "depth": 0})


def test_the_bundled_model_never_counts_evidence_against_a_candidate() -> None:
    model = load_ranking()
    weights = dict(zip(model.names, model.weights, strict=True))
    assert all(weights[name] >= 0 for name in MONOTONE_CANDIDATE_FEATURES)
    assert any(weights[name] > 0 for name in MONOTONE_CANDIDATE_FEATURES)


def test_candidate_rows_read_the_issuers_place_and_the_numbers_stated(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    with_scale = Matcher([*library.documents, SCALE], matcher.entries, pipeline=pipeline)
    found = with_scale.candidates_of("双流 首次进规 奖10万吗")
    rows = {
        found.measure_ids[i]: dict(zip(CANDIDATE_FEATURES, row, strict=True))
        for i, row in zip(found.slots, found.rows, strict=True)
    }
    scale, upgrade = rows["county-scale#2"], rows["county-scale#1"]
    assert scale["document_coverage"] > 0  # 双流 is in the issuer, not the title
    assert scale["numbers"] == 1.0
    assert upgrade["numbers"] == 0.0
    assert with_scale.match("双流 首次进规 奖10万吗").matches[0].measure_id == "county-scale#2"


def test_a_question_echoing_another_candidates_title_is_told_to_the_confidence_model() -> None:
    size = len(CANDIDATE_FEATURES)
    title = CANDIDATE_FEATURES.index("title_similarity")
    model = dataclasses.replace(RankingModel.untrained(), weights=(1.0,) + (0.0,) * (size - 1))
    hits = (MeasureHit("doc#1", 0.5, None), MeasureHit("doc#2", 0.4, None))
    echo = {"doc#1": 0.5, "doc#2": 1.0}  # the question quotes doc#2's title, yet doc#1 scores higher

    def features(candidates: object) -> list[tuple[float, ...]]:
        assert isinstance(candidates, list)
        return [
            tuple(
                1.0 if h.measure_id == "doc#1" and i == 0 else echo[h.measure_id] if i == title else 0.0
                for i in range(size)
            )
            for h in candidates
        ]

    reranked = model.rerank(hits, features, current=lambda _: True, preference=lambda _: (0, 0))
    assert reranked.hits[0].measure_id == "doc#1"
    assert (reranked.title_echo, reranked.other_title_echo) == (-0.5, 1.0)
