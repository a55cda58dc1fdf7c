"""Bad profiles are refused with a clear message, never read as ineligible."""

from __future__ import annotations

import pytest

from policy_index.check import check_eligibility
from policy_index.clauses import ClauseIndex
from policy_index.facts import ProfileError, validate_profile


@pytest.mark.parametrize(
    ("profile", "fragments"),
    [
        ({"zone": "national"}, ["未知的事实“zone”", "unknown fact"]),
        ({"zone_level": "city"}, ["zone_level", "“city”", "不在可选项中", "national（国家级高新区）"]),
        ({"org_type": "company"}, ["org_type", "company", "enterprise"]),
        ({"high_tech_enterprise": "yes"}, ["high_tech_enterprise", "true 或 false", "wrong type"]),
        ({"high_tech_enterprise": 1}, ["high_tech_enterprise", "wrong type"]),
        ({"ownership": True}, ["ownership", "wrong type"]),
        ({"ipo_plan": ["sse_szse"]}, ["ipo_plan", "wrong type"]),
        ({"talent_origin": "Foreign"}, ["talent_origin", "Foreign"]),
    ],
)
def test_bad_profile_is_refused_with_the_fact_named(
    profile: dict[str, object], fragments: list[str], clause_index: ClauseIndex
) -> None:
    with pytest.raises(ProfileError) as caught:
        check_eligibility({"zone_level": "national", **profile}, clause_index)
    message = str(caught.value)
    assert message.startswith("企业情况有误：")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("raw", [["zone_level"], "zone_level=national", None, 3])
def test_a_profile_that_is_not_an_object_is_refused(raw: object, clause_index: ClauseIndex) -> None:
    with pytest.raises(ProfileError, match="JSON 对象"):
        check_eligibility(raw, clause_index)


def test_every_problem_of_a_profile_is_listed(clause_index: ClauseIndex) -> None:
    with pytest.raises(ProfileError) as caught:
        validate_profile({"foo": 1, "tech_sme": "no", "zone_level": "national"}, clause_index.facts)
    assert len(caught.value.problems) == 2


def test_null_means_unknown_and_is_dropped(clause_index: ClauseIndex) -> None:
    assert validate_profile({"zone_level": None, "tech_sme": False}, clause_index.facts) == {"tech_sme": False}
