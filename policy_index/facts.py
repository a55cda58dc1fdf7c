"""Facts of an enterprise profile: their types, options, questions; validating a profile against them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from common.eligibility import FactType
from policy_index import messages
from policy_index.yaml_lines import key_line, line_of

FactValue = str | bool | int
Profile = Mapping[str, FactValue]  # a known value per fact; an absent fact is unknown


NUMBER = "number"  # what authors call an int fact
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
BOOL_OPTIONS = ({"value": True, "zh": "是", "en": "yes"}, {"value": False, "zh": "否", "en": "no"})


class FactFileError(ValueError):
    """The facts file is malformed; `line` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"第 {line} 行：{message}")
        self.line = line


class ProfileError(ValueError):
    """A profile names an unknown fact or gives a value outside a fact's options or type."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(messages.PROFILE_PREFIX + "；".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing text in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed value of a fact, with its labels."""

    value: FactValue
    label: Text


def is_of_type(value: object, fact_type: FactType) -> bool:
    """Whether `value` has the Python type of `fact_type` (a bool is not an int here)."""
    if fact_type is FactType.BOOL:
        return isinstance(value, bool)
    if fact_type is FactType.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


@dataclass(frozen=True, slots=True)
class Fact:
    """A named fact of an enterprise profile."""

    name: str
    type: FactType
    label: Text  # a noun phrase (enum, int) or a predicate (bool), e.g. 已认定为高新技术企业
    question: Text
    help: Text
    options: tuple[Option, ...]  # empty for int facts
    unit: str | None = None  # of a number: 万元, 人, 年

    def option(self, value: object) -> Option | None:
        """The option with this value (type-exact), or None."""
        if not is_of_type(value, self.type):
            return None
        return next((o for o in self.options if o.value == value), None)

    def accepts(self, value: object) -> bool:
        """Whether `value` is a valid known value of this fact."""
        if self.type is FactType.INT:
            return is_of_type(value, self.type)
        return self.option(value) is not None

    def describe(self, value: FactValue) -> str:
        """The Chinese label of a value (the value itself for int facts)."""
        option = self.option(value)
        return option.label.zh if option else str(value)


