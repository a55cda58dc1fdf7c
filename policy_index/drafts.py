"""Draft clauses proposed from a measure's wording, for an admin to review, edit and publish — never published as is.

A sentence that grants something to someone (对…企业/人才…给予…, 首次…, 最高…万元, 按规定…) becomes one
draft: its beneficiary and benefit, the amount or cap and the application window the text states, and a
condition over the facts whose labels the sentence names. What the sentence requires that no fact
covers is listed in `unresolved` for the admin (often a new fact, such as 首次获评…“小巨人”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from common.eligibility import FactType
from policy_index.conditions import AllOf, Comparison, Operator
from policy_index.document import Measure
from policy_index.facts import FactCatalogue

_SENTENCE = re.compile(r"[^。；;！!]+[。；;！!]?")
_GRANT = re.compile(
    r"对(?P<who>[^，,。]{2,60}?(?:企业|人才|机构|单位|团队|项目|高校|院所|平台))[^。；]*?(?:给予|予以|奖励|补贴|补助)"
)
_BENEFIT = re.compile(r"(?:给予|予以)(?P<benefit>[^，,。；]{2,40})")
_AMOUNT = re.compile(r"(?:最高(?:不超过)?|不超过)[0-9.]+(?:万|亿)元")
_REQUIREMENTS = (  # what a fact must cover before the clause can decide: the admin adds or picks it
    re.compile(r"首次[^，,。；的]{2,30}"),
    re.compile(r"[^，,。；对]{0,12}(?:(?<!不)超过|不低于|不少于|达到)[0-9.]+(?:万元|亿元|%|人|家)"),
)
_WINDOW = re.compile(r"每年[0-9一二三四五六七八九十]+月[^，,。；]{0,10}(?:申报|申请)|每年[^，,。；]{0,8}集中申报")
_CUES = ("首次", "按规定", "最高")
_ORG_WORDS = {"企业": "enterprise", "高等学校": "university", "高校": "university", "科研院所": "research_institute"}


@dataclass(frozen=True, slots=True)
class DraftClause:
    """A proposed clause: its data (the clause-file item), the source sentence and where it sits in the body."""

    data: dict[str, object]
    source: str
    start: int  # the sentence's offsets in the measure body, for highlighting
    end: int
    unresolved: tuple[str, ...]  # requirements of the sentence no fact covers yet

    def to_yaml(self) -> str:
        """The draft as a clause file the admin edits and publishes."""
        document = str(self.data["measure_id"]).rpartition("#")[0]
        return yaml.safe_dump({"document": document, "clauses": [self.data]}, allow_unicode=True, sort_keys=False)


def _names(label: str, sentence: str) -> bool:
    """Whether the sentence names the fact: its label, or a tail of it of five characters or more
    (已认定为高新技术企业 → 高新技术企业)."""
    return any(label[i:] in sentence for i in range(len(label) - 4))


def _condition(sentence: str, facts: FactCatalogue) -> tuple[dict[str, object], tuple[str, ...]]:
    parts: list[Comparison] = []
    org = "org_type" in facts and next((v for w, v in _ORG_WORDS.items() if w in sentence), None)
    if org and facts["org_type"].accepts(org):
        parts.append(Comparison(facts["org_type"], Operator.EQ, org))
    for fact in facts:
        if fact.type is FactType.BOOL and _names(fact.label.zh, sentence):
            parts.append(Comparison(fact, Operator.EQ, True))
    covered = [p.fact.label.zh for p in parts]
    unresolved = tuple(
        found.group()
        for pattern in _REQUIREMENTS
        for found in pattern.finditer(sentence)
        if not any(found.group() in label or label in found.group() for label in covered)
    )
    condition = AllOf(tuple(parts)) if len(parts) > 1 else (parts[0] if parts else None)
    return (condition.to_data() if condition else {}), unresolved


def propose_clauses(measure: Measure, facts: FactCatalogue) -> list[DraftClause]:
    """Draft clauses for each granting sentence of the measure (none for a closing provision)."""
    if measure.provision:
        return []
    drafts: list[DraftClause] = []
    for match in _SENTENCE.finditer(measure.body):
        sentence = match.group().strip().rstrip("。；;！!")
        grant = _GRANT.search(sentence)
        if grant is None and not any(cue in sentence for cue in _CUES):
            continue
        if _BENEFIT.search(sentence) is None:
            continue
        benefit = _BENEFIT.search(sentence)
        assert benefit is not None
        condition, unresolved = _condition(sentence, facts)
        amount, window = _AMOUNT.search(sentence), _WINDOW.search(sentence)
        data: dict[str, object] = {
            "id": f"m{measure.number}-draft-{len(drafts) + 1}",
            "measure_id": measure.id,
            "title": f"{measure.title.lstrip('0123456789.（）()一二三四五六七八九十、')}",
            "benefit": _AMOUNT.sub("", benefit["benefit"]).strip() or benefit["benefit"],
            "lead_unit": measure.lead_units[0] if measure.lead_units else "",
            "source": sentence,
            "condition": condition,
        }
        if amount:
            data["amount"] = amount.group()
        if window:
            data["application_window"] = window.group()
        start = measure.body.find(sentence)
        drafts.append(DraftClause(data, sentence, start, start + len(sentence), unresolved))
    return drafts
