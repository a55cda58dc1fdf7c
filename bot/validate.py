"""Checks of what users type: contacts (phone numbers with names and extensions) and the unified social
credit code (统一社会信用代码)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

from common.uscc import uscc_problem

CONTACT_LIMIT = 100  # characters of a typed contact; the ticket's contact column holds more
# 转 / 分机 (extension) as phonenumbers reads extensions
_EXTENSION = re.compile(r"\s*(?:转|分机|分机号|ext\.?|x)\s*(?=\d)", re.IGNORECASE)
_NAME_NOISE = " \t,，;；:：、/()（）-－—"


def normalise_credit_code(text: str) -> str | None:
    """The 18-character code in upper case when its check character is right, else None."""
    code = "".join(text.split()).upper()
    return code if uscc_problem(code) is None else None


def _number_text(number: PhoneNumber) -> str:
    """A mainland mobile as 11 digits, a landline as 028-85551234, a foreign number as +852 9123 4567."""
    if number.country_code != 86:
        return phonenumbers.format_number(
            PhoneNumber(country_code=number.country_code, national_number=number.national_number),
            PhoneNumberFormat.INTERNATIONAL,
        )
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    if phonenumbers.number_type(number) in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE) or not area:
        return national
    return f"0{national[:area]}-{national[area:]}"


def _find_number(text: str) -> tuple[PhoneNumber, int, int] | None:
    """The first valid number in the text and where it stands; only one that reads back the same once written."""
    found = _match(text)
    if found is None:
        return None
    written = _number_text(found[0])
    again = _match(written)
    if again is None or _number_text(again[0]) != written:  # exotic forms (+800 freephone…) are refused
        return None
    return found


def _match(text: str) -> tuple[PhoneNumber, int, int] | None:
    found = next(iter(PhoneNumberMatcher(text, "CN", leniency=Leniency.VALID)), None)
    if found is None:
        bare = re.sub(r"[\s()（）-－]", "", text)
        if bare.isdigit() and bare.startswith("86"):  # a shared Telegram contact: 8613812345678
            return _match("+" + bare)
        return None
    return found.number, found.start, found.end


def parse_contact(text: str) -> str | None:
    """A typed contact as staff will read it — 「王经理 13912345678」, 「028-85551234 转 8021」, 「+852 9123 4567」 —
    or None when it holds no valid phone number."""
    prepared = _EXTENSION.sub(" ext. ", text.strip()[:CONTACT_LIMIT])
    found = _find_number(prepared)
    if found is None:
        return None
    number, start, end = found
    phone = _number_text(number)
    if number.extension:
        phone += f" 转 {number.extension}"
    # the words around the number name the person; stray digits (a second number) would read as the number
    names = [part.strip(_NAME_NOISE) for part in (prepared[:start], prepared[end:])]
    names = [name for name in names if not any(char.isdigit() for char in name)]
    return " ".join([*[n for n in names if n], phone]) if any(names) else phone


def normalise_phone(text: str) -> str | None:
    """A phone number alone (mainland mobile, landline, or +country code), normalised, else None."""
    found = _find_number(text.strip())
    return _number_text(found[0]) if found is not None else None
