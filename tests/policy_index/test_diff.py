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


def test_diff_json_names_added_removed_and_both_sides_of_a_change() -> None:
    amended_b = ("支持企业上市", "对上市企业给予奖励，最高800万元。", ("金融局",))
    with_partners = Measure("d", 1, "（一）", *amended_b[:2], None, amended_b[2], ("财政局",))
    new = Document(id="d", title="t", numbering=Numbering.PAREN, sections=(), measures=(with_partners,))
    assert diff_documents(_doc(A, B), new).to_json() == {
        "added": [],
        "removed": [{"number": 1, "label": "（1）", "title": "支持研发投入"}],
        "changed": [
            {
                "from_number": 2,
                "to_number": 1,
                "title": "支持企业上市",
                "fields": ["body", "participating_units"],
                "before": {
                    "label": "（2）",
                    "title": "支持企业上市",
                    "body": "对上市企业给予奖励，最高500万元。",
                    "lead_units": ["金融局"],
                    "participating_units": [],
                },
                "after": {
                    "label": "（一）",
                    "title": "支持企业上市",
                    "body": "对上市企业给予奖励，最高800万元。",
                    "lead_units": ["金融局"],
                    "participating_units": ["财政局"],
                },
            }
        ],
    }
    assert diff_documents(_doc(A), _doc(A, C)).to_json()["added"] == [
        {"number": 2, "label": "（2）", "title": "支持人才安居"}
    ]


def test_follow_marks_a_measure_whose_text_changed() -> None:
    amended_b = ("支持企业上市", "对上市企业给予奖励，最高800万元。", ("金融局",))
    assert follow(diff_documents(_doc(A, B), _doc(amended_b, A))) == {1: Follow(2, False), 2: Follow(1, True)}


def test_two_old_measures_like_one_new_measure_pair_only_the_closer_one() -> None:
    close = ("支持企业上市融资", "对上市企业给予奖励，最高500万元。", ("金融局",))
    farther = ("鼓励企业上市挂牌", "对挂牌企业给予奖励，最高500万元。", ("金融局",))
    reworded = ("大力支持企业上市融资", "对上市企业给予奖励，最高500万元。", ("金融局",))
    diff = diff_documents(_doc(farther, close), _doc(reworded))
    assert [(a.number, b.number) for a, b in diff.pairs] == [(2, 1)]
    assert [m.title for m in diff.removed] == ["鼓励企业上市挂牌"]


def test_equally_similar_candidates_pair_in_number_order() -> None:
    body = "对上市企业给予奖励。"
    diff = diff_documents(
        _doc(("支持企业上市甲", body, ()), ("支持企业上市乙", body, ())), _doc(("支持企业上市丙", body, ()))
    )
    assert [(a.number, b.number) for a, b in diff.pairs] == [(1, 1)]
    assert [m.title for m in diff.removed] == ["支持企业上市乙"]
