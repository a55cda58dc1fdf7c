"""Personal data is masked in log records."""

from __future__ import annotations

import logging

import pytest

from common.logmask import install_log_masking, mask_personal_data


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("身份证 51010219900101123X 已收", "身份证 5101**********123X 已收"),
        ("电话13812345678", "电话138****5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("工单 ZD-000123 代码 91110000100017643K", "工单 ZD-000123 代码 91110000100017643K"),
        ("电话 138-1234-5678 或 139 1234 5678", "电话 138****5678 或 139****5678"),
        ("旧身份证 510102900101123", "旧身份证 510102******123"),
        ("身份证 510102 19900101 123X", "身份证 5101**********123X"),
        ("身份证 510102.1990.0101.123x", "身份证 5101**********123X"),
        ("身份证５１０１０２１９９００１０１１２３Ｘ", "身份证5101**********123X"),
        ("电话 138.1234.5678", "电话 138****5678"),
        ("电话１３８１２３４５６７８", "电话138****5678"),
        ("+86-138 1234 5678 王经理", "+86-138****5678 王经理"),
        ("邮箱 zhang.san@example.com.cn 收", "邮箱 z***@example.com.cn 收"),
        ("卡号 6222 0212 3456 7894 已填", "卡号 ************7894 已填"),
        ("卡号6222021234567894", "卡号************7894"),
        ("订单 6222021234567890 不是卡号", "订单 6222021234567890 不是卡号"),  # fails the Luhn check
    ],
)
def test_mask_personal_data(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


def test_installed_masking_covers_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    install_log_masking()
    with caplog.at_level(logging.INFO, logger="zonedesk.test"):
        logging.getLogger("zonedesk.test").info("contact %s id %s", "13812345678", "510102199001011234")
    assert caplog.records[-1].getMessage() == "contact 138****5678 id 5101**********1234"


def test_tracebacks_are_masked_too(caplog: pytest.LogCaptureFixture) -> None:
    install_log_masking()
    with caplog.at_level(logging.ERROR, logger="zonedesk.test"):
        try:
            raise ValueError("insert failed: contact=13812345678")
        except ValueError:
            logging.getLogger("zonedesk.test").exception("could not save")
    record = caplog.records[-1]
    assert "13812345678" not in (record.exc_text or "")
    assert "138****5678" in (record.exc_text or "")
