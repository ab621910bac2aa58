"""Times as people in Weihai read them: the day with the year only when it is not this year."""

from __future__ import annotations

from datetime import datetime

from marketplace.localtime import day_and_time

NOW = datetime(2026, 5, 4, 2, 0)  # 10:00 in Weihai


def test_a_day_this_year_is_shown_without_the_year() -> None:
    assert day_and_time(datetime(2026, 6, 1, 0, 30), NOW) == "06月01日 08:30"


def test_a_day_in_another_year_is_shown_with_it() -> None:
    assert day_and_time(datetime(2098, 12, 31, 16, 0), NOW) == "2099年01月01日 00:00"
    assert day_and_time(datetime(2025, 12, 31, 0, 0), NOW) == "2025年12月31日 08:00"


def test_the_year_is_weihais_not_utcs() -> None:
    new_years_eve = datetime(2026, 12, 31, 15, 0)  # 23:00 in Weihai, 1 January in an hour
    assert day_and_time(datetime(2026, 12, 31, 16, 30), new_years_eve) == "2027年01月01日 00:30"
    assert day_and_time(datetime(2026, 12, 31, 16, 30), datetime(2026, 12, 31, 16, 0)) == (
        "01月01日 00:30"
    )


def test_the_clock_part_can_be_worded() -> None:
    assert day_and_time(datetime(2026, 6, 1, 0, 0), NOW, " %H:%M 开工") == "06月01日 08:00 开工"
