"""A document's metadata (文号, issuer, level, status, dates) and its closing provisions, read from the text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.documents import DocumentLevel, DocumentStatus
from policy_index.dates import last_day_of, parse_date
from policy_index.document import document_to_json
from policy_index.library import PolicyLibrary, load_document_file
from policy_index.metadata import guess_level, read_metadata, read_validity
from policy_index.parser import parse_document
from policy_index.provisions import is_provision

LIBRARY = Path(__file__).parent / "fixtures" / "library"
CASES = sorted(LIBRARY.glob("*.expected.json"))
META_FIELDS = ("doc_number", "issuer", "level", "status", "issued_on", "effective_from", "effective_to")


def test_library_fixtures_are_there() -> None:
    assert len(CASES) >= 8
    assert all(case.with_name(case.name.replace(".expected.json", ".txt")).exists() for case in CASES)


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_document_metadata_reads_as_expected(expected_path: Path) -> None:
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    document = load_document_file(expected_path.with_name(expected_path.name.replace(".expected.json", ".txt")))
    header = document_to_json(document)
    assert {k: header[k] for k in META_FIELDS} == expected["meta"]
    assert len(document.measures) == expected["measure_count"]
    assert [m.number for m in document.measures if m.provision] == expected["provisions"]


def test_seed_reads_as_a_draft_without_number_or_provisions(library: PolicyLibrary) -> None:
    document = library.document("sichuan-hitech-zones-draft")
    assert document.meta.status is DocumentStatus.DRAFT
    assert document.meta.doc_number is None  # 国发〔2020〕7号 in its preamble is a citation
    assert document.meta.level is DocumentLevel.PROVINCIAL  # addressed to 各市（州）人民政府，省政府各部门
    assert len(document.measures) == 28
    assert not any(m.provision for m in document.measures)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026年3月15日", date(2026, 3, 15)),
        ("2026年03月05日", date(2026, 3, 5)),
        ("2026 年 3 月 15 日", date(2026, 3, 15)),
        ("２０２６年３月１５日", date(2026, 3, 15)),
        ("二〇二六年三月十五日", date(2026, 3, 15)),
        ("二〇二五年十二月一日", date(2025, 12, 1)),
        ("二零二四年二月二十九日", date(2024, 2, 29)),
        ("二〇二六年十月三十一日", date(2026, 10, 31)),
        ("2026-03-15", date(2026, 3, 15)),
        ("2026.3.15", date(2026, 3, 15)),
        ("（2026年3月15日）", date(2026, 3, 15)),
        ("2026年2月30日", None),
        ("二〇二五年二月二十九日", None),
        ("2026年13月1日", None),
        ("三月十五日", None),
    ],
)
def test_date_forms(text: str, day: date | None) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("start", "years", "last"),
    [
        (date(2026, 1, 1), 3, date(2028, 12, 31)),
        (date(2026, 5, 1), 5, date(2031, 4, 30)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # the anniversary of 29 Feb is 1 March
        (date(2024, 2, 29), 4, date(2028, 2, 28)),
        (date(2023, 3, 1), 1, date(2024, 2, 29)),
        (date(2022, 3, 1), 2, date(2024, 2, 29)),
        (date(2026, 1, 1), 0, None),
        (date(9998, 1, 1), 5, None),
    ],
)
def test_validity_of_n_years_ends_the_day_before_the_anniversary(start: date, years: int, last: date | None) -> None:
    assert last_day_of(start, years) == last


@pytest.mark.parametrize(
    ("sentence", "issued_on", "start", "end"),
    [
        ("本办法自2026年5月1日起施行", None, date(2026, 5, 1), None),
        ("本办法自2026年5月1日起施行，有效期3年", None, date(2026, 5, 1), date(2029, 4, 30)),
        ("本办法自2026年5月1日起施行，有效期为5年", None, date(2026, 5, 1), date(2031, 4, 30)),
        ("本措施自印发之日起施行，有效期三年", date(2025, 12, 1), date(2025, 12, 1), date(2028, 11, 30)),
        ("本措施自印发之日起施行，有效期三年", None, None, None),
        ("本意见有效期3年", date(2026, 3, 15), None, date(2029, 3, 14)),
        ("本办法自发布之日起30日后施行", date(2026, 2, 10), date(2026, 3, 12), None),
        ("本办法自公布之日起三十日后施行", date(2026, 2, 10), date(2026, 3, 12), None),
        ("本措施自2026年1月1日起施行，有效期至2028年12月31日", None, date(2026, 1, 1), date(2028, 12, 31)),
        ("执行期限为2026年1月1日至2027年12月31日", None, date(2026, 1, 1), date(2027, 12, 31)),
        ("本政策自2026年1月1日起至2027年12月31日止执行", None, date(2026, 1, 1), date(2027, 12, 31)),
        ("本通知自2023年1月1日起执行，执行至2027年12月31日", None, date(2023, 1, 1), date(2027, 12, 31)),
        ("本措施自發布之日起實施，有效期兩年", date(2026, 5, 20), date(2026, 5, 20), date(2028, 5, 19)),
        ("本辦法自二〇二六年六月一日起施行", None, date(2026, 6, 1), None),
        ("本办法自2026年2月30日起施行", None, None, None),
    ],
)
def test_validity_from_closing_sentence(
    sentence: str, issued_on: date | None, start: date | None, end: date | None
) -> None:
    assert read_validity([sentence], issued_on) == (start, end)


def test_effective_date_cited_in_a_benefit_measure_is_not_the_documents() -> None:
    text = (
        "一、支持内容\n"
        "（一）研发费用加计扣除。对企业自2023年1月1日起发生的研发费用，高新技术企业资格有效期3年内按规定享受优惠。\n"
        "（二）本措施自2026年5月1日起施行。\n"
    )
    meta = parse_document(text, "t").meta
    assert (meta.effective_from, meta.effective_to) == (date(2026, 5, 1), None)


# --- 文号 and issuer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "川府发〔2026〕8号",
        "成高管发[2026]8号",
        "国办发(2026)8号",
        "绵科发（2026）8号",
        "川科規【2026】3號",
        "财税〔2023〕7号",
    ],
)
def test_doc_number_on_its_own_line_is_read_as_written(number: str) -> None:
    text = f"某某文件\n\n  {number}  \n\n关于支持企业发展的通知\n\n（一）支持研发。给予补助。\n"
    assert parse_document(text, "t").meta.doc_number == number


def test_doc_number_cited_inside_a_measure_is_not_the_documents() -> None:
    text = (
        "关于支持企业发展的通知\n各有关单位：\n"
        "（一）按照《四川省促进科技成果转化条例》（川府发〔2020〕3号）规定，给予补助。\n"
        "（二）对符合条件的企业给予奖励。\n"
    )
    assert parse_document(text, "t").meta.doc_number is None


def test_doc_number_on_a_line_of_its_own_after_the_heading_is_not_the_documents() -> None:
    text = "关于支持企业发展的通知\n（一）下列文件同时废止：\n川府发〔2020〕3号\n（二）对符合条件的企业给予奖励。\n"
    assert parse_document(text, "t").meta.doc_number is None


def test_joint_signature_lines_join_issuers() -> None:
    text = (
        "关于支持企业发展的通知\n（一）对企业给予奖励。\n（二）本通知自印发之日起施行。\n\n"
        "四川省科学技术厅\n四川省财政厅\n2026年4月1日\n"
    )
    meta = parse_document(text, "t").meta
    assert meta.issuer == "四川省科学技术厅、四川省财政厅"
    assert meta.level is DocumentLevel.PROVINCIAL
    assert meta.effective_from == date(2026, 4, 1)


def test_joint_letterhead_on_one_line_and_spaced_out_letterhead() -> None:
    joint = "中共成都高新区工作委员会 成都高新区管理委员会文件\n（一）支持研发。给予补助。\n"
    spaced = "财 政 部 文 件\n财建〔2026〕3号\n（一）支持研发。给予补助。\n"
    assert parse_document(joint, "t").meta.issuer == "中共成都高新区工作委员会、成都高新区管理委员会"
    assert parse_document(spaced, "t").meta.issuer == "财政部"
    assert parse_document(spaced, "t").meta.level is DocumentLevel.NATIONAL


def test_issuer_from_doc_number_prefix_only_when_unambiguous() -> None:
    known = "国办发〔2026〕8号\n（一）支持研发。给予补助。\n"
    ambiguous = "财税〔2023〕7号\n（一）支持研发。给予补助。\n"
    unknown = "川科规〔2026〕3号\n（一）支持研发。给予补助。\n"
    assert parse_document(known, "t").meta.issuer == "国务院办公厅"
    assert parse_document(ambiguous, "t").meta.issuer is None
    assert parse_document(ambiguous, "t").meta.level is DocumentLevel.NATIONAL
    assert parse_document(unknown, "t").meta.issuer is None


def test_closing_line_of_the_last_measure_is_not_a_signature() -> None:
    text = "（一）支持研发。给予补助。\n请各单位认真贯彻执行\n2026年4月1日\n"
    meta = parse_document(text, "t").meta
    assert meta.issuer is None
    assert meta.issued_on == date(2026, 4, 1)


def test_nothing_readable_gives_the_defaults() -> None:
    assert read_metadata("（一）支持研发。给予补助。") == read_metadata("")
    assert read_metadata("").level is DocumentLevel.ZONE
    assert read_metadata("").issued_on is None


@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("国务院", DocumentLevel.NATIONAL),
        ("国务院办公厅", DocumentLevel.NATIONAL),
        ("科技部", DocumentLevel.NATIONAL),
        ("国家税务总局", DocumentLevel.NATIONAL),
        ("国家发展改革委", DocumentLevel.NATIONAL),
        ("国家税务总局四川省税务局", DocumentLevel.PROVINCIAL),
        ("四川省人民政府", DocumentLevel.PROVINCIAL),
        ("广西壮族自治区人民政府", DocumentLevel.PROVINCIAL),
        ("科技厅", DocumentLevel.PROVINCIAL),
        ("成都市人民政府", DocumentLevel.CITY),
        ("凉山彝族自治州人民政府", DocumentLevel.CITY),
        ("成都市双流区人民政府", DocumentLevel.COUNTY),
        ("金堂县人民政府", DocumentLevel.COUNTY),
        ("双流区经济科技和信息化局", DocumentLevel.COUNTY),
        ("成都高新区管理委员会", DocumentLevel.ZONE),
        ("成都高新技术产业开发区管理委员会", DocumentLevel.ZONE),
        ("德阳经开区管委会", DocumentLevel.ZONE),
        ("某某协会", None),
    ],
)
def test_level_is_guessed_from_the_issuer(issuer: str, level: DocumentLevel | None) -> None:
    assert guess_level(issuer) is level


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "status"),
    [
        ("关于支持企业发展的若干措施（征求意见稿）", DocumentStatus.DRAFT),
        ("关于支持企业发展的若干措施（送审稿）", DocumentStatus.DRAFT),
        ("成都市科技创新促进条例（草案）", DocumentStatus.DRAFT),
        ("关于公开征求《成都市支持企业发展的若干措施》意见的通知", DocumentStatus.DRAFT),
        ("關於支持企業發展的若干措施（徵求意見稿）", DocumentStatus.DRAFT),
        ("关于支持企业发展的若干措施", DocumentStatus.IN_FORCE),
    ],
)
def test_status_from_the_heading(title: str, status: DocumentStatus) -> None:
    assert parse_document(f"{title}\n（一）支持研发。给予补助。\n", "t").meta.status is status


def test_consultation_mentioned_in_preamble_or_measure_is_not_a_draft() -> None:
    text = (
        "关于支持企业发展的若干措施\n为支持企业发展，在广泛征求意见的基础上，制定本措施。\n"
        "（一）建立涉企政策征求意见机制。政策制定前征求企业意见。\n"
    )
    assert parse_document(text, "t").meta.status is DocumentStatus.IN_FORCE


# --- provisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "本办法自2026年5月1日起施行，有效期3年。",
        "本措施由成都高新区科技创新局负责解释。",
        "本办法的解释权归市科技局。",
        "此前规定与本办法不一致的，以本办法为准。",
        "《成都市科技项目管理办法》（成科字〔2020〕5号）同时废止。",
        "本细则由绵阳高新区财政金融局负责解释，自印发之日起施行。",
        "本措施自發布之日起施行。",
        "本政策执行期限为2026年1月1日至2027年12月31日。",
        "附则。本意见自印发之日起30日后施行。",
    ],
)
def test_closing_articles_are_provisions(body: str) -> None:
    assert is_provision(body)


@pytest.mark.parametrize(
    "body",
    [
        "提供人才住房保障。人才可按规定申请人才公寓，租金按市场价格的50%收取。",
        "对自2026年1月1日起新认定的高新技术企业给予20万元奖励。",
        "本办法适用于注册地在成都高新区的企业。",
        "本办法所称专项资金，是指高新区财政预算安排的资金。",
        "加强组织领导。各部门要按规定抓好落实。",
        "本政策自2026年1月1日起施行。对首次入库企业给予1万元奖励。",
        "",
    ],
)
def test_other_measures_are_not_provisions(body: str) -> None:
    assert not is_provision(body)


def test_iso_signature_date_ends_the_last_measure() -> None:
    text = "（一）支持研发。给予补助。\n（二）本措施自印发之日起施行。\n成都高新区管理委员会\n2026-03-15\n"
    document = parse_document(text, "t")
    assert document.measures[-1].body == "本措施自印发之日起施行。"
    assert document.measures[-1].provision
    assert document.meta.issuer == "成都高新区管理委员会"
    assert document.meta.effective_from == date(2026, 3, 15)


DOCUMENT_LIKE = st.text(
    alphabet=st.sampled_from(
        [
            *"本办法自起施行有效期至年月日号〔〕[]（）()一二三十〇零0123456789-.。，：\n ",
            *"文件政府管委会区市省发征求意见稿印发之后",
        ]
    )
)


@settings(max_examples=500, deadline=None)
@given(DOCUMENT_LIKE | st.text())
def test_read_metadata_never_raises_and_reads_the_same_twice(text: str) -> None:
    assert read_metadata(text) == read_metadata(text)


def test_signature_of_a_body_with_two_names_ends_the_last_measure() -> None:
    # 一个机构两块牌子: the second name follows in brackets, on the signature line as on the letterhead.
    text = (
        "关于印发专利资助办法的通知\n第一条 对授权发明专利给予资助。\n第二条 本办法自2026年7月1日起施行，有效期3年。\n"
        "四川省市场监督管理局（四川省知识产权局）\n四川省财政厅\n2026年6月1日\n"
    )
    document = parse_document(text, "t")
    assert document.measures[-1].body == "本办法自2026年7月1日起施行，有效期3年。"
    assert document.measures[-1].provision
    assert document.meta.issuer == "四川省市场监督管理局（四川省知识产权局）、四川省财政厅"
    assert document.meta.level is DocumentLevel.PROVINCIAL
    assert (document.meta.effective_from, document.meta.effective_to) == (date(2026, 7, 1), date(2029, 6, 30))


@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("成都市新都区人力资源和社会保障局", DocumentLevel.COUNTY),
        ("新都区人力资源和社会保障局", DocumentLevel.COUNTY),
        ("成都市区域经济合作局", DocumentLevel.CITY),
        ("四川省市场监督管理局（四川省知识产权局）", DocumentLevel.PROVINCIAL),
    ],
)
def test_level_of_long_and_double_names(issuer: str, level: DocumentLevel) -> None:
    assert guess_level(issuer) is level
