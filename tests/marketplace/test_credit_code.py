"""统一社会信用代码 checking (GB 32100-2015)."""

from __future__ import annotations

import pytest

from marketplace.employers.credit_code import (
    InvalidCreditCode,
    is_valid_credit_code,
    normalize_credit_code,
)


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91110000600037341L", "91440300359099107L"],
)
def test_published_codes_pass_the_check_character(code: str) -> None:
    assert is_valid_credit_code(code)


def test_lower_case_spaces_and_full_width_are_normalised() -> None:
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100Y4", "18 位"),
        ("91350100M0001O0Y43", "无效字符"),
        ("Z1350100M000100Y43", "无效字符"),
        ("X1350100M000100Y43", "登记管理部门"),
        ("9135A100M000100Y43", "行政区划码"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(InvalidCreditCode, match=message):
        normalize_credit_code(code)


def test_every_single_character_change_is_caught() -> None:
    code = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(2, 18):
        for char in alphabet:
            if char == code[position]:
                continue
            changed = code[:position] + char + code[position + 1 :]
            if position < 8 and not char.isdigit():
                continue  # caught by the area-code rule instead
            assert not is_valid_credit_code(changed), changed
