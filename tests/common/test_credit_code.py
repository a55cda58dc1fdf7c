"""统一社会信用代码 (GB 32100-2015) check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.uscc import ALPHABET, check_character, uscc_problem


@pytest.mark.parametrize("code", ["914403001922038216", "91110000100017643K", "91350100M000100Y43"])
def test_published_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("914403001922038217", "校验位不正确"),
        ("91440300192203821", "应为18位"),
        ("91440300192203821I", "不允许的字符"),
        ("9144030019220382 6", "不允许的字符"),
    ],
)
def test_bad_codes_say_why_in_chinese(code: str, problem: str) -> None:
    assert problem in (uscc_problem(code) or "")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_exactly_one_check_character_fits(first17: str, last: str) -> None:
    valid = uscc_problem(first17 + last) is None
    assert valid == (last == check_character(first17))
