"""Retrieval: known questions rank their measure first; scores in [0, 1]; the index rebuilds from entries."""

from __future__ import annotations

import pytest

from faq.entries import FaqEntry
from faq.matcher import Matcher

SEED = "sichuan-hitech-zones-draft"


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("我们是高企 研发费用加记扣除咋弄", 13),
        ("外籍员工年龄超了工作许可还能办吗", 10),
        ("孩子上学有啥政策", 10),
        ("IPO有补贴么", 23),
        ("科小能享受啥", 12),
        ("標準廠房貸款貼息", 24),
        ("西部科学城一城多园", 9),
        ("省级高新区考核不合格会被撤销吗", 28),
    ],
)
def test_known_question_ranks_its_measure_first(matcher: Matcher, question: str, number: int) -> None:
    result = matcher.match(question)
    assert result.matches[0].measure_id == f"{SEED}#{number}"


def test_scores_lie_in_unit_interval_and_descend(matcher: Matcher) -> None:
    scores = [m.score for m in matcher.match("高新技术企业有什么支持 高企 高企", limit=None).matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_faq_match_names_its_entry(matcher: Matcher) -> None:
    top = matcher.match("人才公寓怎么申请").matches[0]
    assert top.faq_id == "m10-housing-apply"


def test_rebuilt_index_serves_a_new_entry(matcher: Matcher) -> None:
    question = "园区咖啡券怎么领取"
    before = matcher.match(question)
    entry = FaqEntry("coffee", question, ("咖啡券领取",), "见第（二十七）条。", (f"{SEED}#27",))
    after = matcher.with_entries([*matcher.entries, entry]).match(question)
    assert before.matches == () or before.matches[0].faq_id != "coffee"
    assert after.matches[0].measure_id == f"{SEED}#27"
    assert after.matches[0].faq_id == "coffee"


def test_entry_linking_unknown_measure_is_ignored(matcher: Matcher) -> None:
    entry = FaqEntry("ghost", "幽灵条目", (), "无", ("other-doc#1",))
    rebuilt = matcher.with_entries([entry])
    assert all(m.faq_id != "ghost" for m in rebuilt.match("幽灵条目").matches)
