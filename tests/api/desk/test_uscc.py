"""统一社会信用代码 (GB 32100-2015) check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.auth.models import Role
from common.uscc import ALPHABET, check_character, uscc_problem
from tests.api.conftest import Desk
from tests.factories import auth_header, make_token, make_user


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


def test_admin_registration_rejects_a_wrong_check_character(sqlite_desk: Desk) -> None:
    with sqlite_desk.session() as session:
        headers = auth_header(make_token(session, make_user(session, Role.ADMIN)))
        session.commit()
    path = "/api/v1/admin/enterprises"
    bad = sqlite_desk.client.post(path, json={"name": "华为", "uscc": "914403001922038217"}, headers=headers)
    assert bad.status_code == 422
    assert "校验位" in bad.json()["detail"]
    good = sqlite_desk.client.post(path, json={"name": "华为", "uscc": " 914403001922038216"}, headers=headers)
    assert (good.status_code, good.json()["uscc"], len(good.json()["binding_code"])) == (201, "914403001922038216", 16)
    again = sqlite_desk.client.post(path, json={"name": "华为", "uscc": "914403001922038216"}, headers=headers)
    assert again.status_code == 409
