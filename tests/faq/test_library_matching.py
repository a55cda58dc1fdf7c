"""Matching across imported documents: their own words, the level a question names, out-of-scope cues, English."""

from __future__ import annotations

from dataclasses import replace

from common.ask import Intent
from common.documents import DocumentLevel as Level
from common.documents import DocumentStatus as Status
from faq.bundled import Bundled
from faq.matcher import Matcher, TextPipeline
from faq.retrieve import Weights
from policy_index.document import Document, DocumentMeta, Measure, Numbering
from policy_index.library import PolicyLibrary

SEED = "sichuan-hitech-zones-draft"


def _doc(doc_id: str, level: Level, measures: list[tuple[str, str]], title: str) -> Document:
    parsed = tuple(
        Measure(doc_id, n, f"{n}.", head, body, None, ("人社局",)) for n, (head, body) in enumerate(measures, 1)
    )
    return Document(doc_id, title, Numbering.ARABIC, (), parsed, DocumentMeta(level=level, status=Status.IN_FORCE))


JOBS = _doc(
    "zone-jobs",
    Level.ZONE,
    [
        ("发放稳岗补贴", "对上年度未裁员或裁员率低于规定比例的企业，按单位缴纳失业保险费的50%发放稳岗补贴。"),
        ("给予房租补贴", "对新入驻孵化载体的初创企业，按实际房租的30%给予房租补贴，最长3年。"),
    ],
    "成都高新区关于稳定就业的若干措施",
)
ZONE_IPO = _doc(
    "zone-ipo",
    Level.ZONE,
    [("支持企业境内上市", "对在上海证券交易所、深圳证券交易所首发上市的企业，给予最高500万元上市奖励。")],
    "成都高新区关于支持企业上市发展的若干政策",
)


def _matcher(library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher, *extra: Document) -> Matcher:
    return Matcher([*library.documents, *extra], matcher.entries, pipeline=pipeline)


