"""The salary parser: the formats of Chinese job sites, the real 51job/lagou strings, properties."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.salary import (
    Salary,
    SalaryRejected,
    SalaryUnit,
    monthly_equivalent,
    parse_salary,
)
from tests.datafiles import data_file

M, Y, D, H, P = (
    SalaryUnit.MONTH,
    SalaryUnit.YEAR,
    SalaryUnit.DAY,
    SalaryUnit.HOUR,
    SalaryUnit.PIECE,
)

FORMATS = [
    ("1-1.5万/月", Salary(10_000, 15_000, M, None)),
    ("6-8千/月", Salary(6_000, 8_000, M, None)),
    ("8千-1.2万/月", Salary(8_000, 12_000, M, None)),
    ("0.8-1.3万/月", Salary(8_000, 13_000, M, None)),
    ("15k-30k", Salary(15_000, 30_000, M, None)),
    ("10K-15K", Salary(10_000, 15_000, M, None)),
    ("15-25K·13薪", Salary(15_000, 25_000, M, 13)),
    ("20-40万/年", Salary(200_000, 400_000, Y, None)),
    ("100万以上/年", Salary(1_000_000, None, Y, None)),
    ("2万以下/年", Salary(None, 20_000, Y, None)),
    ("150元/天", Salary(150, 150, D, None)),
    ("200元/日", Salary(200, 200, D, None)),
    ("25元/时", Salary(25, 25, H, None)),
    ("25元/小时", Salary(25, 25, H, None)),
    ("3000元以上", Salary(3_000, None, M, None)),
    ("3000-5000元/月", Salary(3_000, 5_000, M, None)),
    ("4000-6000", Salary(4_000, 6_000, M, None)),
    ("5元/件", Salary(5, 5, P, None)),
    ("１５Ｋ－２５Ｋ", Salary(15_000, 25_000, M, None)),
    ("１２０００～１５０００元／月", Salary(12_000, 15_000, M, None)),
    ("8000~10000", Salary(8_000, 10_000, M, None)),
    ("3000至5000元", Salary(3_000, 5_000, M, None)),
    ("3000—5000元/月", Salary(3_000, 5_000, M, None)),
    (" 15 - 25 k ", Salary(15_000, 25_000, M, None)),
    ("15-20k·14薪", Salary(15_000, 20_000, M, 14)),
    ("14薪 15-20k", Salary(15_000, 20_000, M, 14)),
    ("15-20k 14薪", Salary(15_000, 20_000, M, 14)),
    ("20-30万/年·13薪", Salary(200_000, 300_000, Y, 13)),
    ("3000-5000元每月", Salary(3_000, 5_000, M, None)),
    ("每月3000元", Salary(3_000, 3_000, M, None)),
    ("元3000-5000", Salary(3_000, 5_000, M, None)),
    ("¥3000-5000", Salary(3_000, 5_000, M, None)),
    ("3000元-1万", Salary(3_000, 10_000, M, None)),
    ("20万元/年", Salary(200_000, 200_000, Y, None)),
    ("3,000-5,000元/月", Salary(3_000, 5_000, M, None)),
    ("月薪：8000-10000", Salary(8_000, 10_000, M, None)),
    ("年薪20万", Salary(200_000, 200_000, Y, None)),
    ("时薪25元", Salary(25, 25, H, None)),
    ("日薪200", Salary(200, 200, D, None)),
    ("8k起", Salary(8_000, None, M, None)),
    ("15k+", Salary(15_000, None, M, None)),
    ("3000元/月以上", Salary(3_000, None, M, None)),
    ("1.5千以下/月", Salary(None, 1_500, M, None)),
    ("5000左右", Salary(5_000, 5_000, M, None)),
    ("30元/单", Salary(30, 30, P, None)),
]


@pytest.mark.parametrize(("text", "expected"), FORMATS)
def test_each_site_format_is_parsed_to_yuan_with_its_unit(text: str, expected: Salary) -> None:
    assert parse_salary(text) == expected


def test_wan_per_month_range_is_parsed_to_yuan() -> None:
    assert parse_salary("1-1.5万/月") == Salary(min=10_000.0, max=15_000.0, unit=M, months=None)


def test_low_bound_takes_the_high_bounds_multiplier_only_when_it_has_none() -> None:
    assert parse_salary("1-1.5万").min == 10_000
    assert parse_salary("8千-1.2万").min == 8_000
    assert parse_salary("3000元-1万").min == 3_000


def test_decimal_amounts_are_exact_yuan() -> None:
    salary = parse_salary("1.1-2.3万/月")
    assert (salary.min, salary.max) == (11_000.0, 23_000.0)


REJECTIONS = [
    ("面议", "面议: pay not stated"),
    ("薪资面议", "面议: pay not stated"),
    ("５千－８千（面议）", "面议: pay not stated"),
    ("", "empty"),
    ("   ", "empty"),
    ("待遇优厚", "no number found"),
    ("3000元/周", "unknown unit '周'"),
    ("周薪3000", "unknown unit '周'"),
    ("月薪3000元/年", "conflicting units"),
    ("5000-3000", "range reversed"),
    ("1.5万-8千/月", "range reversed"),
    ("0元/月", "zero pay"),
    ("13薪", "only months per year stated"),
    ("15-25k·13薪·14薪", "months per year stated twice"),
    ("15-25k·99薪", "months per year out of range: 99"),
    ("3000-5000-8000", "unrecognised format"),
    ("1e5", "unrecognised format"),
    ("9" * 30, "amount too large: " + "9" * 30),
]


@pytest.mark.parametrize(("text", "reason"), REJECTIONS)
def test_unusable_strings_are_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(SalaryRejected) as excinfo:
        parse_salary(text)
    assert excinfo.value.reason == reason
    assert str(excinfo.value) == reason


def test_rejection_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="面议"):
        parse_salary("面议")


def test_salary_refuses_a_reversed_range_or_no_amount() -> None:
    with pytest.raises(SalaryRejected, match="range reversed"):
        Salary(min=5_000, max=3_000, unit=M, months=None)
    with pytest.raises(SalaryRejected, match="no amount"):
        Salary(min=None, max=None, unit=M, months=None)
    with pytest.raises(SalaryRejected, match="out of range"):
        Salary(min=-1, max=3_000, unit=M, months=None)
    with pytest.raises(SalaryRejected, match="months"):
        Salary(min=1, max=3_000, unit=M, months=2)


# --- real strings from 51job and lagou (2018-2019) ----------------------------------------------


def _real_salary_strings() -> list[str]:
    csv.field_size_limit(10**8)
    path = data_file("salary_strings_raw/salary_strings_raw.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["salary_raw"] for row in csv.DictReader(handle)]


# Checked by hand against the raw file; together they cover every shape that occurs in it.
REAL_SAMPLE = {
    "1-1.5万/月": (10_000, 15_000, M),
    "0.8-1万/月": (8_000, 10_000, M),
    "1.5-2万/月": (15_000, 20_000, M),
    "0.2-1万/月": (2_000, 10_000, M),
    "4.8-6.4万/月": (48_000, 64_000, M),
    "4-10万/月": (40_000, 100_000, M),
    "0.9-4.5万/月": (9_000, 45_000, M),
    "6-10万/月": (60_000, 100_000, M),
    "10万以上/月": (100_000, None, M),
    "6-8千/月": (6_000, 8_000, M),
    "4.5-6千/月": (4_500, 6_000, M),
    "2-3.5千/月": (2_000, 3_500, M),
    "1-2千/月": (1_000, 2_000, M),
    "3.5-7.9千/月": (3_500, 7_900, M),
    "8.5-9.5千/月": (8_500, 9_500, M),
    "1.5千以下/月": (None, 1_500, M),
    "20-40万/年": (200_000, 400_000, Y),
    "10-15万/年": (100_000, 150_000, Y),
    "4-5万/年": (40_000, 50_000, Y),
    "6-10万/年": (60_000, 100_000, Y),
    "30-100万/年": (300_000, 1_000_000, Y),
    "50-200万/年": (500_000, 2_000_000, Y),
    "100万以上/年": (1_000_000, None, Y),
    "2万以下/年": (None, 20_000, Y),
    "85元/天": (85, 85, D),
    "150元/天": (150, 150, D),
    "1000元/天": (1_000, 1_000, D),
    "15k-30k": (15_000, 30_000, M),
    "1k-2k": (1_000, 2_000, M),
    "9k-10k": (9_000, 10_000, M),
    "25k-42k": (25_000, 42_000, M),
    "35k-45k": (35_000, 45_000, M),
    "10K-20K": (10_000, 20_000, M),
    "5K-8K": (5_000, 8_000, M),
    "8K-15K": (8_000, 15_000, M),
}


def test_every_real_string_is_parsed_or_rejected_with_a_reason() -> None:
    strings = _real_salary_strings()
    outcomes = [_outcome(text) for text in strings]
    assert all(isinstance(outcome, Salary) or outcome.strip() for outcome in outcomes)
    parsed = sum(isinstance(outcome, Salary) for outcome in outcomes)
    # Measured: all 5,611 parse (the sites offered only these shapes); a drop is a regression.
    assert parsed / len(strings) >= 0.99


def test_hand_checked_real_strings_are_parsed_right() -> None:
    real = set(_real_salary_strings())
    assert len(REAL_SAMPLE) >= 30
    assert set(REAL_SAMPLE) <= real
    for text, (low, high, unit) in REAL_SAMPLE.items():
        assert parse_salary(text) == Salary(low, high, unit, None), text


# --- properties -------------------------------------------------------------------------------

MULTIPLIERS = {"": 1, "k": 1_000, "K": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}
UNIT_SUFFIXES = {
    "": M,
    "/月": M,
    "元/月": M,
    "每月": M,
    "/年": Y,
    "元/年": Y,
    "/天": D,
    "元/日": D,
    "元/时": H,
    "/小时": H,
    "元/件": P,
}
SEPARATORS = ["-", "~", "至", "—", "－", "～", " - ", "到"]
MONTHS = {"": None, "·13薪": 13, " 14薪": 14, "·16薪": 16}
FULL_WIDTH = str.maketrans("0123456789.-kK/", "０１２３４５６７８９．－ｋＫ／")


@st.composite
def valid_salary_strings(draw: st.DrawFn) -> tuple[str, Salary]:
    """A salary string in one of the site formats, with the Salary it must parse to."""
    multiplier = draw(st.sampled_from(sorted(MULTIPLIERS)))
    suffix = draw(st.sampled_from(sorted(UNIT_SUFFIXES)))
    months_text = draw(st.sampled_from(sorted(MONTHS)))
    # Amounts in tenths so that 0.8万 and 1.5k occur as the sites write them.
    low_tenths = draw(st.integers(min_value=1, max_value=99_999))
    high_tenths = draw(st.integers(min_value=low_tenths, max_value=99_999))
    low, high = (Decimal(tenths) / 10 for tenths in (low_tenths, high_tenths))
    scale = MULTIPLIERS[multiplier]
    # 元 stays next to the amount, before 以上/以下: "3000元以上/月".
    yuan, unit_text = ("元", suffix[1:]) if suffix.startswith("元") else ("", suffix)
    shape = draw(st.sampled_from(["range", "range_once", "single", "at_least", "at_most"]))
    if shape == "range":
        separator = draw(st.sampled_from(SEPARATORS))
        body = f"{low}{multiplier}{separator}{high}{multiplier}{yuan}"
        bounds = (low * scale, high * scale)
    elif shape == "range_once":
        body = f"{low}{draw(st.sampled_from(SEPARATORS))}{high}{multiplier}{yuan}"
        bounds = (low * scale, high * scale)
    elif shape == "single":
        body, bounds = f"{low}{multiplier}{yuan}", (low * scale, low * scale)
    elif shape == "at_least":
        body, bounds = f"{low}{multiplier}{yuan}以上", (low * scale, None)
    else:
        body, bounds = f"{low}{multiplier}{yuan}以下", (None, low * scale)
    text = body + unit_text + months_text
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    expected = Salary(
        *(None if bound is None else float(bound) for bound in bounds),
        unit=UNIT_SUFFIXES[suffix],
        months=MONTHS[months_text],
    )
    return text, expected


@settings(database=None, max_examples=300)
@given(valid_salary_strings())
def test_generated_site_strings_round_trip_their_amounts(case: tuple[str, Salary]) -> None:
    text, expected = case
    salary = parse_salary(text)
    assert salary == expected
    assert isinstance(salary.unit, SalaryUnit)
    if salary.min is not None and salary.max is not None:
        assert salary.min <= salary.max


def _outcome(text: str) -> Salary | str:
    """The parsed salary, or the rejection's reason."""
    try:
        return parse_salary(text)
    except SalaryRejected as rejected:
        return rejected.reason


