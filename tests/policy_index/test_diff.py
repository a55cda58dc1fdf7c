"""Diffs between versions pair measures by title: renumbering is no change; clauses follow their measure."""

from __future__ import annotations

from policy_index.clauses import ClauseIndex
from policy_index.diff import ChangedField, Follow, diff_documents, follow
from policy_index.document import Document, Measure, Numbering
from policy_index.follow import MeasureMoves, follow_clauses


def _doc(*measures: tuple[str, str, tuple[str, ...]]) -> Document:
    return Document(
        id="d",
        title="t",
        numbering=Numbering.PAREN,
        sections=(),
        measures=tuple(
            Measure("d", n, f"（{n}）", title, body, None, lead) for n, (title, body, lead) in enumerate(measures, 1)
        ),
    )


A = ("支持研发投入", "对研发投入给予补助。", ("科技局",))
B = ("支持企业上市", "对上市企业给予奖励，最高500万元。", ("金融局",))
C = ("支持人才安居", "提供人才公寓。", ("住建局",))


def test_renumbering_alone_is_no_change() -> None:
    diff = diff_documents(_doc(A, B, C), _doc(C, A, B))
    assert (diff.added, diff.removed, diff.changed) == ((), (), ())
    assert {old: f.number for old, f in follow(diff).items()} == {1: 2, 2: 3, 3: 1}


def test_added_removed_and_changed_fields() -> None:
    amended_b = ("支持企业上市", "对上市企业给予奖励，最高800万元。", ("金融局", "财政局"))
    diff = diff_documents(_doc(A, B, C), _doc(amended_b, ("新增措施", "新的内容。", ())))
    assert [m.title for m in diff.removed] == ["支持研发投入", "支持人才安居"]
    assert [m.title for m in diff.added] == ["新增措施"]
    assert [(c.before.number, c.after.number, c.fields) for c in diff.changed] == [
        (2, 1, (ChangedField.BODY, ChangedField.LEAD_UNITS))
    ]


def test_a_reworded_title_is_still_the_same_measure() -> None:
    reworded = ("大力支持企业上市融资", "对上市企业给予奖励，最高500万元。", ("金融局",))
    diff = diff_documents(_doc(A, B), _doc(A, reworded))
    assert diff.added == diff.removed == ()
    assert [c.fields for c in diff.changed] == [(ChangedField.TITLE,)]


def test_an_unrelated_measure_with_the_old_number_is_not_paired() -> None:
    diff = diff_documents(_doc(A, B), _doc(A, C))
    assert [m.title for m in diff.removed] == ["支持企业上市"]
    assert [m.title for m in diff.added] == ["支持人才安居"]
    assert MeasureMoves({"d": follow(diff)}).move("d#2") is None


def test_clauses_follow_withdraw_and_are_marked_for_review(clause_index: ClauseIndex) -> None:
    seed = "sichuan-hitech-zones-draft"
    kept = {n: Follow(n, False) for n in range(1, 29) if n not in (7, 8, 13)}
    moves = MeasureMoves({seed: {**kept, 8: Follow(7, False), 13: Follow(12, True)}})  # 7 removed
    moved = {c.id: c for c in follow_clauses(clause_index, moves).clauses}
    assert moved["m8-foreign-rd-subsidy"].measure_id == f"{seed}#7"
    assert not moved["m8-foreign-rd-subsidy"].needs_review
    assert moved["m13-rd-post-subsidy"].measure_id == f"{seed}#12"
    assert moved["m13-rd-post-subsidy"].needs_review
    assert moved["m10-residence-permit-5y"] == next(
        c for c in clause_index.clauses if c.id == "m10-residence-permit-5y"
    )
    assert "m7-job-invention-cash-reward" not in moved