def test_an_imported_documents_own_term_answers_with_no_lexicon_change(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    result = _matcher(library, pipeline, matcher, JOBS).match("稳岗补贴按什么标准发")
    assert result.intent is not Intent.OUT_OF_SCOPE
    assert result.matches[0].measure_id == "zone-jobs#1"


def test_an_out_of_scope_cue_the_library_speaks_of_does_not_refuse(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    with_jobs = _matcher(library, pipeline, matcher, JOBS)
    assert with_jobs.match("初创企业房租补贴能补几年").matches[0].measure_id == "zone-jobs#2"
    assert with_jobs.match("初创企业房租补贴能补几年").intent is not Intent.OUT_OF_SCOPE
    # Without a document that speaks of it, the cue still marks the question out of scope.
    assert matcher.match("房租能不能便宜点").intent is Intent.OUT_OF_SCOPE


def test_a_zone_document_outranks_the_seed_faq_on_its_topic(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    assert matcher.match("区里上市奖励有多少").matches[0].measure_id == f"{SEED}#23"
    result = _matcher(library, pipeline, matcher, ZONE_IPO).match("区里上市奖励有多少")
    assert result.matches[0].measure_id == "zone-ipo#1"


def test_an_english_question_matches_its_chinese_measure(matcher: Matcher) -> None:
    assert matcher.match("how long can a foreign expert get a residence permit").matches[0].measure_id == f"{SEED}#10"
    assert matcher.match("what is the R&D super deduction rate?").matches[0].measure_id == f"{SEED}#13"


def test_english_words_become_the_documents_chinese_terms(pipeline: TextPipeline) -> None:
    assert "工作许可" in pipeline.normaliser.normalise("work permits for engineers")
    assert "研发" in pipeline.normaliser.normalise("R&D subsidies")


def test_an_english_question_off_topic_is_not_made_specific_by_translation(matcher: Matcher) -> None:
    assert matcher.match("weather in Chengdu tomorrow, going to rain?").intent is Intent.OUT_OF_SCOPE


def test_a_service_question_naming_a_category_gets_it(matcher: Matcher) -> None:
    result = matcher.match("外籍员工居留许可快到期了 在哪续")
    assert (result.intent, result.category and result.category.value) == (Intent.SERVICE, "residence_permit")
    assert matcher.match("容缺受理是啥意思").intent is Intent.POLICY


ZONE_RD = _doc(
    "zone-rd",
    Level.ZONE,
    [
        ("实施研发费用后补助", "对入库科技型中小企业研发费用给予后补助，最高100万元。"),
        ("组织申报", "每年集中受理一次，企业通过科技项目管理系统在线提交材料，区科技局审核后拨付。"),
    ],
    "成都高新区研发费用后补助实施细则",
)


def test_words_only_one_measure_uses_separate_it_from_its_documents_other_measures(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    documents = [*library.documents, ZONE_RD]
    learned = Matcher(documents, matcher.entries, pipeline=pipeline)
    flat = Matcher(documents, matcher.entries, pipeline=pipeline, weights=Weights(coverage=0.0))

    def margin(m: Matcher) -> float:
        scores = {h.measure_id: h.score for h in m.match("后补助由谁审核拨付", limit=None).matches}
        return scores["zone-rd#2"] - scores["zone-rd#1"]

    assert learned.match("后补助由谁审核拨付").matches[0].measure_id == "zone-rd#2"
    assert margin(learned) > margin(flat)


TRANSFER = _doc(
    "zone-transfer",
    Level.ZONE,
    [("支持中试平台建设", "对服务企业10家以上的中试平台，按年度运营费用的30%给予补助。")],
    "成都高新区促进成果转化的若干措施",
)
NANSHAN = _doc(
    "nanshan-rd",
    Level.COUNTY,
    [("支持企业研发", "对企业上年度研发费用给予10%的资助，最高500万元。")],
    "深圳市南山区关于支持企业研发的若干措施",
)


def test_the_dictionary_names_regions_not_countries(bundled: Bundled) -> None:
    assert {"深圳", "南山区", "上海"} <= bundled.lexicon.places
    assert not {"美国", "德国"} & bundled.lexicon.places


def test_a_question_about_a_region_no_document_is_for_is_out_of_scope(matcher: Matcher) -> None:
    assert matcher.match("深圳南山区的研发补贴政策是啥").intent is Intent.OUT_OF_SCOPE
    assert matcher.match("上海的人才公寓怎么申请").intent is Intent.OUT_OF_SCOPE


def test_a_region_where_the_enterprise_is_or_a_person_comes_from_does_not_refuse(matcher: Matcher) -> None:
    assert matcher.match("公司注册在深圳 能申请高新区的人才公寓吗").intent is not Intent.OUT_OF_SCOPE
    assert matcher.match("上海来的专家 外籍人才居留许可怎么办").intent is not Intent.OUT_OF_SCOPE


def test_an_imported_document_for_a_region_makes_its_questions_answerable(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    result = _matcher(library, pipeline, matcher, NANSHAN).match("深圳南山区的研发补贴政策是啥")
    assert result.intent is not Intent.OUT_OF_SCOPE
    assert result.matches[0].measure_id == "nanshan-rd#1"


def test_slips_are_repaired_towards_the_librarys_own_terms(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    assert "中试平台" not in matcher.match("中式平台运营补助咋个算").normalised
    with_transfer = _matcher(library, pipeline, matcher, TRANSFER)
    assert "中试平台" in with_transfer.match("中式平台运营补助咋个算").normalised
    assert with_transfer.match("中式平台运营补助咋个算").matches[0].measure_id == "zone-transfer#1"


def test_a_slip_is_not_read_into_a_common_word_or_across_a_word(matcher: Matcher) -> None:
    assert "财政补多少" in matcher.match("地方财政补多少").normalised
    assert "财政补助" in matcher.match("21年那个研发财政补助办法还用吗").normalised


def test_a_document_named_by_its_number_answers_before_a_more_specific_one(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    provincial = _doc(
        "province-ipo",
        Level.PROVINCIAL,
        [("支持企业境内上市", "对在上海证券交易所、深圳证券交易所首发上市的企业，给予最高300万元上市奖励。")],
        "四川省关于支持企业上市发展的若干政策",
    )
    provincial = replace(provincial, meta=replace(provincial.meta, doc_number="川府发〔2026〕9号"))
    both = _matcher(library, pipeline, matcher, ZONE_IPO, provincial)
    assert both.match("企业首发上市奖励最高多少").matches[0].measure_id == "zone-ipo#1"
    assert both.match("川府发2026 9号 首发上市奖励最高多少").matches[0].measure_id == "province-ipo#1"


def test_english_scope_and_procedure_words_become_document_wording(pipeline: TextPipeline) -> None:
    normalised = pipeline.normaliser.normalise("which industries are excluded, and who reviews and pays out?")
    assert {"行业", "不适用", "审核", "拨付"} <= set(pipeline.words(normalised))


def test_a_cue_inside_a_longer_word_the_library_speaks_of_does_not_refuse(
    library: PolicyLibrary, pipeline: TextPipeline, matcher: Matcher
) -> None:
    capital = _doc(
        "nation-capital",
        Level.NATIONAL,
        [("发展耐心资本", "鼓励保险资金、社保基金、养老金等长期资金依法合规投资科技型企业。")],
        "关于构建科技金融体制的意见",
    )
    with_capital = _matcher(library, pipeline, matcher, capital)
    assert with_capital.match("社保基金养老金能投科技企业吗").intent is not Intent.OUT_OF_SCOPE
    assert with_capital.match("社保缴费基数怎么调").intent is Intent.OUT_OF_SCOPE
