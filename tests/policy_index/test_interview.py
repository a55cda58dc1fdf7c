"""The guided interview: the next question is a missing fact, and answering it ends every interview."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from common.eligibility import VerdictStatus
from policy_index.clauses import ClauseIndex, load_bundled_clause_index
from policy_index.eligibility import evaluate
from policy_index.facts import FactValue
from policy_index.interview import next_question, question_to_json, score_mentions

INDEX = load_bundled_clause_index()


def _profiles() -> st.SearchStrategy[dict[str, FactValue]]:
    optional = {fact.name: st.sampled_from([o.value for o in fact.options]) for fact in INDEX.facts}
    return st.fixed_dictionaries({}, optional=optional)


@settings(max_examples=300)
@given(_profiles())
def test_next_question_is_a_missing_fact_of_an_open_clause(profile: dict[str, FactValue]) -> None:
    verdicts = evaluate(profile, INDEX.clauses)
    missing = {name for verdict in verdicts for name in verdict.missing}
    question = next_question(profile, INDEX.clauses, INDEX.facts)
    if any(verdict.status is VerdictStatus.NEEDS_INFO for verdict in verdicts):
        assert question is not None
        assert question.name in missing
    else:
        assert question is None
        assert missing == set()


def test_interview_settles_every_clause_on_sampled_complete_profiles(clause_index: ClauseIndex) -> None:
    rng = random.Random(5)
    for _ in range(300):
        truth = {fact.name: rng.choice(fact.options).value for fact in clause_index.facts}
        profile: dict[str, FactValue] = {}
        while (fact := next_question(profile, clause_index.clauses, clause_index.facts)) is not None:
            assert fact.name not in profile
            profile[fact.name] = truth[fact.name]
        assert len(profile) <= len(clause_index.facts)
        asked = [(v.clause_id, v.status) for v in evaluate(profile, clause_index.clauses)]
        assert asked == [(v.clause_id, v.status) for v in evaluate(truth, clause_index.clauses)]


def test_zone_level_is_asked_first_and_a_zone_outside_ends_the_interview(clause_index: ClauseIndex) -> None:
    first = next_question({}, clause_index.clauses, clause_index.facts)
    assert first is not None
    assert first.name == "zone_level"
    assert next_question({"zone_level": "none"}, clause_index.clauses, clause_index.facts) is None


def test_ties_are_broken_by_fact_order(clause_index: ClauseIndex) -> None:
    # With a university in a zone, six single-fact clauses and measure 7 are open, each settled by one answer.
    profile: dict[str, FactValue] = {"zone_level": "national", "org_type": "university"}
    asked = []
    while (fact := next_question(profile, clause_index.clauses, clause_index.facts)) is not None:
        asked.append(fact.name)
        profile[fact.name] = False if fact.type.value == "bool" else fact.options[0].value
    order = list(clause_index.facts.names)
    assert asked == sorted(asked, key=order.index)
    assert asked[0] == "high_tech_enterprise"


def test_domestic_talent_is_never_asked_about_high_end_status(clause_index: ClauseIndex) -> None:
    profile: dict[str, FactValue] = {"zone_level": "national", "org_type": "enterprise", "talent_origin": "domestic"}
    asked = set()
    while (fact := next_question(profile, clause_index.clauses, clause_index.facts)) is not None:
        asked.add(fact.name)
        profile[fact.name] = fact.options[0].value
    assert "talent_high_end" not in asked
    assert "converts_job_inventions" not in asked


def test_scoring_is_pluggable(clause_index: ClauseIndex) -> None:
    question = next_question({"zone_level": "national"}, clause_index.clauses, clause_index.facts, score=score_mentions)
    assert question is not None
    assert question.name == "org_type"


def test_question_json_carries_the_chinese_question_and_option_labels(clause_index: ClauseIndex) -> None:
    shown = question_to_json(clause_index.facts["high_tech_enterprise"])
    assert shown["fact"] == "high_tech_enterprise"
    assert shown["question"] == "贵单位是否已被认定为高新技术企业？"
    assert shown["options"] == [
        {"value": True, "label": "是", "label_en": "yes"},
        {"value": False, "label": "否", "label_en": "no"},
    ]


def test_every_fact_has_a_question_help_and_labelled_options(clause_index: ClauseIndex) -> None:
    for fact in clause_index.facts:
        assert fact.question.zh.endswith("？")
        assert fact.help.zh
        assert fact.help.en
        assert all(option.label.zh and option.label.en for option in fact.options)
    assert list(clause_index.facts.names)[:2] == ["zone_level", "org_type"]
    assert len(clause_index.facts) == 15
    assert list(itertools.chain.from_iterable(c.fact_names for c in clause_index.clauses))
