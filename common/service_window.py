"""Closed sets of the service window: 整改 (rectification) statuses."""

from __future__ import annotations

from enum import StrEnum


class RectificationStatus(StrEnum):
    """A 差评's rectification: open until the call-back (回访) is recorded."""

    OPEN = "open"
    DONE = "done"
