"""Times as people in Weihai read them. The database stores naive UTC; China has one zone, UTC+8."""

from __future__ import annotations

from datetime import date, datetime, timedelta

LOCAL_OFFSET = timedelta(hours=8)  # Asia/Shanghai, no daylight saving


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M", empty: str = "") -> str:
    """A stored (naive UTC) time in Beijing time: '2026-11-27 04:15'; `empty` when unknown."""
    return empty if moment is None else (moment + LOCAL_OFFSET).strftime(fmt)


def local_date(moment: datetime) -> date:
    """The Weihai calendar day of a stored (naive UTC) time."""
    return (moment + LOCAL_OFFSET).date()


def day_and_time(moment: datetime, now: datetime, clock: str = " %H:%M") -> str:
    """A stored time as a day and clock: '06月01日 08:00' this year, '2027年01月01日 08:00' not."""
    local = moment + LOCAL_OFFSET
    # without the year a day next January (or a mistyped 2099) reads as this year's
    day = "%m月%d日" if local.year == (now + LOCAL_OFFSET).year else "%Y年%m月%d日"
    return local.strftime(day + clock)
