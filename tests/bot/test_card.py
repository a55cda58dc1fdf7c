"""The answer card rendered from client models: label as written, source, caveats, other sources, limits."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from bot.card import answer_card
from bot.client import AskResult
from bot.i18n import create_i18n
from bot.render import MESSAGE_LIMIT

DRAFT_TITLE = "关于促进高新技术产业开发（园）区高质量发展的实施意见（征求意见稿）"
DRAFT_NOTICE = "本措施出自征求意见稿，最终以正式印发的文件为准。"


def document(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": "sichuan-hitech-zones-draft",
        "title": DRAFT_TITLE,
        "doc_number": None,
        "level": "provincial",
        "status": "draft",
        "level_label": "省级",
        "status_label": "征求意见稿",
    }
    return values | overrides


def ask_result(
    *, confident: bool = True, label: str = "（八）", measure: str = "大力集聚高端创新平台", **answer: Any
) -> AskResult:
    """An /ask response as the API sends it (JSON), validated by the client's models."""
    doc = answer.pop("document", document())
    payload = {
        "text": "外资研发中心有啥奖补",
        "intent": "policy",
        "confident": confident,
        "category": None,
        "matches": [
            {
                "measure_id": f"{doc['id'] if doc else 'x'}#8",
                "number": 8,
                "title": measure,
                "score": 0.91,
                "faq_id": None,
                "document_id": doc["id"] if doc else None,
                "label": label,
            }
        ],
        "answer": {
            "title": f"{label}{measure}",
            "summary": "鼓励外资企业设立研发机构，予以一次性奖补。",
            "lead_units": ["科技厅"],
            "participating_units": [],
            "actions": ["contact_staff"],
            "label": label,
            "document": doc,
            "notice": None,
            "others": [],
        }
        | answer,
    }
    return AskResult.model_validate(payload)


def other(level: str, title: str, label: str, measure: str, **doc: Any) -> dict[str, Any]:
    ref = document(id=title, title=title, level=level, **({"status": "in_force"} | doc))
    return {"measure_id": f"{title}#1", "label": label, "title": measure, "document": ref}


@pytest.fixture
def zh() -> Iterator[None]:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("zh_CN"):
        yield


@pytest.fixture
def en() -> Iterator[None]:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("en"):
        yield


def card_text(result: AskResult) -> str:
    return answer_card(result)[0]


def visible(html: str) -> str:
    """What Telegram shows: tags dropped, entities decoded (fails on a tag it would reject)."""
    parts: list[str] = []
    parser = TagCheck(parts)
    parser.feed(html)
    parser.close()
    assert parser.open == [], f"unclosed tags {parser.open}"
    return "".join(parts)


