"""The condition language: all / any / not over comparisons of facts, as data, with Kleene logic.

A condition never runs code from its file: YAML becomes these frozen values, which `evaluate` walks.
`evaluate` returns True, False or None (unknown); a known False decides `all` even when other parts
are unknown, and a known True decides `any`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from common.eligibility import FactType
from policy_index.facts import Fact, FactCatalogue, FactValue, Profile, is_of_type
from policy_index.yaml_lines import key_line, line_of

Truth = bool | None


class Operator(StrEnum):
    """A comparison operator."""

    EQ = "=="
    NE = "!="
    IN = "in"
    NOT_IN = "not in"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


LIST_OPERATORS = frozenset({Operator.IN, Operator.NOT_IN})
ORDER_OPERATORS = frozenset({Operator.LT, Operator.LE, Operator.GT, Operator.GE})
NEGATIVE_OPERATORS = frozenset({Operator.NE, Operator.NOT_IN})


@dataclass(frozen=True, slots=True)
class Comparison:
    """`fact op value`; `value` is a tuple for `in` / `not in`."""

    fact: Fact
    op: Operator
    value: FactValue | tuple[FactValue, ...]

    def holds(self, actual: FactValue) -> bool:
        """Whether a known value satisfies the comparison."""
        value = self.value
        if isinstance(value, tuple):
            found = any(is_of_type(actual, self.fact.type) and actual == v for v in value)
            return found if self.op is Operator.IN else not found
        same = is_of_type(actual, self.fact.type) and actual == value
        if self.op is Operator.EQ:
            return same
        if self.op is Operator.NE:
            return not same
        if not (is_of_type(actual, FactType.INT) and isinstance(value, int)):
            return False
        assert isinstance(actual, int)
        return {
            Operator.LT: actual < value,
            Operator.LE: actual <= value,
            Operator.GT: actual > value,
            Operator.GE: actual >= value,
        }[self.op]

    def evaluate(self, profile: Profile) -> Truth:
        """True / False, or None when the fact is unknown."""
        actual = profile.get(self.fact.name)
        return None if actual is None else self.holds(actual)

    def fact_names(self) -> frozenset[str]:
        """The facts this condition reads."""
        return frozenset({self.fact.name})

    def to_data(self) -> dict[str, object]:
        """The YAML/JSON form."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"fact": self.fact.name, "op": self.op.value, "value": value}


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every item holds."""

    items: tuple[Condition, ...]

    def evaluate(self, profile: Profile) -> Truth:
        """Kleene AND: any False decides, else any None leaves it open."""
        results = [item.evaluate(profile) for item in self.items]
        if False in results:
            return False
        return None if None in results else True

    def fact_names(self) -> frozenset[str]:
        """The facts this condition reads."""
        return frozenset().union(*(item.fact_names() for item in self.items))

    def to_data(self) -> dict[str, object]:
        """The YAML/JSON form."""
        return {"all": [item.to_data() for item in self.items]}


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one item holds."""

    items: tuple[Condition, ...]

    def evaluate(self, profile: Profile) -> Truth:
        """Kleene OR: any True decides, else any None leaves it open."""
        results = [item.evaluate(profile) for item in self.items]
        if True in results:
            return True
        return None if None in results else False

    def fact_names(self) -> frozenset[str]:
        """The facts this condition reads."""
        return frozenset().union(*(item.fact_names() for item in self.items))

    def to_data(self) -> dict[str, object]:
        """The YAML/JSON form."""
        return {"any": [item.to_data() for item in self.items]}


@dataclass(frozen=True, slots=True)
class Not:
    """The item does not hold."""

    item: Condition

    def evaluate(self, profile: Profile) -> Truth:
        """Kleene NOT: unknown stays unknown."""
        result = self.item.evaluate(profile)
        return None if result is None else not result

    def fact_names(self) -> frozenset[str]:
        """The facts this condition reads."""
        return self.item.fact_names()

    def to_data(self) -> dict[str, object]:
        """The YAML/JSON form."""
        return {"not": self.item.to_data()}


Condition = Comparison | AllOf | AnyOf | Not


@dataclass(frozen=True, slots=True)
class ConditionIssue:
    """A problem found while reading a condition, at a line of its file."""

    line: int
    message: str


