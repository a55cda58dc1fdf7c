"""The types of an enterprise profile's facts and the outcomes of a clause."""

from __future__ import annotations

from enum import StrEnum


class FactType(StrEnum):
    """The type of a fact's values."""

    BOOL = "bool"
    ENUM = "enum"
    INT = "int"


class VerdictStatus(StrEnum):
    """The outcome of one clause for one profile."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_INFO = "needs_info"


class NotificationKind(StrEnum):
    """What a notification to an enterprise is about."""

    POLICY_MATCH = "policy_match"