class TagCheck(HTMLParser):
    ALLOWED = frozenset({"b", "i"})

    def __init__(self, parts: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = parts
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"unexpected tag <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"unbalanced </{tag}>"
        assert self.open.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_draft_answer_names_label_document_level_status_and_its_notice(zh: None) -> None:
    text = card_text(ask_result(notice=DRAFT_NOTICE))
    lines = text.split("\n")
    assert lines[0] == "<b>（八）大力集聚高端创新平台</b>"
    assert lines[1] == f"出处：《{DRAFT_TITLE}》· 省级 · 征求意见稿"
    assert lines[2] == f"⚠️ {DRAFT_NOTICE}"
    assert "第8条" not in text


def test_label_is_prefixed_when_the_title_lacks_it(zh: None) -> None:
    result = ask_result(label="第三条", measure="人才引进", title="人才引进")
    assert card_text(result).startswith("<b>第三条人才引进</b>")


def test_in_force_answer_shows_doc_number_and_no_notice(zh: None) -> None:
    ref = document(
        id="gaoxin-ipo",
        title="成都高新区支持企业上市的若干政策",
        doc_number="成高管发〔2026〕8号",
        level="zone",
        status="in_force",
    )
    text = card_text(ask_result(label="3.", measure="上市奖励", document=ref))
    assert "出处：《成都高新区支持企业上市的若干政策》（成高管发〔2026〕8号）· 园区 · 现行有效" in text
    assert "⚠️" not in text
    assert text.startswith("<b>3.上市奖励</b>")


def test_other_sources_are_grouped_per_level(zh: None) -> None:
    others = [
        other("provincial", "四川省支持研发的若干措施", "（三）", "支持研发机构"),
        other("city", "成都市科技创新政策", "第五条", "研发奖补"),
        other("provincial", "四川省外资研发中心办法", "3.", "认定奖励"),
    ]
    ref = document(id="zone-doc", title="园区研发政策", level="zone", status="in_force")
    text = card_text(ask_result(document=ref, others=others))
    assert "省级另有：《四川省支持研发的若干措施》（三）支持研发机构；《四川省外资研发中心办法》3.认定奖励" in text
    assert "市级另有：《成都市科技创新政策》第五条研发奖补" in text


def test_an_other_source_no_longer_current_is_not_offered(zh: None) -> None:
    others = [
        other("city", "成都市旧政策", "（一）", "旧奖补", status="expired"),
        other("city", "成都市新政策", "（二）", "新奖补"),
    ]
    text = card_text(ask_result(others=others))
    assert "成都市新政策" in text
    assert "成都市旧政策" not in text


def test_repealed_source_says_so_with_the_apis_notice(zh: None) -> None:
    ref = document(id="old", title="高新区旧办法", level="zone", status="repealed")
    notice = "《高新区旧办法》已废止，不再作为现行政策。现行政策可参考《新办法》（二）新措施。"
    text = card_text(ask_result(confident=False, document=ref, notice=notice))
    assert "不太确定" in text
    assert "<b>（八）大力集聚高端创新平台</b>" in text
    assert "出处：《高新区旧办法》· 园区 · 已废止" in text
    assert f"⚠️ {notice}" in text
    assert "现行有效" not in text


def test_expired_source_without_a_notice_still_says_it_is_not_current(zh: None) -> None:
    ref = document(id="old", title="高新区旧办法", level="zone", status="expired")
    text = card_text(ask_result(confident=False, document=ref))
    assert "· 已失效" in text
    assert "⚠️ 该文件已失效，不再作为现行政策。" in text


def test_english_card_translates_level_status_and_the_draft_notice(en: None) -> None:
    text = card_text(
        ask_result(notice=DRAFT_NOTICE, others=[other("city", "成都市科技创新政策", "第五条", "研发奖补")])
    )
    assert f"Source: 《{DRAFT_TITLE}》 · Provincial · Draft for comment" in text
    assert "⚠️ This measure comes from a draft for comment: the final text may differ" in text
    assert "City level also has: 《成都市科技创新政策》第五条研发奖补" in text
    assert DRAFT_NOTICE not in text
    assert "省级" not in text
    assert text.count("征求意见稿") == 1  # only in the document's own title


def test_english_card_for_a_repealed_source_keeps_the_pointer_to_current_policy(en: None) -> None:
    ref = document(id="old", title="高新区旧办法", level="zone", status="repealed", doc_number="成高管发〔2019〕1号")
    notice = "《高新区旧办法》已废止，不再作为现行政策。现行政策可参考《新办法》（二）新措施。"
    text = card_text(ask_result(confident=False, document=ref, notice=notice))
    assert "Source: 《高新区旧办法》 (成高管发〔2019〕1号) · Zone · Repealed" in text
    assert "⚠️ This document has been repealed and is no longer current policy." in text
    assert f"<i>{notice}</i>" in text


def test_chitchat_card_has_no_source_line(zh: None) -> None:
    result = AskResult.model_validate(
        {
            "text": "你好",
            "intent": "chitchat",
            "confident": False,
            "category": None,
            "matches": [],
            "answer": {
                "title": "您好",
                "summary": "您好！",
                "lead_units": [],
                "participating_units": [],
                "actions": [],
                "label": None,
                "document": None,
                "notice": None,
                "others": [],
            },
        }
    )
    text = card_text(result)
    assert "出处" not in text
    assert "不太确定" in text


def test_api_texts_are_html_escaped(zh: None) -> None:
    ref = document(title="<b>A&B</b> 办法", doc_number="<i>号", status="in_force")
    others = [other("city", "市<政策>", "（一）", "x&y")]
    result = ask_result(
        document=ref, measure="标题<script>", summary="金额 < 100 & 以上", notice="<u>注意</u>", others=others
    )
    text = card_text(result)
    shown = visible(text)
    assert "《<b>A&B</b> 办法》（<i>号）" in shown
    assert "标题<script>" in shown
    assert "金额 < 100 & 以上" in shown
    assert "<u>注意</u>" in shown
    assert "《市<政策>》（一）x&y" in shown


def test_a_card_of_huge_texts_fits_one_telegram_message(zh: None) -> None:
    huge = "&<>\"'长" * 2000
    ref = document(title=huge, doc_number=huge, status="repealed")
    others = [other(level, huge + level, huge, huge) for level in ("national", "provincial", "city", "county")]
    result = ask_result(
        confident=True, measure=huge, summary=huge, notice=huge, lead_units=[huge, huge], document=ref, others=others
    )
    text = card_text(result)
    assert len(text) <= MESSAGE_LIMIT
    shown = visible(text)
    assert shown.startswith("（八）" + huge[:20])  # cut, not emptied
    assert f"出处：《{huge[:20]}" in shown
    assert "…" in shown