def _assert_parsed_or_rejected(text: str) -> None:
    outcome = _outcome(text)
    if isinstance(outcome, str):
        assert outcome
        return
    assert isinstance(outcome.unit, SalaryUnit)
    assert outcome.min is not None or outcome.max is not None
    assert all(bound >= 0 for bound in (outcome.min, outcome.max) if bound is not None)
    if outcome.min is not None and outcome.max is not None:
        assert outcome.min <= outcome.max


@settings(database=None, max_examples=300)
@given(st.text())
def test_arbitrary_text_raises_nothing_but_salary_rejected(text: str) -> None:
    _assert_parsed_or_rejected(text)


@settings(database=None, max_examples=500)
@given(
    st.text(
        alphabet="0123456789..--~~ kK千万w元¥/每月年天日时小件薪·以上下起+面议至,：０５－",
        max_size=20,
    )
)
def test_salary_like_noise_raises_nothing_but_salary_rejected(text: str) -> None:
    _assert_parsed_or_rejected(text)


# --- monthly equivalent -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "months", "expected"),
    [
        (10_000, M, None, 10_000),
        (10_000, M, 13, 10_000),
        (240_000, Y, None, 20_000),
        (260_000, Y, 13, 20_000),
        (200, D, None, 4_350),
        (25, H, None, 4_350),
        (240_000, "year", None, 20_000),
        (200, "day", None, 4_350),
    ],
)
def test_monthly_equivalent_converts_by_unit(
    amount: float, unit: SalaryUnit | str, months: int | None, expected: float
) -> None:
    assert monthly_equivalent(amount, unit, months) == pytest.approx(expected)


def test_twenty_wan_a_year_over_thirteen_months_is_about_15385_a_month() -> None:
    salary = parse_salary("20万/年·13薪")
    assert monthly_equivalent(salary.min, salary.unit, salary.months) == pytest.approx(
        15_384.615, abs=0.001
    )
    assert monthly_equivalent(salary.min, salary.unit) == pytest.approx(16_666.667, abs=0.001)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(5, P), (5, "piece"), (None, M), (100, None), (100, "unknown"), (100, "hour_or_piece")],
)
def test_monthly_equivalent_is_none_for_piece_rates_and_unknowns(
    amount: float | None, unit: SalaryUnit | str | None
) -> None:
    assert monthly_equivalent(amount, unit) is None


def test_monthly_equivalent_refuses_impossible_months() -> None:
    with pytest.raises(ValueError, match="months"):
        monthly_equivalent(100_000, Y, 0)
