"""Market wage levels (人力资源市场工资价位): quartiles of posted pay, with a minimum count.

Pure: takes postings already reduced to (occupation, district, monthly pay) and returns tables.
It never reads the database or the app; `metrics.wage_postings` feeds it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_MIN_COUNT = 30
ALL_OCCUPATIONS = "全部职业"
ALL_DISTRICTS = "全部区县"
NO_OCCUPATION = "未归类"
# after a 中类's name when some of its 小类 are shown on their own rows
OTHERS = "（其他）"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks.

    The definition of numpy's default and of `statistics.quantiles(method="inclusive")`:
    position h = (n − 1)·p in the sorted values, interpolated between its neighbours.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be within 0 and 1, not {p}")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def monthly_pay(low: float | None, high: float | None) -> float | None:
    """One figure for a posting's monthly range: its midpoint, or the one end stated.

    The midpoint is what a seeker can expect from the range; using only the minimum would
    understate pay where employers advertise wide ranges, only the maximum overstate it.
    """
    ends = [value for value in (low, high) if value is not None and value > 0]
    if not ends:
        return None
    return sum(ends) / len(ends)


@dataclass(frozen=True)
class Posting:
    """One posting as the wage table needs it (no employer, no person)."""

    monthly: float
    district: str | None = None
    occupation_code: str | None = None
    occupation_name: str | None = None


@dataclass(frozen=True)
class WageCell:
    occupation: str
    district: str
    count: int
    occupation_code: str | None = None
    # None when the cell has fewer postings than the minimum count (suppressed)
    p25: float | None = None
    median: float | None = None
    p75: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.median is None

    @property
    def label(self) -> str:
        """The occupation with its code, 焊工（6-18-02-04）; the code alone when it has no name."""
        code = self.occupation_code
        if not code or self.occupation == code:
            return self.occupation
        if self.occupation.endswith(OTHERS):
            return f"{self.occupation.removesuffix(OTHERS)}（其他，{code}）"
        return f"{self.occupation}（{code}）"


@dataclass
class WageTable:
    """Three views of the same postings: by occupation, by district, by both."""

    min_count: int
    postings: int = 0
    by_occupation: list[WageCell] = field(default_factory=list)
    by_district: list[WageCell] = field(default_factory=list)
    cells: list[WageCell] = field(default_factory=list)

    @staticmethod
    def _shown(cells: list[WageCell]) -> list[WageCell]:
        return [cell for cell in cells if not cell.suppressed]

    @property
    def occupations_shown(self) -> list[WageCell]:
        return self._shown(self.by_occupation)

    @property
    def districts_shown(self) -> list[WageCell]:
        return self._shown(self.by_district)

    @property
    def cells_shown(self) -> list[WageCell]:
        return self._shown(self.cells)

    def suppressed(self, cells: list[WageCell]) -> int:
        return sum(cell.suppressed for cell in cells)

    def summary(self) -> dict[str, int]:
        return {
            "min_count": self.min_count,
            "postings": self.postings,
            "occupations": len(self.by_occupation),
            "occupations_shown": len(self.occupations_shown),
            "districts": len(self.by_district),
            "districts_shown": len(self.districts_shown),
            "cells": len(self.cells),
            "cells_shown": len(self.cells_shown),
            "cells_suppressed": self.suppressed(self.cells),
        }


def minor_code(code: str) -> str:
    """The 小类 of a code: 4-02-06-01 → 4-02-06-00."""
    parts = code.split("-")
    return "-".join([*parts[:3], "00"]) if len(parts) == 4 else code


def middle_code(code: str) -> str:
    """The 中类 of a code: 4-02-06-01 → 4-02-00-00."""
    parts = code.split("-")
    return "-".join([*parts[:2], "00", "00"]) if len(parts) == 4 else code


def occupation_groups(
    postings: Iterable[Posting], min_count: int, names: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """Each posting code → (group code, group name): its 小类 when that has enough postings
    overall, else its 中类 (the level the plan's wage tables publish)."""
    codes = [p.occupation_code for p in postings if p.occupation_code]
    minor_counts = Counter(minor_code(code) for code in codes)
    own_names = {p.occupation_code: p.occupation_name for p in postings if p.occupation_code}
    groups: dict[str, tuple[str, str]] = {}
    for code in set(codes):
        minor = minor_code(code)
        group = minor if minor_counts[minor] >= min_count else middle_code(code)
        # a name the classification lacks falls back to the posting's own, then the code
        name = names.get(group) or (own_names.get(code) if group == code else None) or group
        groups[code] = (group, name)
    # a 中类 row beside some of its own 小类 rows holds only the rest of it: say so
    split = {middle_code(group) for group, _ in groups.values() if group != middle_code(group)}
    return {
        code: (group, f"{name}{OTHERS}" if group in split else name)
        for code, (group, name) in groups.items()
    }


def _cell(
    occupation: str, district: str, values: list[float], min_count: int, code: str | None
) -> WageCell:
    if len(values) < min_count:
        return WageCell(occupation, district, len(values), code)
    return WageCell(
        occupation,
        district,
        len(values),
        code,
        p25=round(percentile(values, 0.25)),
        median=round(percentile(values, 0.5)),
        p75=round(percentile(values, 0.75)),
    )


def wage_table(
    postings: Iterable[Posting],
    min_count: int = DEFAULT_MIN_COUNT,
    names: Mapping[str, str] | None = None,
) -> WageTable:
    """P25 / median / P75 by occupation, by district and by both, rounded to the yuan;
    a cell with fewer than `min_count` postings keeps its count and shows no figures."""
    if min_count < 1:
        raise ValueError("the minimum count must be at least 1")
    rows = [p for p in postings if p.monthly > 0]
    groups = occupation_groups(rows, min_count, names or {})
    by_occupation: dict[tuple[str, str], list[float]] = defaultdict(list)
    by_district: dict[str, list[float]] = defaultdict(list)
    by_both: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for posting in rows:
        district = posting.district or "未注明"
        by_district[district].append(posting.monthly)
        if posting.occupation_code is None:
            continue  # an unclassified posting counts for its district only
        code, name = groups[posting.occupation_code]
        by_occupation[(code, name)].append(posting.monthly)
        by_both[(code, name, district)].append(posting.monthly)
    table = WageTable(min_count=min_count, postings=len(rows))
    table.by_occupation = [
        _cell(name, ALL_DISTRICTS, values, min_count, code)
        for (code, name), values in sorted(by_occupation.items())
    ]
    table.by_district = [
        _cell(ALL_OCCUPATIONS, district, values, min_count, None)
        for district, values in sorted(by_district.items())
    ]
    table.cells = [
        _cell(name, district, values, min_count, code)
        for (code, name, district), values in sorted(by_both.items())
    ]
    return table
