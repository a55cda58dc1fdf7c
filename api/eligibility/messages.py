"""User-facing Chinese of eligibility authoring."""

from __future__ import annotations

PASTED_TEXT = "粘贴内容"  # the "file" a clause error's line number points into
