"""Masking personal data (ID card, mobile phone and bank card numbers, e-mail addresses) in every log record."""

from __future__ import annotations

import logging
import re
from typing import Any

_D = "[0-9０-９]"  # a digit, half or full width
_SEP = "[ \\u3000.\\-·．－]?"  # one optional separator between digits: space, dot, hyphen (either width)
_EDGE_BEFORE = "(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ])"
_EDGE_AFTER = "(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])"
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
_ID_NUMBER = re.compile(f"{_EDGE_BEFORE}{_D}(?:{_SEP}{_D}){{16}}{_SEP}[0-9０-９XxＸｘ]{_EDGE_AFTER}")
_OLD_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z*])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])")  # 15-digit, before 1999
_MOBILE = re.compile(
    f"(?<![0-9０-９])((?:[+＋]?[8８][6６]{_SEP})?)([1１]{_SEP}[3-9３-９](?:{_SEP}{_D}){{9}}){_EDGE_AFTER}"
)
_CARD = re.compile(f"{_EDGE_BEFORE}{_D}(?:{_SEP}{_D}){{15,18}}{_EDGE_AFTER}")
_installed = False


def _digits(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in text if c.isdigit())


def _luhn(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _id_number(match: re.Match[str]) -> str:
    compact = _digits(match[0][:-1]) + match[0][-1].upper().replace("Ｘ", "X").replace("ｘ", "X")
    return f"{compact[:4]}{'*' * 10}{compact[-4:]}"


def _mobile(match: re.Match[str]) -> str:
    digits = _digits(match[2])
    return f"{match[1]}{digits[:3]}****{digits[-4:]}"


def _card(match: re.Match[str]) -> str:
    digits = _digits(match[0])
    return f"{'*' * (len(digits) - 4)}{digits[-4:]}" if _luhn(digits) else match[0]


def mask_personal_data(text: str) -> str:
    """`text` with personal data masked: ID numbers (5101**********123X), mobile numbers (138****5678),
    bank card numbers (************1234) and e-mail addresses (z***@example.com), whether written with
    spaces, dots or hyphens between the digits, or in full-width digits."""
    text = _EMAIL.sub(lambda m: f"{m[1]}***@{m[2]}", text)
    text = _ID_NUMBER.sub(_id_number, text)
    text = _OLD_ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * 6}{m[2]}", text)
    text = _MOBILE.sub(_mobile, text)
    return _CARD.sub(_card, text)


def _mask(value: Any) -> Any:
    return mask_personal_data(value) if isinstance(value, str) else value


class PersonalDataFilter(logging.Filter):
    """Masks the message and its string arguments (keeping the arguments' shape for formatters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place."""
    record.msg = _mask(record.msg)
    if isinstance(record.args, dict):
        record.args = {key: _mask(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_mask(value) for value in record.args)
    if record.exc_info and not record.exc_text:
        # Tracebacks carry SQL parameters and exception texts: format them now, masked.
        record.exc_text = mask_personal_data(logging.Formatter().formatException(record.exc_info))
    return record


def install_log_masking() -> None:
    """Mask every record at creation, whatever logger or handler handles it later (idempotent)."""
    global _installed
    if _installed:
        return
    factory = logging.getLogRecordFactory()

    def masked_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(factory(*args, **kwargs))

    logging.setLogRecordFactory(masked_factory)
    _installed = True
