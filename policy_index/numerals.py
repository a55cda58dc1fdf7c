"""Chinese numerals as used to number policy measures (一 … 九十九, also 〇/零 forms)."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}

NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def parse_chinese_numeral(text: str) -> int | None:
    """Return the value of a Chinese numeral such as 二十八, or None if it is not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        # Positional form: 一〇一, 二〇
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value if len(text) == 1 or text[0] not in "零〇" else None
    total = 0
    pending: int | None = None
    last_unit = 1000
    for ch in text:
        if ch in _DIGITS:
            if pending is not None and pending != 0:
                return None
            pending = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit >= last_unit:
            return None
        total += (1 if pending is None else pending) * unit
        pending = None
        last_unit = unit
    if pending is not None:
        total += pending
    return total if total > 0 else None


def to_int(label: str) -> int | None:
    """Return the value of a Chinese or Arabic numeral label, or None."""
    if label.isdecimal():
        return int(label)
    return parse_chinese_numeral(label)