class _Reader:
    """Reads condition data into `Condition` values, collecting every issue instead of stopping at one."""

    def __init__(self, facts: FactCatalogue) -> None:
        self.facts = facts
        self.issues: list[ConditionIssue] = []

    def fail(self, line: int, message: str) -> None:
        self.issues.append(ConditionIssue(line, message))

    def read(self, data: object, line: int) -> Condition | None:
        line = line_of(data, line)
        if not isinstance(data, Mapping):
            self.fail(line, "条件须是映射：all / any / not，或 fact / op / value (a condition must be a mapping)")
            return None
        groups = [key for key in ("all", "any", "not") if key in data]
        if groups:
            if len(data) != 1:
                self.fail(line, f"{groups[0]} 须单独成项 ({groups[0]} must be the only key)")
                return None
            return self._group(groups[0], data[groups[0]], key_line(data, groups[0], line))
        return self._comparison(data, line)

    def _group(self, key: str, body: object, line: int) -> Condition | None:
        if key == "not":
            inner = self.read(body, line)
            return Not(inner) if inner is not None else None
        if not isinstance(body, list) or not body:
            self.fail(line, f"{key} 须是非空列表 ({key} needs a non-empty list)")
            return None
        lines = getattr(body, "item_lines", [line] * len(body))
        items = [self.read(item, item_line) for item, item_line in zip(body, lines, strict=True)]
        if any(item is None for item in items):
            return None
        read = tuple(item for item in items if item is not None)
        return AllOf(read) if key == "all" else AnyOf(read)

    def _comparison(self, data: Mapping[object, object], line: int) -> Condition | None:
        extra = sorted(str(k) for k in data if k not in ("fact", "op", "value"))
        if extra or not {"fact", "op", "value"} <= set(data):
            self.fail(line, f"比较须恰有 fact、op、value 三项，多出或缺少：{extra or '缺项'} (fact/op/value)")
            return None
        name, op_name, value = data["fact"], data["op"], data["value"]
        fact = self.facts.get(name) if isinstance(name, str) else None
        if fact is None:
            self.fail(key_line(data, "fact", line), f"未知的事实“{name}” (unknown fact)")
        if op_name not in set(Operator):
            self.fail(key_line(data, "op", line), f"未知的运算符“{op_name}” (unknown operator)")
        if fact is None or op_name not in set(Operator):
            return None
        op = Operator(str(op_name))
        checked = self._value(fact, op, value, key_line(data, "value", line))
        return None if checked is None else Comparison(fact, op, checked)

    def _value(self, fact: Fact, op: Operator, value: object, line: int) -> FactValue | tuple[FactValue, ...] | None:
        if op in ORDER_OPERATORS and fact.type is not FactType.INT:
            self.fail(line, f"类型不符：{op} 只能比较整数事实，{fact.name} 是 {fact.type} (type mismatch)")
            return None
        if op in LIST_OPERATORS:
            if not isinstance(value, list) or not value:
                self.fail(line, f"类型不符：{op} 需要非空列表 (type mismatch: {op} needs a list)")
                return None
            items = [self._scalar(fact, v, line) for v in value]
            return None if any(v is None for v in items) else tuple(v for v in items if v is not None)
        return self._scalar(fact, value, line)

    def _scalar(self, fact: Fact, value: object, line: int) -> FactValue | None:
        if not is_of_type(value, fact.type):
            self.fail(line, f"类型不符：{fact.name} 是 {fact.type}，不能与 {value!r} 比较 (type mismatch)")
            return None
        if not fact.accepts(value):
            options = "、".join(str(o.value) for o in fact.options)
            self.fail(line, f"取值“{value}”不是 {fact.name} 的选项（{options}）(value not among options)")
            return None
        assert isinstance(value, str | bool | int)
        return value


def read_condition(data: object, facts: FactCatalogue, line: int = 1) -> tuple[Condition | None, list[ConditionIssue]]:
    """Read condition data (from YAML or JSON); the condition is None when there are issues."""
    reader = _Reader(facts)
    condition = reader.read(data, line)
    return (condition if not reader.issues else None), reader.issues
