"""Plain-Chinese sentences for why a condition holds or fails on a profile."""

from __future__ import annotations

from common.eligibility import FactType
from policy_index import messages
from policy_index.conditions import (
    NEGATIVE_OPERATORS,
    ORDER_OPERATORS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Operator,
)
from policy_index.facts import FactValue, Profile


def _values(comparison: Comparison) -> tuple[FactValue, ...]:
    value = comparison.value
    return value if isinstance(value, tuple) else (value,)


def _expected(comparison: Comparison) -> str:
    labels = [messages.QUOTE.format(comparison.fact.describe(v)) for v in _values(comparison)]
    return messages.JOIN_OR.join(labels)


def _bool_required(comparison: Comparison) -> bool | None:
    """For a bool fact: the one value the comparison accepts, or None when it accepts both or neither."""
    accepted = [v for v in (True, False) if comparison.holds(v)]
    return accepted[0] if len(accepted) == 1 else None


def _order_words(comparison: Comparison) -> str:
    return messages.OPERATOR_WORDS[comparison.op.value]


def describe(condition: Condition) -> str:
    """What the condition asks for, as a Chinese phrase."""
    if isinstance(condition, Comparison):
        label = condition.fact.label.zh
        if condition.fact.type is FactType.BOOL and (required := _bool_required(condition)) is not None:
            return (messages.DESCRIBE_TRUE if required else messages.DESCRIBE_FALSE).format(label=label)
        if condition.op in ORDER_OPERATORS:
            return messages.DESCRIBE_ORDER.format(label=label, op=_order_words(condition), expected=condition.value)
        template = messages.DESCRIBE_NOT_VALUE if condition.op in NEGATIVE_OPERATORS else messages.DESCRIBE_VALUE
        return template.format(label=label, expected=_expected(condition))
    if isinstance(condition, Not):
        return messages.DESCRIBE_NOT.format(parts=describe(condition.item))
    parts = "；".join(describe(item) for item in condition.items)
    return (messages.DESCRIBE_ALL if isinstance(condition, AllOf) else messages.DESCRIBE_ANY).format(parts=parts)


def _comparison_failed(comparison: Comparison, actual: FactValue) -> str:
    fact = comparison.fact
    label, shown = fact.label.zh, fact.describe(actual)
    if fact.type is FactType.BOOL and (required := _bool_required(comparison)) is not None:
        return (messages.REQUIRE_TRUE if required else messages.REQUIRE_FALSE).format(label=label, actual=shown)
    if comparison.op in ORDER_OPERATORS:
        return messages.REQUIRE_ORDER.format(
            label=label, op=_order_words(comparison), expected=comparison.value, actual=shown
        )
    negative = comparison.op in (Operator.NE, Operator.NOT_IN)
    template = messages.REQUIRE_NOT_VALUE if negative else messages.REQUIRE_VALUE
    return template.format(label=label, expected=_expected(comparison), actual=shown)


def _comparison_met(comparison: Comparison, actual: FactValue) -> str:
    fact = comparison.fact
    if fact.type is FactType.BOOL:
        return (messages.MET_TRUE if actual else messages.MET_FALSE).format(label=fact.label.zh)
    if comparison.op in ORDER_OPERATORS:
        return messages.MET_ORDER.format(
            label=fact.label.zh, actual=actual, op=_order_words(comparison), expected=comparison.value
        )
    return messages.MET_VALUE.format(label=fact.label.zh, actual=fact.describe(actual))


def failed_reasons(condition: Condition, profile: Profile) -> tuple[str, ...]:
    """Sentences naming each known part that makes the condition False (call only when it is False)."""
    if isinstance(condition, Comparison):
        actual = profile.get(condition.fact.name)
        return () if actual is None or condition.holds(actual) else (_comparison_failed(condition, actual),)
    if isinstance(condition, AllOf):
        return tuple(
            r for item in condition.items if item.evaluate(profile) is False for r in failed_reasons(item, profile)
        )
    if isinstance(condition, AnyOf):
        head = messages.REQUIRE_ANY.format(parts="；".join(describe(item) for item in condition.items))
        return (head, *(r for item in condition.items for r in failed_reasons(item, profile)))
    return (messages.REQUIRE_NOT.format(parts=describe(condition.item)),)


def met_reasons(condition: Condition, profile: Profile) -> tuple[str, ...]:
    """Sentences naming each known part that makes the condition True (call only when it is True)."""
    if isinstance(condition, Comparison):
        actual = profile.get(condition.fact.name)
        return () if actual is None or not condition.holds(actual) else (_comparison_met(condition, actual),)
    if isinstance(condition, AllOf | AnyOf):
        return tuple(
            r for item in condition.items if item.evaluate(profile) is True for r in met_reasons(item, profile)
        )
    return (f"{describe(condition)}，符合要求。",)
