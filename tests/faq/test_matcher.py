"""The matcher's result: JSON shape, confidence, answers, invalid questions."""

from __future__ import annotations

import pytest

from common.ask import Intent
from faq import messages
from faq.matcher import MAX_QUESTION_LENGTH, InvalidQuestion, Matcher


def test_json_has_exactly_the_design_fields(matcher: Matcher) -> None:
    payload = matcher.match("外资研发中心有啥奖补").to_json()
    assert list(payload) == ["text", "intent", "confident", "category", "matches", "answer"]
    assert list(payload["matches"][0]) == [  # type: ignore[index]
        "measure_id",
        "number",
        "title",
        "score",
        "faq_id",
        "document_id",
        "label",
    ]
    assert list(payload["answer"]) == [  # type: ignore[arg-type]
        "title",
        "summary",
        "lead_units",
        "participating_units",
        "actions",
        "label",
        "document",
        "notice",
        "others",
    ]


def test_answer_names_its_document_label_and_draft_status(matcher: Matcher) -> None:
    payload = matcher.match("外资研发中心有啥奖补").to_json()
    answer = payload["answer"]
    assert isinstance(answer, dict)
    assert answer["label"] == "（八）"
    assert answer["document"] == {
        "id": "sichuan-hitech-zones-draft",
        "title": "关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）",
        "doc_number": None,
        "level": "provincial",
        "status": "draft",
        "level_label": "省级",
        "status_label": "征求意见稿",
    }
    assert "征求意见稿" in answer["notice"]
    assert payload["matches"][0]["document_id"] == "sichuan-hitech-zones-draft"  # type: ignore[index]


def test_confident_answer_names_the_measure_and_its_units(matcher: Matcher) -> None:
    result = matcher.match("外资研发中心有啥奖补")
    assert result.confident
    assert result.answer.title == "（八）大力集聚高端创新平台"
    assert result.answer.lead_units == ("科技厅",)
    assert not result.log_unanswered


@pytest.mark.parametrize("nonsense", ["阿巴阿巴阿巴", "qwertyuiop", "的的的的", "12345 67890", "月亮为什么是圆的"])
def test_nonsense_is_never_confident_and_offers_a_person(matcher: Matcher, nonsense: str) -> None:
    result = matcher.match(nonsense)
    assert not result.confident
    assert result.intent is not Intent.CHITCHAT or result.answer.actions == ()
    if result.intent is not Intent.CHITCHAT:
        assert "contact_staff" in result.answer.actions
        assert result.log_unanswered


def test_low_score_in_scope_answer_says_so(matcher: Matcher) -> None:
    result = matcher.match("研发投入和考核评价以及厂房有啥关系")  # three topics at once: no clear measure
    assert not result.confident
    assert result.answer.title == "暂未找到确切答案"
    assert "contact_staff" in result.answer.actions


def test_eligibility_answer_suggests_a_check(matcher: Matcher) -> None:
    result = matcher.match("我们是外资企业 研发中心已经认定了 能拿一次性奖补吗")
    assert result.intent is Intent.ELIGIBILITY
    assert "check_eligibility" in result.answer.actions


def test_chitchat_and_out_of_scope_are_never_confident(matcher: Matcher) -> None:
    for question in ("谢谢", "明天天气怎么样"):
        assert not matcher.match(question).confident
    assert not matcher.match("谢谢").log_unanswered
    assert matcher.match("明天天气怎么样").log_unanswered


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "高" * (MAX_QUESTION_LENGTH + 1)])
def test_empty_blank_or_long_question_is_invalid(matcher: Matcher, text: str) -> None:
    with pytest.raises(InvalidQuestion):
        matcher.match(text)


def test_question_of_exactly_the_limit_is_accepted(matcher: Matcher) -> None:
    question = "高" * MAX_QUESTION_LENGTH
    assert matcher.match(question).text == question


def test_an_eligibility_answer_points_to_the_self_check(matcher: Matcher) -> None:
    result = matcher.match("我们公司能享受研发费用加计扣除吗")
    assert result.intent == "eligibility"
    assert result.answer is not None
    assert result.answer.summary.endswith(messages.ELIGIBILITY_SUFFIX)
