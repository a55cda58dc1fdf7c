"""Intent and service category of typical questions."""

from __future__ import annotations

import re

import pytest

from common.ask import Intent
from faq.bundled import Bundled
from faq.entries import Category
from faq.intent import IntentThresholds
from faq.matcher import Matcher


@pytest.mark.parametrize(
    ("question", "intent", "category"),
    [
        ("高企有什么支持政策", Intent.POLICY, None),
        ("我们是瞪羚企业 能享受啥", Intent.ELIGIBILITY, None),
        ("我们去年刚认定高企 能拿项目资金支持吗", Intent.ELIGIBILITY, None),
        ("帮我办人才公寓", Intent.SERVICE, Category.HOUSING),
        ("外籍员工的医保帮忙办一下", Intent.SERVICE, Category.MEDICAL_INSURANCE),
        ("员工孩子入学找谁办", Intent.SERVICE, Category.SCHOOLING),
        ("帮老外办个工作许可", Intent.SERVICE, Category.WORK_PERMIT),
        ("外籍高管居留证到期了 帮忙续一下", Intent.SERVICE, Category.RESIDENCE_PERMIT),
        ("新公司营业执照帮忙办一下", Intent.SERVICE, Category.BUSINESS_LICENSE),
        ("投资项目备案 材料不全能容缺受理吗 帮我们提交", Intent.SERVICE, Category.PROJECT_APPROVAL),
        ("公积金怎么提取", Intent.OUT_OF_SCOPE, None),
        ("发票开错了怎么办", Intent.OUT_OF_SCOPE, None),
        ("园区食堂几点开饭", Intent.OUT_OF_SCOPE, None),
        ("你好", Intent.CHITCHAT, None),
        ("好的 谢谢！", Intent.CHITCHAT, None),
    ],
)
def test_intent_and_category(matcher: Matcher, question: str, intent: Intent, category: Category | None) -> None:
    result = matcher.match(question)
    assert (result.intent, result.category) == (intent, category)


def test_service_question_still_ranks_its_measure_first(matcher: Matcher) -> None:
    result = matcher.match("帮我办人才公寓")
    assert result.matches[0].number == 10
    assert "create_request" in result.answer.actions


def test_out_of_scope_needs_no_cue_when_nothing_in_the_documents_is_about_it(matcher: Matcher) -> None:
    assert matcher.match("周末去哪钓鱼比较好").intent is Intent.OUT_OF_SCOPE


def test_every_cue_pattern_compiles(bundled: Bundled) -> None:
    cues = bundled.lexicon.cues
    groups = [cues.chitchat, cues.service, cues.weak_service, cues.definition, cues.out_of_scope]
    patterns = [p for g in groups for p in g] + [p for g in cues.eligibility.values() for p in g]
    patterns += [p for g in cues.categories.values() for p in g]
    assert patterns
    assert all(re.compile(p) for p in patterns)


def test_a_named_category_is_a_service_question_but_asking_what_it_means_is_not(matcher: Matcher) -> None:
    result = matcher.match("work permit for a 63 year old engineer possible?")
    assert (result.intent, result.category) == (Intent.SERVICE, Category.WORK_PERMIT)
    assert matcher.match("工作许可是什么意思").intent is Intent.POLICY


def test_a_best_measure_this_strong_is_never_refused(matcher: Matcher) -> None:
    question = "上海的人才公寓怎么申请"
    assert matcher.match(question).intent is Intent.OUT_OF_SCOPE
    lenient = Matcher(
        matcher.documents,
        matcher.entries,
        pipeline=matcher.pipeline,
        thresholds=IntentThresholds(strong_evidence=0.0),
        intent_model=matcher.classifier.model,
    )
    assert lenient.match(question).intent is not Intent.OUT_OF_SCOPE
