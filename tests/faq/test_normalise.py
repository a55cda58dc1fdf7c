"""Normalisation: width, script, case, punctuation, synonyms, typo and homophone repair."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq.matcher import TextPipeline
from faq.normalise import fold
from faq.repair import Repairer


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full width → half width, lower case
        ("成果轉化現金獎勵怎麼給", "科技成果转移转化现金奖励怎么给"),  # traditional → simplified, synonym
        ("高企，有啥支持？！", "高新技术企业 有啥支持"),  # abbreviation, punctuation folded
        ("我们是高企 研发费用加记扣除咋弄", "我们是高新技术企业 研发费用加计扣除咋弄"),  # homophone 记/计
        ("高心企业认定服务在哪", "高新技术企业认定服务在哪"),  # homophone 心/新, then synonym
        ("独脚兽企业落户有补贴吗", "独角兽企业落户有补贴吗"),
        ("帮老外办个工做许可", "帮外国人才办个工作许可"),
        ("gaoqi认定后有啥好处", "高新技术企业认定后有啥好处"),  # pinyin typed in latin letters
        ("上市有补贴么", "ipo有补贴么"),
        ("新招的日本工程师要办work permit", "新招的日本工程师要办工作许可"),
        ("想办营业执照", "想办证照"),  # a rewritten word does not merge with its neighbour on a later pass
    ],
)
def test_normalise_repairs_and_rewrites(pipeline: TextPipeline, typed: str, normal: str) -> None:
    assert pipeline.normaliser.normalise(typed) == normal


def test_different_sounding_word_is_not_repaired(pipeline: TextPipeline) -> None:
    # 内资 (nei zi) is not a slip of 外资 (wai zi): the question is about domestic companies.
    assert "内资企业" in pipeline.normaliser.normalise("内资企业设研发中心 能享受外资研发机构奖补吗")


def test_latin_phrase_is_not_cut_out_of_a_word(pipeline: TextPipeline) -> None:
    assert pipeline.normaliser.normalise("absolutely") == "absolutely"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("0work permit", "0work permit"),  # not a phrase of its own: glued to a digit
        ("work permit9", "work permit9"),
        ("0上市", "0 ipo"),  # a latin canonical form is kept apart from an adjacent digit
        ("上市9", "ipo 9"),
    ],
)
def test_digits_count_as_latin_at_phrase_boundaries(pipeline: TextPipeline, typed: str, normal: str) -> None:
    assert pipeline.normaliser.normalise(typed) == normal


def test_fold_turns_punctuation_and_spaces_into_one_space() -> None:
    assert fold("  高新区\u3000——  政策！！") == "高新区 政策"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalise_never_raises_and_is_idempotent(pipeline: TextPipeline, text: str) -> None:
    once = pipeline.normaliser.normalise(text)
    assert pipeline.normaliser.normalise(once) == once


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["高企", "加记", "扣除", "高心", "企业", "上市", "ipo", "ABS", "工做", "许可", "帮", " ", "？"])
    )
)
def test_normalise_is_idempotent_on_domain_fragments(pipeline: TextPipeline, parts: list[str]) -> None:
    once = pipeline.normaliser.normalise("".join(parts))
    assert pipeline.normaliser.normalise(once) == once


def test_a_slip_is_not_read_where_the_typed_character_forms_a_word_outside_the_phrase() -> None:
    words = {"补助", "来华"}
    repairer = Repairer(["财政部", "外国人才"], is_word=words.__contains__)
    assert repairer.repair("财政补助") == "财政补助"
    assert repairer.repair("外国人来华") == "外国人来华"
    assert repairer.repair("财政补") == "财政部"
