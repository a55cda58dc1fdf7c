"""The parser reads real policy documents exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_index.document import Measure, Numbering, measure_to_json
from policy_index.library import PolicyLibrary, load_document_file
from policy_index.numerals import parse_chinese_numeral
from policy_index.parser import ParseError, parse_document
from policy_index.units import split_units

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SEED_EXPECTED: list[dict[str, Any]] = yaml.safe_load((HERE / "seed_measures.yaml").read_text(encoding="utf-8"))


def test_seed_document_has_28_measures(library: PolicyLibrary) -> None:
    document = library.document("sichuan-hitech-zones-draft")
    assert len(document.measures) == 28
    assert document.numbering is Numbering.PAREN
    assert document.title == "关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）"
    assert document.sections[0] == "总体要求"
    assert len(document.sections) == 8


@pytest.mark.parametrize("expected", SEED_EXPECTED, ids=lambda e: str(e["number"]))
def test_seed_measure_matches_text(library: PolicyLibrary, expected: dict[str, Any]) -> None:
    measure = library.measure(f"sichuan-hitech-zones-draft#{expected['number']}")
    assert measure.number == expected["number"]
    assert measure.label == expected["label"]
    assert measure.title == expected["title"]
    assert measure.section == expected["section"]
    assert list(measure.lead_units) == expected["lead_units"]
    assert list(measure.participating_units) == expected["participating_units"]
    assert measure.title in measure.body


def test_bare_number_means_seed_document(library: PolicyLibrary) -> None:
    assert library.measure("13").id == "sichuan-hitech-zones-draft#13"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十八", 28),
        ("九十九", 99),
        ("一〇一", 101),
        ("十十", None),
    ],
)
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize(
    ("value", "units"),
    [
        ("科技厅、各市（州）人民政府", ("科技厅", "各市（州）人民政府")),
        ("省发展改革委、省统计局等", ("省发展改革委", "省统计局")),
        ("市(州)政府、财政厅", ("市(州)政府", "财政厅")),
        ("人行成都分行", ("人行成都分行",)),
    ],
)
def test_unit_lists_split_outside_brackets_and_drop_deng(value: str, units: tuple[str, ...]) -> None:
    assert split_units(value) == units


def test_article_document_with_chapters_crlf_and_page_noise() -> None:
    document = load_document_file(FIXTURES / "chengdu-talent-measures.txt")
    assert document.id == "chengdu-talent-measures"
    assert document.numbering is Numbering.ARTICLE
    assert document.sections == ("总则", "支持内容", "附则")
    assert [m.label for m in document.measures] == [f"第{n}条" for n in "一二三四五六七"]
    third = document.measures[2]
    assert third.title == "支持引进高端人才"
    assert "（二）领军人才" in third.body  # nested items stay in the body
    assert third.lead_units == ("党群工作部", "人才服务中心")
    assert third.participating_units == ("财政金融局", "各街道办事处")
    assert document.measures[4].lead_units == ("人才服务中心",)
    assert document.measures[4].participating_units == ()
    assert "- 2 -" not in document.measures[3].body
    assert document.measures[6].title == "本措施自2022年1月1日起施行，有效期3年"
    assert document.measures[6].section == "附则"


def test_arabic_document_with_half_width_notes_and_signature() -> None:
    document = load_document_file(FIXTURES / "mianyang-finance-support.txt")
    assert document.numbering is Numbering.ARABIC
    assert document.title == "绵阳高新区支持企业融资发展的实施细则（试行）"
    assert [m.title for m in document.measures] == [
        "贷款贴息",
        "知识产权质押融资",
        "上市奖励",
        "债券融资",
        "本细则由绵阳高新区财政金融局负责解释，自印发之日起施行",
    ]
    first, second, third = document.measures[:3]
    assert first.lead_units == ("财政金融局",)
    assert first.participating_units == ("科技创新局", "各银行机构")
    assert second.lead_units == ("市场监管局", "财政金融局")
    assert "（1）评估费补助50%" in second.body
    assert third.lead_units == ()
    assert third.participating_units == ()
    assert "管委会" not in document.measures[-1].body
    assert "3  —" not in document.measures[3].body


def test_ordinal_shi_items_inline_and_at_line_start() -> None:
    document = load_document_file(FIXTURES / "deyang-green-park-notice.txt")
    assert document.numbering is Numbering.ORDINAL_SHI
    assert [m.label for m in document.measures] == ["一是", "二是", "三是", "四是"]
    assert document.measures[1].title == "建设分布式光伏，对屋顶光伏项目按装机容量给予奖励"
    assert document.measures[1].lead_units == ("经济发展局",)
    assert document.measures[1].participating_units == ("生态环境分局",)
    assert document.measures[3].section == "保障措施"


def test_traditional_document_keeps_its_script() -> None:
    document = load_document_file(FIXTURES / "taipei-style-traditional.txt")
    assert document.numbering is Numbering.PAREN
    first, second, third, fourth = document.measures
    assert first.title == "支持研發投入"
    assert first.lead_units == ("科技廳",)
    assert first.participating_units == ("財政廳", "四川省稅務局")
    assert second.lead_units == ("科技廳",)
    assert third.lead_units == ("省委組織部", "各市（州）人民政府")
    assert fourth.title == "本措施自發布之日起施行"


def test_paren_numbering_restarting_per_section_gets_document_ordinals() -> None:
    text = "一、甲\n（一）支持甲。内容。\n（二）支持乙。内容。\n二、乙\n（一）支持丙。内容。\n"
    document = parse_document(text, "restart")
    assert [m.id for m in document.measures] == ["restart#1", "restart#2", "restart#3"]
    assert [m.label for m in document.measures] == ["（一）", "（二）", "（一）"]


def test_heading_line_without_full_stop_is_the_title() -> None:
    document = parse_document("（一）指导思想\n坚持创新驱动。\n（二）发展目标\n到2025年建成。\n", "t")
    assert [m.title for m in document.measures] == ["指导思想", "发展目标"]


def test_gb18030_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk-doc.txt"
    path.write_bytes("（一）支持企业研发。给予补助。（牵头单位：科技厅）\n".encode("gb18030"))
    assert load_document_file(path).measures[0].lead_units == ("科技厅",)


@pytest.mark.parametrize("text", ["", "   \n\n", "这是一段没有编号的文字。\n另一段。", "一、总体要求\n二、主要任务\n"])
def test_text_without_measures_raises_parse_error_naming_line(text: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_document(text, "x")
    assert error.value.line >= 1
    assert f"第 {error.value.line} 行" in str(error.value)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*list("（）()一二三十第条是、。：:；;\n\r 1.牵头单位参与等甲乙"), "\u3000", "\x0c"])
    )
    | st.text()
)
def test_arbitrary_text_only_ever_raises_parse_error(text: str) -> None:
    try:
        document = parse_document(text, "fuzz")
    except ParseError:
        return
    assert document.measures
    assert all(m.number == i for i, m in enumerate(document.measures, start=1))


def test_article_keeps_nested_chinese_enumeration_in_its_body() -> None:
    text = "第一章 总则\n第一条 支持方式如下：\n一、资金补助；\n二、贷款贴息。\n第二条 本办法由科技局负责解释。\n"
    document = parse_document(text, "nested")
    assert document.sections == ("总则",)
    assert len(document.measures) == 2
    assert "二、贷款贴息。" in document.measures[0].body


def test_unnumbered_closing_section_is_a_measure() -> None:
    text = (
        "一、支持内容\n（一）支持研发。给予补助。\n（二）支持人才。给予奖励。\n"
        "二、附则\n本意见自印发之日起施行，由科技厅负责解释。\n"
    )
    document = parse_document(text, "closing")
    assert [m.title for m in document.measures][-1] == "本意见自印发之日起施行，由科技厅负责解释"
    assert document.measures[-1].section == "附则"
    assert len(document.measures) == 3


def test_closing_sentence_after_last_measure_is_a_measure() -> None:
    text = "一、支持内容\n（一）支持研发。给予补助。（牵头单位：科技厅）\n本措施自2024年1月1日起施行。\n"
    document = parse_document(text, "tail")
    assert [m.title for m in document.measures] == ["支持研发", "本措施自2024年1月1日起施行"]
    assert document.measures[0].lead_units == ("科技厅",)


def test_intro_paragraph_of_a_section_with_measures_is_not_a_measure() -> None:
    text = "一、总体要求\n为推动发展，提出如下意见。\n（一）指导思想。坚持创新。\n"
    document = parse_document(text, "intro")
    assert [m.title for m in document.measures] == ["指导思想"]


def test_full_width_digits_and_square_bracket_notes() -> None:
    text = "一、融资\n１．贷款贴息。给予贴息。【牵头单位：财政局；配合单位：人民银行】\n２．上市奖励。给予奖励。\n"
    document = parse_document(text, "fw")
    assert document.numbering is Numbering.ARABIC
    assert [m.title for m in document.measures] == ["贷款贴息", "上市奖励"]
    assert document.measures[0].lead_units == ("财政局",)
    assert document.measures[0].participating_units == ("人民银行",)


def test_utf16_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "word-export.txt"
    path.write_bytes("（一）支持企业研发。给予补助。（牵头单位：科技厅）\n".encode("utf-16"))
    assert load_document_file(path).measures[0].lead_units == ("科技厅",)


def test_note_wrapped_across_lines_keeps_unit_names_whole() -> None:
    text = "（一）支持研发。给予补助。（牵\n头单位：科技厅；参与单位：财政厅、\n人社厅、各区（市）县人民政\n府等）\n"
    measure = parse_document(text, "wrap").measures[0]
    assert measure.lead_units == ("科技厅",)
    assert measure.participating_units == ("财政厅", "人社厅", "各区（市）县人民政府")


def test_units_split_on_enumeration_comma_only() -> None:
    measure = parse_document("（一）统筹推进。（牵头单位：省发展改革委，省级有关部门按职责分工负责）\n", "c").measures[
        0
    ]
    assert measure.lead_units == ("省发展改革委，省级有关部门按职责分工负责",)


def test_measure_json_carries_every_field() -> None:
    measure = Measure(
        "d", 3, "（三）", "支持上市", "给予奖励。", "一、总体要求", ("金融局",), ("财政局",), provision=True
    )
    assert measure_to_json(measure) == {
        "id": "d#3",
        "document_id": "d",
        "number": 3,
        "label": "（三）",
        "title": "支持上市",
        "section": "一、总体要求",
        "lead_units": ["金融局"],
        "participating_units": ["财政局"],
        "provision": True,
        "body": "给予奖励。",
    }


def test_a_bare_note_line_followed_by_another_names_its_unit_without_the_line_break() -> None:
    text = (
        "关于支持企业的若干措施\n\n一、支持研发\n对研发投入给予补助。\n"
        "牵头单位：科技局\n参与单位：财政局\n二、支持上市\n给予奖励。\n"
    )
    first = parse_document(text, document_id="x").measures[0]
    assert (first.lead_units, first.participating_units) == (("科技局",), ("财政局",))


def test_a_letterhead_of_joint_issuers_without_wenjian_is_not_the_title() -> None:
    text = (
        "四川省科学技术厅  四川省财政厅\n"
        "关于印发《研发费用后补助管理办法》的通知\n"
        "川科规〔2026〕2号\n"
        "第一条 为鼓励企业加大研发投入，制定本办法。\n"
        "第二条 本办法自2026年3月1日起施行。\n"
    )
    document = parse_document(text, "joint")
    assert document.title == "关于印发《研发费用后补助管理办法》的通知"
    assert document.meta.issuer == "四川省科学技术厅、四川省财政厅"
