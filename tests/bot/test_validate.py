"""Phone numbers and unified social credit codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.validate import normalise_credit_code, normalise_phone, parse_contact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("028-85551234", "028-85551234"),
        ("02885551234", "028-85551234"),
        ("（028）85551234", "028-85551234"),
        ("12345", None),
        ("23812345678", None),
        ("电话", None),
    ],
)
def test_phone_numbers_are_normalised_or_refused(text: str, expected: str | None) -> None:
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王经理 13912345678", "王经理 13912345678"),
        ("13912345678（王经理）", "王经理 13912345678"),
        ("028-85551234 转 8021", "028-85551234 转 8021"),
        ("028-85551234分机8021", "028-85551234 转 8021"),
        ("+852 9123 4567", "+852 9123 4567"),
        ("Mr Li +1 650 253 0000 ext. 12", "Mr Li +1 650-253-0000 转 12"),
        ("+86 138 1234 5678", "13812345678"),
        ("王经理", None),
        ("王经理 12345", None),
        ("0080000000000", None),  # +800 freephone: would not read back the same once written
        ("1100 1000000000", "010-00000000"),  # stray digits are no name
    ],
)
def test_typed_contacts_keep_names_extensions_and_country_codes(text: str, expected: str | None) -> None:
    assert parse_contact(text) == expected


def test_valid_credit_code_passes_and_wrong_check_character_fails() -> None:
    valid = "91350100M000100Y43"
    assert normalise_credit_code(valid) == valid
    assert normalise_credit_code(valid.lower()) == valid
    assert normalise_credit_code(valid[:-1] + "4") is None
    assert normalise_credit_code(valid[:-2]) is None


@given(st.text(max_size=30) | st.from_regex(r"[+(（]?[0-9]{2,4}[)）]?[- ]?[0-9 -]{5,12}", fullmatch=True))
def test_validators_never_raise_and_accept_their_own_output(text: str) -> None:
    phone = normalise_phone(text)
    assert phone is None or normalise_phone(phone) == phone
    contact = parse_contact(text)
    assert contact is None or parse_contact(contact) == contact
    code = normalise_credit_code(text)
    assert code is None or normalise_credit_code(code) == code
