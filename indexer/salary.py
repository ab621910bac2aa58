"""The one parser of Chinese job sites' salary strings, and the monthly equivalent. Pure: no flask.

Rules: NFKC first (full-width → ASCII); 面议 is rejected; k/千 = 1,000 and w/万 = 10,000; a range's
low bound takes the high bound's multiplier when it has none (1-1.5万); no unit means a month;
以上/起/+ set only the minimum, 以下/以内 only the maximum; "N薪" anywhere is the months per year.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# DESIGN.md "Money": the legal average of working days per month, and an 8-hour day.
DAYS_PER_MONTH = 21.75
HOURS_PER_DAY = 8
# 12薪 is the floor by definition; real postings go up to 25薪, so 36 leaves room without
# accepting a stray number as a month count.
MIN_MONTHS = 12
MAX_MONTHS = 36
# Far above any real salary (the data tops out at 2,000,000/year); larger numbers are typos or junk.
MAX_AMOUNT = Decimal(1_000_000_000)


class SalaryUnit(StrEnum):
    MONTH = "month"
    YEAR = "year"
    DAY = "day"
    HOUR = "hour"
    PIECE = "piece"


class SalaryRejected(ValueError):
    """A salary string that states no usable pay; `reason` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Salary:
    """Pay in yuan per unit; one bound may be open (以上 / 以下)."""

    min: float | None
    max: float | None
    unit: SalaryUnit
    months: int | None = None

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise SalaryRejected("no amount")
        for amount in (self.min, self.max):
            if amount is not None and not (math.isfinite(amount) and amount >= 0):
                raise SalaryRejected(f"amount out of range: {amount}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise SalaryRejected("range reversed")
        if self.months is not None and not MIN_MONTHS <= self.months <= MAX_MONTHS:
            raise SalaryRejected(f"months per year out of range: {self.months}")


def monthly_equivalent(
    amount: float | None, unit: SalaryUnit | str | None, months: int | None = None
) -> float | None:
    """The amount per month for comparing and filtering; None for piece rates and unknown units."""
    if amount is None or unit is None:
        return None
    try:
        known = SalaryUnit(unit)
    except ValueError:
        # Imports carry "unknown"; such rows must simply not match pay filters.
        return None
    if known is SalaryUnit.MONTH:
        return float(amount)
    if known is SalaryUnit.YEAR:
        if months is not None and not MIN_MONTHS <= months <= MAX_MONTHS:
            raise ValueError(f"months per year out of range: {months}")
        return amount / (months or 12)
    if known is SalaryUnit.DAY:
        return amount * DAYS_PER_MONTH
    if known is SalaryUnit.HOUR:
        return amount * HOURS_PER_DAY * DAYS_PER_MONTH
    return None


# Dashes, tildes and words that sites use between the two bounds, all read as "-".
_SEPARATORS = str.maketrans(dict.fromkeys("~〜—–―‐‑−﹣至到", "-"))
_NEGOTIABLE = re.compile(r"面议|面谈|商议|议定|待定|negotiable")
_DIGIT = re.compile(r"[0-9]")
_THOUSANDS_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_MONTHS = re.compile(r"(?:[·•・*x×,;]\s*)?(?<![0-9.])([0-9]{1,3})\s*薪")
# The fixed words come first so that 底薪 is a label, not a unit "底".
_LABEL = re.compile(r"^(?:底薪|薪资|薪酬|薪水|工资|待遇|收入|(?P<unit>[^0-9¥元]{1,2}?)薪):?")
_EVERY_PREFIX = re.compile(r"^(?:每|按)个?(?P<unit>[^0-9¥元]{1,4}?)(?=[0-9¥元])")
# A bound qualifier may follow the unit (3000元/月以上); it is moved back onto the amount.
_UNIT_SUFFIX = re.compile(
    r"(?:/|每|per)个?(?P<unit>[^0-9/]{1,8}?)(?P<bound>及?以上|起|\+|及?以下|以内|左右)?$"
)
_AMOUNT = r"[¥元]?(?P<{n}>[0-9]+(?:\.[0-9]+)?)(?P<{m}>k|千|w|万)?(?P<{y}>元|块)?"
_RANGE = re.compile(
    _AMOUNT.format(n="lo", m="lo_mult", y="lo_yuan")
    + "-{1,2}"
    + _AMOUNT.format(n="hi", m="hi_mult", y="hi_yuan")
)
_SINGLE = re.compile(
    _AMOUNT.format(n="amount", m="mult", y="yuan")
    + r"(?:(?P<at_least>及?以上|起|\+)|(?P<at_most>及?以下|以内)|左右)?"
)
_MULTIPLIERS = {None: 1, "k": 1_000, "千": 1_000, "w": 10_000, "万": 10_000}
_UNIT_WORDS = {
    "月": SalaryUnit.MONTH,
    "month": SalaryUnit.MONTH,
    "年": SalaryUnit.YEAR,
    "year": SalaryUnit.YEAR,
    "天": SalaryUnit.DAY,
    "日": SalaryUnit.DAY,
    "day": SalaryUnit.DAY,
    "时": SalaryUnit.HOUR,
    "小时": SalaryUnit.HOUR,
    "h": SalaryUnit.HOUR,
    "hour": SalaryUnit.HOUR,
    # Per-task pay (an item, an order, a session) is not convertible to time, like piece work.
    "件": SalaryUnit.PIECE,
    "单": SalaryUnit.PIECE,
    "次": SalaryUnit.PIECE,
    "计件": SalaryUnit.PIECE,
    "piece": SalaryUnit.PIECE,
}


def _squeeze(text: str) -> str:
    text = "".join(text.split()).translate(_SEPARATORS)
    return _THOUSANDS_COMMA.sub("", text)


def _unit(word: str) -> SalaryUnit:
    try:
        return _UNIT_WORDS[word]
    except KeyError:
        raise SalaryRejected(f"unknown unit '{word}'") from None


def _yuan(number: str, multiplier: str | None) -> float:
    amount = Decimal(number) * _MULTIPLIERS[multiplier]
    if amount > MAX_AMOUNT:
        raise SalaryRejected(f"amount too large: {number}")
    # Decimal keeps 1.1万 at exactly 11000 instead of 11000.000000000002.
    return float(amount)


def _amounts(core: str) -> tuple[float | None, float | None]:
    if match := _RANGE.fullmatch(core):
        hi_mult = match["hi_mult"]
        # "1-1.5万" and "15-25k" give the multiplier once, on the high bound; "3000元-1万" does not.
        lo_mult = match["lo_mult"] or (None if match["lo_yuan"] else hi_mult)
        return _yuan(match["lo"], lo_mult), _yuan(match["hi"], hi_mult)
    if match := _SINGLE.fullmatch(core):
        amount = _yuan(match["amount"], match["mult"])
        if match["at_least"]:
            return amount, None
        if match["at_most"]:
            return None, amount
        return amount, amount
    if not _DIGIT.search(core):
        raise SalaryRejected("no number found")
    raise SalaryRejected("unrecognised format")


def parse_salary(text: str) -> Salary:
    """Read a salary string such as 1-1.5万/月, 15-25K·13薪 or 150元/天; else SalaryRejected."""
    normal = unicodedata.normalize("NFKC", text).lower()
    if not normal.strip():
        raise SalaryRejected("empty")
    if _NEGOTIABLE.search(normal):
        raise SalaryRejected("面议: pay not stated")

    # Months come out while spaces still separate them, so "5000 14薪" is not read as 500014薪.
    stated_months = _MONTHS.findall(normal)
    if len(stated_months) > 1:
        raise SalaryRejected("months per year stated twice")
    months = int(stated_months[0]) if stated_months else None
    core = _squeeze(_MONTHS.sub(" ", normal))

    units: list[SalaryUnit] = []
    if match := _LABEL.match(core):
        if match["unit"]:
            units.append(_unit(match["unit"]))
        core = core[match.end() :]
    if match := _EVERY_PREFIX.match(core):
        units.append(_unit(match["unit"]))
        core = core[match.end() :]
    if match := _UNIT_SUFFIX.search(core):
        units.append(_unit(match["unit"]))
        core = core[: match.start()] + (match["bound"] or "")
    if len(set(units)) > 1:
        raise SalaryRejected("conflicting units")

    if months is not None and not _DIGIT.search(core):
        raise SalaryRejected("only months per year stated")
    low, high = _amounts(core)
    if not low and not high:
        raise SalaryRejected("zero pay")
    if months is not None and not MIN_MONTHS <= months <= MAX_MONTHS:
        raise SalaryRejected(f"months per year out of range: {months}")
    return Salary(min=low, max=high, unit=units[0] if units else SalaryUnit.MONTH, months=months)
