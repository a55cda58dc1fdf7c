"""Calendar dates as Chinese documents write them, and the arithmetic of validity periods."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from policy_index.numerals import parse_chinese_numeral

_CN_DIGIT = "〇零一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
# One date as written: 2026年3月15日 / 2026年03月15日 / 二〇二六年三月十五日 / 2026-03-15 / 2026.3.15.
# Signature dates use 日; some copies write 号, traditional ones 號. Digits may be full-width (\d).
DATE_PATTERN = (
    rf"(?:(?:\d{{4}}|[{_CN_DIGIT}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_SMALL}]{{1,2}})\s*月"
    rf"\s*(?:\d{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*[日号號]"
    r"|\d{4}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2}(?!\d))"
)
# A line that is only a date, perhaps in brackets: the signature date, or a 印发日期 under the 文号.
STANDALONE_DATE_RE = re.compile(rf"^[（(]?\s*{DATE_PATTERN}\s*[）)]?$")
_PARTS_RE = re.compile(
    rf"^(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})\s*(?:年|[-./／])\s*(?P<m>\d{{1,2}}|[{_CN_SMALL}]{{1,2}})\s*(?:月|[-./／])"
    rf"\s*(?P<d>\d{{1,2}}|[{_CN_SMALL}]{{1,3}})"
)
_YEAR_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def _number(text: str) -> int | None:
    if text.isdecimal():
        return int(text)
    return parse_chinese_numeral(text)


def parse_date(text: str) -> date | None:
    """The date written at the start of `text` (Arabic or Chinese numerals), or None if none or invalid."""
    match = _PARTS_RE.match(unicodedata.normalize("NFKC", text.strip().lstrip("（(")))
    if match is None:
        return None
    year_text = match.group("y")
    year = int(year_text) if year_text.isdecimal() else int("".join(_YEAR_DIGITS[ch] for ch in year_text))
    month, day = _number(match.group("m")), _number(match.group("d"))
    if month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def anniversary(start: date, years: int) -> date | None:
    """`start` moved on by `years` (29 February falls on 1 March in a common year); None past year 9999."""
    year = start.year + years
    if not 1 <= year <= date.max.year:
        return None
    try:
        return start.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def last_day_of(start: date, years: int) -> date | None:
    """The last day of a validity of `years` (≥ 1) years beginning on `start` (有效期N年)."""
    end = anniversary(start, years) if years >= 1 else None
    return end - timedelta(days=1) if end is not None else None


def days_after(start: date, days: int) -> date | None:
    """`start` plus `days` days, or None past the calendar's end."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return None
