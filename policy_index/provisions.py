"""Closing provisions (附则): articles about 施行, 有效期, 解释 and 废止 rather than support."""

from __future__ import annotations

import re

from policy_index.units import strip_notes

# Each pattern is one closing topic a clause can be wholly about (DESIGN.md, "Parsing documents").
_CLOSING_TOPIC_RES = (
    # 自2026年5月1日起施行 / 自印发之日起30日后施行 / 起试行: the effective date.
    re.compile(r"起.{0,16}?(?:施行|实施|實施|执行|執行|试行|試行|生效)"),
    re.compile(r"(?:施行|實施|实施)日期"),
    # 有效期3年 / 有效期至… / 执行期限为…至…: the validity.
    re.compile(r"有效期|(?:执行|執行|实施|實施|试行|試行)(?:期(?:限|間|间)?)?(?:为|為|是|自|至|到|截至|\d)"),
    # 由某局负责解释 / 解释权归…: who interprets it.
    re.compile(r"(?:负责|負責)(?:解释|解釋)|(?:解释|解釋)權|解释权|由.{1,40}?(?:解释|解釋)$"),
    # 《…》同时废止 / 停止执行: the documents it replaces.
    re.compile(r"废止|廢止|停止(?:执行|執行)|不再(?:执行|執行)|同时失效|同時失效"),
    # 此前规定与本办法不一致的，以本办法为准 / 国家另有规定的，从其规定.
    re.compile(r"不一致|为准|為準|从其规定|從其規定"),
)
# Clauses are separated by sentence and clause punctuation; a provision's every clause is closing.
_CLAUSE_SPLIT_RE = re.compile(r"[。；;，,\n]+")
# A closing measure may carry a heading of its own: （十）附则。 / 第三十条 施行日期。
_HEADING_RE = re.compile(r"^(?:附[则則]|施行日期|實施日期|实施日期|有效期|解释|解釋)$")


def is_provision(body: str) -> bool:
    """Whether a measure's text is only a closing provision (施行, 有效期, 解释, 废止, 以本…为准)."""
    clauses = [c.strip() for c in _CLAUSE_SPLIT_RE.split(strip_notes(body)) if c.strip()]
    topical = [c for c in clauses if not _HEADING_RE.match(c)]
    if not topical:
        return False
    return all(any(p.search(clause) for p in _CLOSING_TOPIC_RES) for clause in topical)
