"""统一社会信用代码 (GB 32100-2015): format and check character."""

from __future__ import annotations

# The code's alphabet: digits and capitals without I, O, Z, S, V (GB 32100-2015, table 1).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registering authority (1 机构编制, 5 民政, 9 工商, Y 其他 ...).
AUTHORITIES = "123456789ABCDEFGNY"


class InvalidCreditCode(ValueError):
    """The code is malformed; the message says why, in Chinese, for the form."""


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Upper-case, strip spaces and full-width forms; raise InvalidCreditCode when wrong."""
    code = (
        "".join(raw.split())
        .upper()
        .translate(
            {
                ord(c): ord(c) - 0xFEE0
                for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ"
            }
        )
    )
    if len(code) != 18:
        raise InvalidCreditCode(f"统一社会信用代码应为 18 位，实际为 {len(code)} 位")
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise InvalidCreditCode(
            f"统一社会信用代码含有无效字符：{''.join(bad)}（不使用 I、O、Z、S、V）"
        )
    if code[0] not in AUTHORITIES:
        raise InvalidCreditCode(f"统一社会信用代码第 1 位（登记管理部门）{code[0]} 无效")
    if not code[2:8].isdigit():
        raise InvalidCreditCode("统一社会信用代码第 3–8 位应为行政区划码数字")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode("统一社会信用代码校验位不正确，请核对后重新输入")
    return code


def is_valid_credit_code(raw: str) -> bool:
    try:
        normalize_credit_code(raw)
    except InvalidCreditCode:
        return False
    return True