class FactCatalogue:
    """The facts in file order; that order breaks ties between interview questions."""

    def __init__(self, facts: tuple[Fact, ...]) -> None:
        self._facts = {fact.name: fact for fact in facts}
        self._order = {fact.name: i for i, fact in enumerate(facts)}

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, name: object) -> bool:
        return name in self._facts

    def __getitem__(self, name: str) -> Fact:
        return self._facts[name]

    def get(self, name: str) -> Fact | None:
        """The fact with this name, or None."""
        return self._facts.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Fact names in file order."""
        return tuple(self._facts)

    def order(self, name: str) -> int:
        """The position of a fact in the file."""
        return self._order[name]


def _option_list(fact: Fact) -> str:
    return messages.JOIN_LIST.join(f"{o.value}（{o.label.zh}）" for o in fact.options)


def _value_text(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _problem(name: object, value: object, facts: FactCatalogue) -> str | None:
    if not isinstance(name, str) or name not in facts:
        return messages.PROFILE_UNKNOWN_FACT.format(fact=name, known=messages.JOIN_LIST.join(facts.names))
    fact = facts[name]
    if value is None or fact.accepts(value):
        return None
    if not is_of_type(value, fact.type):
        expected = messages.TYPE_NAMES[fact.type.value]
        return messages.PROFILE_BAD_TYPE.format(
            fact=name, label=fact.label.zh, expected=expected, value=_value_text(value)
        )
    return messages.PROFILE_BAD_OPTION.format(fact=name, label=fact.label.zh, value=value, options=_option_list(fact))


def validate_profile(raw: object, facts: FactCatalogue) -> dict[str, FactValue]:
    """Check a raw profile (JSON object) against the facts; drop nulls (unknown); raise `ProfileError`."""
    if not isinstance(raw, Mapping):
        raise ProfileError([messages.PROFILE_NOT_OBJECT])
    problems = [p for name, value in raw.items() if (p := _problem(name, value, facts)) is not None]
    if problems:
        raise ProfileError(problems)
    return {str(name): value for name, value in raw.items() if value is not None}


def _text(data: object, where: str, line: int) -> Text:
    if isinstance(data, str):
        return Text(zh=data, en=data)
    if isinstance(data, Mapping) and isinstance(data.get("zh"), str) and isinstance(data.get("en"), str):
        return Text(zh=str(data["zh"]), en=str(data["en"]))
    raise FactFileError(f"{where} 需要 zh 与 en 两种文字 ({where} needs zh and en)", line_of(data, line))


def _option(data: object, fact_type: FactType, line: int) -> Option:
    if not isinstance(data, Mapping) or "value" not in data:
        raise FactFileError("选项需要 value、zh、en (an option needs value, zh, en)", line_of(data, line))
    value = data["value"]
    if not is_of_type(value, fact_type) or isinstance(value, float):
        raise FactFileError(f"选项值 {value!r} 与类型 {fact_type} 不符 (option type)", line_of(data, line))
    assert isinstance(value, str | bool | int)
    return Option(value=value, label=_text(data, "选项", line_of(data, line)))


def _fact(data: object, line: int) -> Fact:
    if not isinstance(data, Mapping):
        raise FactFileError("每个事实须是映射 (each fact must be a mapping)", line)
    line = line_of(data, line)
    name, type_name = data.get("name"), data.get("type")
    type_name = FactType.INT.value if type_name == NUMBER else type_name
    if not isinstance(name, str) or not _NAME_RE.match(name) or type_name not in set(FactType):
        raise FactFileError("事实需要 name（小写字母、数字、下划线）与 type（bool/enum/number）(name and type)", line)
    fact_type = FactType(str(type_name))
    raw_options = data.get("options", list(BOOL_OPTIONS) if fact_type is FactType.BOOL else [])
    if not isinstance(raw_options, list):
        raise FactFileError("options 须是列表 (options must be a list)", key_line(data, "options", line))
    options = tuple(_option(o, fact_type, line) for o in raw_options)
    values = [o.value for o in options]
    expected_bool = fact_type is FactType.BOOL and sorted(values) != [False, True]
    if expected_bool or (fact_type is FactType.ENUM and (len(values) < 2 or len(set(values)) != len(values))):
        raise FactFileError(f"事实 {name} 的选项不完整或重复 (bad options)", key_line(data, "options", line))
    return Fact(
        name=name,
        type=fact_type,
        label=_text(data.get("label"), "label", key_line(data, "label", line)),
        question=_text(data.get("question"), "question", key_line(data, "question", line)),
        help=_text(data["help"], "help", key_line(data, "help", line)) if "help" in data else Text("", ""),
        options=options,
        unit=_unit(data, line),
    )


def _unit(data: Mapping[object, object], line: int) -> str | None:
    unit = data.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip() or len(unit) > 20):
        raise FactFileError("unit 须是简短文字 (unit must be short text)", key_line(data, "unit", line))
    return unit.strip() if isinstance(unit, str) else None


def fact_to_data(fact: Fact) -> dict[str, object]:
    """The fact in the shape of facts.yaml (what is stored and re-read)."""
    data: dict[str, object] = {
        "name": fact.name,
        "type": fact.type.value,
        "label": {"zh": fact.label.zh, "en": fact.label.en},
        "question": {"zh": fact.question.zh, "en": fact.question.en},
        "help": {"zh": fact.help.zh, "en": fact.help.en},
    }
    if fact.options:
        data["options"] = [{"value": o.value, "zh": o.label.zh, "en": o.label.en} for o in fact.options]
    if fact.unit is not None:
        data["unit"] = fact.unit
    return data


def read_fact(data: object) -> Fact:
    """One fact from JSON in the shape of facts.yaml (`FactFileError` when malformed)."""
    return _fact(data, 1)


def parse_facts(data: object) -> FactCatalogue:
    """Build the catalogue from the parsed facts file (`{"facts": [...]}`)."""
    raw = data.get("facts") if isinstance(data, Mapping) else None
    if not isinstance(raw, list):
        raise FactFileError("文件须有 facts 列表 (the file needs a `facts` list)", line_of(data, 1))
    lines = getattr(raw, "item_lines", [line_of(raw, 1)] * len(raw))
    facts = tuple(_fact(item, line) for item, line in zip(raw, lines, strict=True))
    seen: set[str] = set()
    for fact, line in zip(facts, lines, strict=True):
        if fact.name in seen:
            raise FactFileError(f"事实 {fact.name} 重复 (duplicate fact)", line)
        seen.add(fact.name)
    return FactCatalogue(facts)
