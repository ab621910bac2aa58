"""The plan's event targets as pure computation: weeks, months, leap years, pro-rata."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.events.targets import (
    EventFact,
    Month,
    Week,
    check_targets,
    pro_rata,
    week_of,
    weeks_so_far,
)

HUANCUI = ("371002", "环翠区")
WENDENG = ("371003", "文登区")


def fact(
    on: date,
    kind: str = "specialised",
    district: str = "371002",
    status: str = "planned",
    campus: bool = False,
) -> EventFact:
    return EventFact(on, district, kind, campus, status)


# --- calendar helpers ---------------------------------------------------------------------------


def test_a_sunday_belongs_to_the_week_that_began_the_monday_before() -> None:
    sunday = date(2026, 3, 8)
    monday = date(2026, 3, 9)
    assert week_of(sunday) == Week(date(2026, 3, 2))
    assert week_of(monday) == Week(date(2026, 3, 9))
    assert week_of(sunday).sunday == sunday


def test_the_first_week_of_the_year_may_begin_in_december() -> None:
    # 1 January 2027 is a Friday: its week began on Monday 28 December 2026
    weeks = weeks_so_far(date(2027, 1, 5))
    assert weeks == [Week(date(2026, 12, 28)), Week(date(2027, 1, 4))]


def test_month_last_day_knows_leap_years() -> None:
    assert Month(2024, 2).last == date(2024, 2, 29)
    assert Month(2023, 2).last == date(2023, 2, 28)
    assert Month(2026, 12).last == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("on", "target", "expected"),
    [
        (date(2026, 1, 1), 300, 1),  # 300 / 365 rounded up
        (date(2026, 12, 31), 300, 300),
        (date(2024, 12, 31), 300, 300),  # 366 of 366
        (date(2024, 2, 29), 300, 50),  # day 60 of 366: 49.18 → 50
        (date(2026, 3, 1), 300, 50),  # day 60 of 365: 49.3 → 50
        (date(2026, 7, 2), 100, 51),  # day 183 of 365: 50.1 → 51
        (date(2024, 7, 1), 100, 50),  # day 183 of 366: exactly 50
    ],
)
def test_pro_rata_share_of_a_yearly_target(on: date, target: int, expected: int) -> None:
    assert pro_rata(target, on) == expected


# --- per-district weekly and monthly targets ----------------------------------------------------


def test_a_week_with_a_specialised_event_is_covered() -> None:
    on = date(2026, 1, 14)  # Wednesday of the third week
    facts = [fact(date(2026, 1, 1)), fact(date(2026, 1, 11)), fact(date(2026, 1, 12))]
    report = check_targets(facts, [HUANCUI], on)
    district = report.districts[0]
    assert district.missed_weeks == []
    assert district.current_week_uncovered is False


def test_a_past_week_without_a_specialised_event_is_listed_as_missed() -> None:
    on = date(2026, 1, 21)
    # weeks: 29 Dec–4 Jan, 5–11 Jan, 12–18 Jan, 19–25 Jan (current)
    facts = [fact(date(2026, 1, 2)), fact(date(2026, 1, 15)), fact(date(2026, 1, 20))]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == [Week(date(2026, 1, 5))]
    assert district.behind


def test_an_event_on_sunday_covers_its_week_not_the_next() -> None:
    on = date(2026, 1, 14)  # week of 12 January is current
    facts = [fact(date(2026, 1, 4)), fact(date(2026, 1, 11))]  # both Sundays
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == []
    assert district.current_week_uncovered is True
    assert not district.behind  # the current week is still open


def test_the_week_ending_today_is_still_open() -> None:
    on = date(2026, 1, 11)  # a Sunday
    facts = [fact(date(2026, 1, 2))]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == []
    assert district.current_week_uncovered is True
    # on Monday it is over and missed
    district = check_targets(facts, [HUANCUI], date(2026, 1, 12)).districts[0]
    assert district.missed_weeks == [Week(date(2026, 1, 5))]


def test_a_december_event_covers_the_first_week_of_the_new_year() -> None:
    on = date(2027, 1, 6)
    facts = [fact(date(2026, 12, 29)), fact(date(2027, 1, 5))]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == []


def test_comprehensive_events_do_not_cover_the_specialised_week() -> None:
    on = date(2026, 1, 14)
    facts = [fact(date(2026, 1, 2), kind="comprehensive"), fact(date(2026, 1, 7))]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == [Week(date(2025, 12, 29))]


def test_cancelled_events_do_not_count() -> None:
    on = date(2026, 1, 14)
    facts = [
        fact(date(2026, 1, 2), status="cancelled"),
        fact(date(2026, 1, 7), status="held"),
        fact(date(2026, 1, 13), status="cancelled"),
    ]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_weeks == [Week(date(2025, 12, 29))]
    assert district.current_week_uncovered is True
    report = check_targets(facts, [HUANCUI], on)
    assert report.events.count == 1


def test_months_without_a_comprehensive_event_are_listed_up_to_the_current_one() -> None:
    on = date(2024, 3, 31)  # the last day of March: March is still open
    facts = [
        fact(date(2024, 1, 31), kind="comprehensive"),
        fact(date(2024, 2, 29), kind="specialised"),  # leap day, but not comprehensive
    ]
    district = check_targets(facts, [HUANCUI], on).districts[0]
    assert district.missed_months == [Month(2024, 2)]
    assert district.current_month_uncovered is True
    # a comprehensive event on the leap day covers February
    facts.append(fact(date(2024, 2, 29), kind="comprehensive"))
    district = check_targets(facts, [HUANCUI], date(2024, 4, 1)).districts[0]
    assert district.missed_months == [Month(2024, 3)]


def test_each_district_is_checked_on_its_own_events() -> None:
    on = date(2026, 2, 3)
    facts = [fact(w.monday) for w in weeks_so_far(on)]
    facts += [fact(date(2026, 1, 20), kind="comprehensive")]
    facts += [fact(date(2026, 1, 15), district="371003")]
    report = check_targets(facts, [HUANCUI, WENDENG], on)
    huancui, wendeng = report.districts
    assert huancui.missed_weeks == []
    assert huancui.missed_months == []
    assert huancui.current_month_uncovered is True  # February
    assert (wendeng.code, wendeng.name) == WENDENG
    assert Week(date(2026, 1, 12)) not in wendeng.missed_weeks
    assert len(wendeng.missed_weeks) == 4  # 29 Dec, 5 Jan, 19 Jan, 26 Jan
    assert wendeng.missed_months == [Month(2026, 1)]


def test_last_years_events_do_not_cover_this_years_months_or_city_counts() -> None:
    on = date(2026, 1, 31)
    facts = [fact(date(2025, 1, 10), kind="comprehensive"), fact(date(2025, 12, 30))]
    report = check_targets(facts, [HUANCUI], on)
    district = report.districts[0]
    assert district.current_month_uncovered is True
    assert Week(date(2025, 12, 29)) not in district.missed_weeks  # 30 Dec covers that week
    assert report.events.count == 0


# --- city-wide yearly targets -------------------------------------------------------------------


def test_city_targets_count_so_far_scheduled_and_behind() -> None:
    on = date(2026, 7, 2)  # day 183: 150.4 → 151 events and 51 campus events due
    facts = [fact(date(2026, 1, 5), campus=True)] * 40 + [fact(date(2026, 3, 5))] * 100
    facts += [fact(date(2026, 9, 1), campus=True)] * 30  # planned later in the year
    facts += [fact(date(2026, 2, 1), status="cancelled", campus=True)] * 10
    report = check_targets(facts, [], on)
    assert (report.events.count, report.events.scheduled, report.events.expected) == (140, 170, 151)
    assert report.events.behind_by == 11
    assert (report.campus.count, report.campus.scheduled, report.campus.expected) == (40, 70, 51)
    assert report.campus.behind_by == 11
    assert report.behind


def test_ahead_of_schedule_is_not_behind() -> None:
    on = date(2026, 1, 1)
    facts = [fact(date(2026, 1, 1), campus=True)] * 2
    report = check_targets(facts, [], on)
    assert report.events.behind_by == 0
    assert report.campus.behind_by == 0
    assert not report.behind


def test_the_report_as_json() -> None:
    on = date(2026, 1, 14)
    report = check_targets([fact(date(2026, 1, 7))], [HUANCUI], on)
    data = report.as_dict()
    assert data["date"] == "2026-01-14"
    assert data["districts"][0]["missed_weeks"] == ["2025-12-29"]
    assert data["districts"][0]["current_week_uncovered"] is True
    assert data["city"]["events"]["count"] == 1
    assert data["city"]["events"]["expected"] == 12  # 300 × 14 / 365 = 11.5 → 12
    assert data["behind"] is True
