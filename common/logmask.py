"""Masking personal data (ID card numbers, mobile phone numbers) in every log record."""

from __future__ import annotations

import logging
import re
from typing import Any

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
_OLD_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z*])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])")  # 15-digit, before 1999
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)")
_installed = False


def mask_personal_data(text: str) -> str:
    """`text` with ID numbers as 5101**********123X and mobile numbers as 138****5678."""
    text = _ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * 10}{m[2]}", text)
    text = _OLD_ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * 6}{m[2]}", text)
    return _MOBILE.sub(lambda m: f"{m[1]}****{m[2]}", text)


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
