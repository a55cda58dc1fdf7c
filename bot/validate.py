"""Checks of what users type: phone numbers and the unified social credit code (统一社会信用代码)."""

from __future__ import annotations

import re

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^(0(?:1\d|2\d|[3-9]\d{2}))-?(\d{7,8})$")  # 010, 02x: 3 digits; else 4


def normalise_credit_code(text: str) -> str | None:
    """The 18-character code in upper case when its check character is right, else None."""
    code = "".join(text.split()).upper()
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        return None
    total = sum(_USCC_CHARS.index(ch) * weight for ch, weight in zip(code[:17], _USCC_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return code if _USCC_CHARS[check] == code[17] else None


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
