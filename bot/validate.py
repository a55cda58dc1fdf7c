"""Checks of what users type: phone numbers and the unified social credit code (统一社会信用代码)."""

from __future__ import annotations

import re

from common.uscc import uscc_problem

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^(0(?:1\d|2\d|[3-9]\d{2}))-?(\d{7,8})$")  # 010, 02x: 3 digits; else 4


def normalise_credit_code(text: str) -> str | None:
    """The 18-character code in upper case when its check character is right, else None."""
    code = "".join(text.split()).upper()
    return code if uscc_problem(code) is None else None


def normalise_phone(text: str) -> str | None:
    """A mainland mobile (11 digits, optional +86) or landline (area code + number), else None."""
    compact = re.sub(r"[\s()（）]", "", text).replace("－", "-")
    mobile = _MOBILE.match(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.match(compact)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    return None
