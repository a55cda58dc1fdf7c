"""The condition language: Kleene evaluation, reading from data, explanations."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.eligibility import FactType
from policy_index.conditions import AllOf, AnyOf, Comparison, Condition, Not, Operator, read_condition
from policy_index.explain import describe, failed_reasons, met_reasons
from policy_index.facts import Fact, FactCatalogue, Option, Text


def _fact(name: str, fact_type: FactType, *values: str | bool, label: str = "") -> Fact:
    text = Text(label or name, name)
    options = tuple(Option(v, Text(f"选项{v}", str(v))) for v in values)
    return Fact(name, fact_type, text, text, text, options)


A = _fact("a", FactType.BOOL, True, False, label="已具备条件甲")
B = _fact("b", FactType.BOOL, True, False, label="已具备条件乙")
KIND = _fact("kind", FactType.ENUM, "x", "y", "z", label="单位类型")
STAFF = _fact("staff", FactType.INT, label="职工人数")
FACTS = FactCatalogue((A, B, KIND, STAFF))
A_TRUE = Comparison(A, Operator.EQ, True)
B_TRUE = Comparison(B, Operator.EQ, True)
TRUTHS = (True, False, None)


def _profile(a: bool | None, b: bool | None) -> dict[str, bool]:
    return {name: value for name, value in (("a", a), ("b", b)) if value is not None}


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRUTHS, TRUTHS)))
def test_all_any_not_follow_kleene_tables(a: bool | None, b: bool | None) -> None:
    profile = _profile(a, b)
    kleene_and = False if False in (a, b) else (None if None in (a, b) else True)
    kleene_or = True if True in (a, b) else (None if None in (a, b) else False)
    assert AllOf((A_TRUE, B_TRUE)).evaluate(profile) is kleene_and
    assert AnyOf((A_TRUE, B_TRUE)).evaluate(profile) is kleene_or
    assert Not(A_TRUE).evaluate(profile) is (None if a is None else not a)


def test_a_known_false_decides_all_with_other_facts_unknown() -> None:
    condition = AllOf((A_TRUE, B_TRUE, Comparison(KIND, Operator.IN, ("x", "y"))))
    assert condition.evaluate({"kind": "z"}) is False
    assert condition.evaluate({"kind": "x"}) is None


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        (Operator.EQ, "x", "x", True),
        (Operator.EQ, "x", "y", False),
        (Operator.NE, "x", "y", True),
        (Operator.NE, "x", "x", False),
        (Operator.IN, ("x", "y"), "y", True),
        (Operator.IN, ("x", "y"), "z", False),
        (Operator.NOT_IN, ("x", "y"), "z", True),
        (Operator.NOT_IN, ("x", "y"), "x", False),
    ],
)
def test_enum_comparisons(op: Operator, value: str | tuple[str, ...], actual: str, expected: bool) -> None:
    assert Comparison(KIND, op, value).evaluate({"kind": actual}) is expected


@pytest.mark.parametrize(
    ("op", "actual", "expected"),
    [
        (Operator.LT, 9, True),
        (Operator.LT, 10, False),
        (Operator.LE, 10, True),
        (Operator.GT, 10, False),
        (Operator.GT, 11, True),
        (Operator.GE, 10, True),
        (Operator.GE, 9, False),
    ],
)
def test_ordering_comparisons_on_int_facts(op: Operator, actual: int, expected: bool) -> None:
    assert Comparison(STAFF, op, 10).evaluate({"staff": actual}) is expected


def test_bool_true_is_not_equal_to_int_one() -> None:
    assert Comparison(STAFF, Operator.EQ, 1).evaluate({"staff": True}) is False


def test_reading_round_trips_through_data() -> None:
    data = {
        "all": [
            {"fact": "a", "op": "==", "value": True},
            {"any": [{"fact": "kind", "op": "in", "value": ["x", "y"]}, {"fact": "staff", "op": ">=", "value": 5}]},
            {"not": {"fact": "b", "op": "!=", "value": False}},
        ]
    }
    condition, issues = read_condition(data, FACTS)
    assert issues == []
    assert condition is not None
    assert condition.to_data() == data
    assert condition.fact_names() == {"a", "b", "kind", "staff"}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"fact": "nope", "op": "==", "value": True}, "unknown fact"),
        ({"fact": "kind", "op": "==", "value": "w"}, "not among options"),
        ({"fact": "kind", "op": "==", "value": True}, "type mismatch"),
        ({"fact": "a", "op": "==", "value": "true"}, "type mismatch"),
        ({"fact": "kind", "op": "<", "value": "x"}, "type mismatch"),
        ({"fact": "staff", "op": ">=", "value": "5"}, "type mismatch"),
        ({"fact": "kind", "op": "in", "value": "x"}, "needs a list"),
        ({"fact": "kind", "op": "in", "value": []}, "needs a list"),
        ({"fact": "kind", "op": "like", "value": "x"}, "unknown operator"),
        ({"fact": "kind", "value": "x"}, "fact/op/value"),
        ({"all": []}, "non-empty list"),
        ({"all": [{"fact": "a", "op": "==", "value": True}], "fact": "a"}, "only key"),
        ("a == True", "must be a mapping"),
    ],
)
def test_malformed_conditions_are_reported_not_run(data: object, fragment: str) -> None:
    condition, issues = read_condition(data, FACTS)
    assert condition is None
    assert any(fragment in issue.message for issue in issues), issues


def test_every_issue_of_a_condition_is_collected() -> None:
    data = {"any": [{"fact": "nope", "op": "==", "value": 1}, {"fact": "kind", "op": "==", "value": "w"}]}
    _, issues = read_condition(data, FACTS)
    assert len(issues) == 2


def test_failed_reasons_name_the_fact_label_and_both_values() -> None:
    condition = AllOf((Comparison(KIND, Operator.EQ, "x"), A_TRUE))
    reasons = failed_reasons(condition, {"kind": "y", "a": True})
    assert reasons == ("本条款要求单位类型为“选项x”，您填写的是“选项y”。",)


def test_failed_reasons_cover_negations_and_alternatives() -> None:
    assert failed_reasons(Comparison(KIND, Operator.NOT_IN, ("x", "y")), {"kind": "x"}) == (
        "本条款不适用于单位类型为“选项x”或“选项y”的情况，您填写的是“选项x”。",
    )
    assert failed_reasons(Comparison(A, Operator.EQ, False), {"a": True}) == (
        "本条款不适用于已具备条件甲的情况，您填写的是“选项True”。",
    )
    either = failed_reasons(AnyOf((A_TRUE, B_TRUE)), {"a": False, "b": False})
    assert either[0].startswith("本条款要求以下条件至少满足一项")
    assert len(either) == 3
    assert failed_reasons(Comparison(STAFF, Operator.GE, 10), {"staff": 3}) == (
        "本条款要求职工人数不少于10，您填写的是3。",
    )
    assert "不适用" in failed_reasons(Not(A_TRUE), {"a": True})[0]


def test_met_reasons_explain_why_a_clause_holds() -> None:
    condition = AllOf((Comparison(KIND, Operator.IN, ("x", "y")), A_TRUE))
    assert met_reasons(condition, {"kind": "y", "a": True}) == (
        "单位类型为“选项y”，符合要求。",
        "已具备条件甲，符合要求。",
    )
    assert (
        describe(AnyOf((A_TRUE, Comparison(KIND, Operator.NE, "z")))) == "满足其一：已具备条件甲；单位类型不为“选项z”"
    )


_leaves = st.sampled_from(
    [A_TRUE, B_TRUE, Comparison(KIND, Operator.IN, ("x", "y")), Comparison(STAFF, Operator.LT, 3)]
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda items: AllOf(tuple(items))),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: AnyOf(tuple(items))),
        inner.map(Not),
    ),
    max_leaves=8,
)
profiles = st.fixed_dictionaries(
    {},
    optional={"a": st.booleans(), "b": st.booleans(), "kind": st.sampled_from("xyz"), "staff": st.integers(0, 5)},
)


@given(conditions, profiles, st.data())
def test_a_decided_condition_stays_decided_when_more_is_known(
    condition: Condition, profile: dict, data: st.DataObject
) -> None:
    outcome = condition.evaluate(profile)
    more = {**data.draw(profiles), **profile}
    if outcome is not None:
        assert condition.evaluate(more) is outcome
        explain = met_reasons if outcome else failed_reasons
        assert explain(condition, profile)
