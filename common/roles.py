"""Who an account is: the roles of DESIGN.md."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an account may do."""

    ENTERPRISE = "enterprise"
    STAFF = "staff"
    ADMIN = "admin"
