"""Times as people in Weihai read them. The database stores naive UTC; China has one zone, UTC+8."""

from __future__ import annotations

from datetime import datetime, timedelta

LOCAL_OFFSET = timedelta(hours=8)  # Asia/Shanghai, no daylight saving


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M", empty: str = "") -> str:
    """A stored (naive UTC) time in Beijing time: '2026-11-27 04:15'; `empty` when unknown."""
    return empty if moment is None else (moment + LOCAL_OFFSET).strftime(fmt)
