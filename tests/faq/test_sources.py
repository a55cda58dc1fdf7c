"""Which document answers: the most specific current one first, others offered, no longer current never as current."""

from __future__ import annotations

import dataclasses

from common.documents import DocumentLevel, DocumentStatus
from faq.matcher import Matcher, TextPipeline
from faq.retrieve import MeasureHit
from faq.sources import Sources
from policy_index.document import Document, DocumentMeta, Measure, Numbering
from policy_index.library import PolicyLibrary

IPO_BODY = "对在上海证券交易所、深圳证券交易所首发上市的企业，给予最高500万元上市奖励。"


def _doc(
    doc_id: str, level: DocumentLevel, status: DocumentStatus = DocumentStatus.IN_FORCE, title: str = "支持企业上市"
) -> Document:
    measure = Measure(doc_id, 1, "1.", title, IPO_BODY, None, ("金融局",))
    return Document(doc_id, f"{doc_id}政策", Numbering.ARABIC, (), (measure,), DocumentMeta(level=level, status=status))


def test_the_most_specific_current_document_answers_among_close_hits() -> None:
    sources = Sources(
        [_doc("prov", DocumentLevel.PROVINCIAL), _doc("zone", DocumentLevel.ZONE), _doc("city", DocumentLevel.CITY)]
    )
    hits = (MeasureHit("prov#1", 0.9, None), MeasureHit("city#1", 0.87, None), MeasureHit("zone#1", 0.8, None))
    ordered = sources.prefer_specific(hits, floor=0.4)
    assert [h.measure_id for h in ordered] == ["city#1", "prov#1", "zone#1"]  # zone is too far below the best


def test_nothing_is_reordered_below_the_confidence_floor() -> None:
    sources = Sources([_doc("prov", DocumentLevel.PROVINCIAL), _doc("zone", DocumentLevel.ZONE)])
    hits = (MeasureHit("prov#1", 0.35, None), MeasureHit("zone#1", 0.3, None))
    assert sources.prefer_specific(hits, floor=0.4) == hits


def test_documents_no_longer_current_rank_below_current_peers() -> None:
    sources = Sources([_doc("old", DocumentLevel.ZONE, DocumentStatus.EXPIRED), _doc("new", DocumentLevel.ZONE)])
    ranked = sources.adjust((MeasureHit("old#1", 0.9, None), MeasureHit("new#1", 0.8, None)))
    assert [h.measure_id for h in ranked] == ["new#1", "old#1"]


def test_one_pass_raises_the_named_level_the_named_number_and_the_category_asked_for() -> None:
    numbered = dataclasses.replace(
        _doc("prov", DocumentLevel.PROVINCIAL),
        meta=DocumentMeta(level=DocumentLevel.PROVINCIAL, doc_number="川府发〔2026〕9号"),
    )
    sources = Sources([numbered, _doc("zone", DocumentLevel.ZONE), _doc("city", DocumentLevel.CITY)])
    hits = (MeasureHit("city#1", 0.9, None), MeasureHit("zone#1", 0.85, None), MeasureHit("prov#1", 0.75, None))
    assert sources.adjust(hits)[0].measure_id == "city#1"
    assert sources.adjust(hits, levels=frozenset({DocumentLevel.ZONE}))[0].measure_id == "zone#1"
    assert sources.adjust(hits, named=sources.named("川府发2026 9号 上市奖励"))[0].measure_id == "prov#1"
    assert sources.adjust(hits, raised=frozenset({"zone#1"}))[0].measure_id == "zone#1"


def test_a_document_named_by_its_number_stays_first_before_a_more_specific_one() -> None:
    sources = Sources([_doc("prov", DocumentLevel.PROVINCIAL), _doc("zone", DocumentLevel.ZONE)])
    hits = (MeasureHit("prov#1", 0.9, None), MeasureHit("zone#1", 0.88, None))
    assert sources.prefer_specific(hits, floor=0.4)[0].measure_id == "zone#1"
    assert sources.prefer_specific(hits, floor=0.4, keep=frozenset({"prov"}))[0].measure_id == "prov#1"


def test_notices_for_a_draft_and_for_a_repealed_document_pointing_to_a_current_one() -> None:
    draft, repealed, current = (
        _doc("d", DocumentLevel.CITY, DocumentStatus.DRAFT),
        _doc("r", DocumentLevel.CITY, DocumentStatus.REPEALED),
        _doc("c", DocumentLevel.CITY),
    )
    sources = Sources([draft, repealed, current])
    assert "征求意见稿" in (sources.notice(draft.measures[0], None) or "")
    assert sources.notice(current.measures[0], None) is None
    notice = sources.notice(repealed.measures[0], current.measures[0]) or ""
    assert "《r政策》已废止" in notice
    assert "《c政策》1.支持企业上市" in notice


def test_an_answer_from_a_repealed_document_is_not_confident(pipeline: TextPipeline) -> None:
    repealed = _doc("r", DocumentLevel.ZONE, DocumentStatus.REPEALED, title="支持企业上市奖励")
    matcher = Matcher([repealed], [], pipeline=pipeline)
    result = matcher.match("企业上市奖励")
    assert result.matches[0].measure_id == "r#1"
    assert not result.confident
    assert "已废止" in (result.answer.notice or "")


def test_an_expired_document_is_expired_only_after_its_end_date() -> None:
    from datetime import date

    doc = dataclasses.replace(
        _doc("x", DocumentLevel.CITY), meta=DocumentMeta(level=DocumentLevel.CITY, effective_to=date(2026, 12, 31))
    )
    library = PolicyLibrary([doc])
    assert library.as_of(date(2026, 12, 31)).document("x").meta.status is DocumentStatus.IN_FORCE
    assert library.as_of(date(2027, 1, 1)).document("x").meta.status is DocumentStatus.EXPIRED


def test_other_current_documents_answering_about_as_well_are_offered_once_each() -> None:
    docs = [
        _doc("prov", DocumentLevel.PROVINCIAL),
        _doc("city", DocumentLevel.CITY),
        _doc("old", DocumentLevel.ZONE, DocumentStatus.EXPIRED),
    ]
    measures = {m.id: m for d in docs for m in d.measures}
    hits = (MeasureHit("prov#1", 0.9, None), MeasureHit("city#1", 0.85, None), MeasureHit("old#1", 0.85, None))
    others = Sources(docs).others(hits, measures, floor=0.4)
    assert [o.to_json()["measure_id"] for o in others] == ["city#1"]
    assert {k: v for k, v in others[0].to_json().items() if k != "document"} == {
        "measure_id": "city#1",
        "label": "1.",
        "title": "支持企业上市",
    }


def test_a_document_in_force_answers_before_a_draft_of_the_same_level() -> None:
    sources = Sources(
        [_doc("draft", DocumentLevel.PROVINCIAL, DocumentStatus.DRAFT), _doc("final", DocumentLevel.PROVINCIAL)]
    )
    hits = (MeasureHit("draft#1", 0.9, None), MeasureHit("final#1", 0.87, None))
    assert [h.measure_id for h in sources.prefer_specific(hits, floor=0.4)] == ["final#1", "draft#1"]
