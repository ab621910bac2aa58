"""The action plan's event targets, computed from plain facts: pure, no Flask, no database.

Per district: at least one specialised event every ISO week (Monday–Sunday) and one
comprehensive event every calendar month. City-wide: at least 300 events a year, of which at
least 100 campus events. Dates are local (Asia/Shanghai) calendar dates; cancelled events never
count; planned events count for their period (a planned event that is later cancelled drops out).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

EVENTS_PER_YEAR = 300
CAMPUS_EVENTS_PER_YEAR = 100
CANCELLED = "cancelled"
SPECIALISED = "specialised"
COMPREHENSIVE = "comprehensive"


@dataclass(frozen=True)
class EventFact:
    """What the targets need to know of one event."""

    on: date  # local start date
    district_code: str
    kind: str  # specialised / comprehensive
    is_campus: bool
    status: str  # planned / held / cancelled


@dataclass(frozen=True)
class Week:
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year} 年第 {number} 周（{self.monday:%m-%d} 至 {self.sunday:%m-%d}）"


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        return f"{self.year} 年 {self.month} 月"


@dataclass
class DistrictReport:
    code: str
    name: str
    missed_weeks: list[Week] = field(default_factory=list)  # past weeks with no specialised event
    missed_months: list[Month] = field(default_factory=list)  # past months, no comprehensive
    current_week_uncovered: bool = False
    current_month_uncovered: bool = False

    @property
    def behind(self) -> bool:
        return bool(self.missed_weeks or self.missed_months)


@dataclass(frozen=True)
class CityTarget:
    name: str
    target: int
    count: int  # not cancelled, on or before the date
    scheduled: int  # not cancelled, the whole year (including planned later on)
    expected: int  # the pro-rata share of the target due by the date (rounded up)

    @property
    def behind_by(self) -> int:
        return max(self.expected - self.count, 0)


@dataclass
class TargetReport:
    on: date
    week: Week
    month: Month
    districts: list[DistrictReport]
    events: CityTarget
    campus: CityTarget

    @property
    def behind(self) -> bool:
        return any(d.behind for d in self.districts) or bool(
            self.events.behind_by or self.campus.behind_by
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the CLI's --json)."""
        return {
            "date": self.on.isoformat(),
            "behind": self.behind,
            "districts": [
                {
                    "code": d.code,
                    "name": d.name,
                    "missed_weeks": [w.monday.isoformat() for w in d.missed_weeks],
                    "missed_months": [f"{m.year}-{m.month:02d}" for m in d.missed_months],
                    "current_week_uncovered": d.current_week_uncovered,
                    "current_month_uncovered": d.current_month_uncovered,
                }
                for d in self.districts
            ],
            "city": {
                key: {
                    "target": t.target,
                    "count": t.count,
                    "scheduled": t.scheduled,
                    "expected": t.expected,
                    "behind_by": t.behind_by,
                }
                for key, t in (("events", self.events), ("campus", self.campus))
            },
        }


def week_of(day: date) -> Week:
    """The ISO week (Monday–Sunday) containing `day`."""
    return Week(day - timedelta(days=day.weekday()))


def weeks_so_far(on: date) -> list[Week]:
    """Every week that overlaps 1 January … `on`, the current week last.

    The week holding 1 January counts for the new year even when it began in December; events
    on its December days cover it too (a week is a week, whichever year its days fall in).
    """
    week = week_of(date(on.year, 1, 1))
    current = week_of(on)
    weeks = []
    while week.monday <= current.monday:
        weeks.append(week)
        week = Week(week.monday + timedelta(days=7))
    return weeks


def pro_rata(target: int, on: date) -> int:
    """The share of a yearly target due by the end of `on` (rounded up; leap years have 366)."""
    elapsed = on.timetuple().tm_yday
    days = 366 if calendar.isleap(on.year) else 365
    return math.ceil(target * elapsed / days)


def check_targets(
    facts: Iterable[EventFact], districts: Sequence[tuple[str, str]], on: date
) -> TargetReport:
    """Where each district and the city stand against the plan's targets on `on`.

    Args:
        facts: events of (at least) the year of `on` and the days around it.
        districts: (code, name) of every district held to the weekly and monthly targets.
        on: the local date to check at; periods ending before it are over, its own is open.
    """
    counted = [fact for fact in facts if fact.status != CANCELLED]
    weeks = weeks_so_far(on)
    months = [Month(on.year, number) for number in range(1, on.month + 1)]
    reports = []
    for code, name in districts:
        mine = [fact for fact in counted if fact.district_code == code]
        specialised_weeks = {week_of(f.on) for f in mine if f.kind == SPECIALISED}
        comprehensive_months = {
            Month(f.on.year, f.on.month) for f in mine if f.kind == COMPREHENSIVE
        }
        report = DistrictReport(code, name)
        for week in weeks:
            if week in specialised_weeks:
                continue
            if week.sunday < on:
                report.missed_weeks.append(week)
            else:
                report.current_week_uncovered = True
        for month in months:
            if month in comprehensive_months:
                continue
            if month.last < on:
                report.missed_months.append(month)
            else:
                report.current_month_uncovered = True
        reports.append(report)

    this_year = [fact for fact in counted if fact.on.year == on.year]
    so_far = [fact for fact in this_year if fact.on <= on]
    return TargetReport(
        on=on,
        week=weeks[-1],
        month=months[-1],
        districts=reports,
        events=CityTarget(
            "全市招聘活动",
            EVENTS_PER_YEAR,
            len(so_far),
            len(this_year),
            pro_rata(EVENTS_PER_YEAR, on),
        ),
        campus=CityTarget(
            "校园招聘活动",
            CAMPUS_EVENTS_PER_YEAR,
            sum(1 for f in so_far if f.is_campus),
            sum(1 for f in this_year if f.is_campus),
            pro_rata(CAMPUS_EVENTS_PER_YEAR, on),
        ),
    )
