"""The facts file: read with its order kept; malformed entries reported with their line."""

from __future__ import annotations

import pytest

from common.eligibility import FactType
from policy_index.facts import FactFileError, parse_facts
from policy_index.yaml_lines import YamlSyntaxError, load_yaml_with_lines

GOOD = """\
facts:
  - name: zone_level
    type: enum
    label: {zh: 所在园区级别, en: zone}
    question: {zh: 哪一级？, en: "Which?"}
    help: {zh: 说明。, en: Help.}
    options:
      - {value: national, zh: 国家级, en: national}
      - {value: none, zh: 不在, en: none}
  - name: tech_sme
    type: bool
    label: {zh: 已入库, en: registered}
    question: {zh: 是否入库？, en: "Registered?"}
    help: 说明
    options:
      - {value: true, zh: 是, en: "yes"}
      - {value: false, zh: 否, en: "no"}
"""


def test_facts_keep_file_order_and_types() -> None:
    facts = parse_facts(load_yaml_with_lines(GOOD))
    assert facts.names == ("zone_level", "tech_sme")
    assert facts["tech_sme"].type is FactType.BOOL
    assert facts.order("tech_sme") == 1
    assert facts["zone_level"].describe("none") == "不在"
    assert facts["tech_sme"].accepts(True)
    assert not facts["tech_sme"].accepts(1)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ('      - {value: false, zh: 否, en: "no"}\n', "", 15),  # a bool fact without both values
        ("    type: enum\n", "    type: text\n", 2),
        ("  - name: tech_sme\n", "  - name: zone_level\n", 10),  # duplicate fact
        ("      - {value: none, zh: 不在, en: none}\n", "      - {value: 3, zh: 三, en: three}\n", 9),
    ],
)
def test_malformed_facts_name_their_line(old: str, new: str, line: int) -> None:
    with pytest.raises(FactFileError) as caught:
        parse_facts(load_yaml_with_lines(GOOD.replace(old, new)))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"第 {line} 行：")


def test_yaml_syntax_errors_carry_a_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml_with_lines("facts:\n  - name: [x\n  - name: y\n")
    assert caught.value.line >= 2
