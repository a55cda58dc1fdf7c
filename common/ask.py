"""What an enterprise's question is after, and what its answer offers to do next."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """What the enterprise wants from the desk, as the matcher reads the question."""

    POLICY = "policy"
    ELIGIBILITY = "eligibility"
    SERVICE = "service"
    CHITCHAT = "chitchat"
    OUT_OF_SCOPE = "out_of_scope"


class AnswerAction(StrEnum):
    """A next step an answer card offers."""

    CHECK_ELIGIBILITY = "check_eligibility"
    CREATE_REQUEST = "create_request"
    CONTACT_STAFF = "contact_staff"


class PickChoice(StrEnum):
    """What the asker chose when asked 「您想问的是：」."""

    MEASURE = "measure"  # one of the offered measures
    NONE = "none"  # 都不是
    STAFF = "staff"  # 转人工
