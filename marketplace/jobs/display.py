"""How a job reads to people: pay in plain words (月薪 6000–8000 元, 日薪 200 元/天), its place."""

from __future__ import annotations

from sqlalchemy.orm import Session

from marketplace.jobs.models import Job
from marketplace.places.models import Place

_UNIT_WORDS = {
    "month": ("月薪", "元"),
    "year": ("年薪", "元"),
    "day": ("日薪", "元/天"),
    "hour": ("时薪", "元/小时"),
    "piece": ("计件", "元/件"),
}


def _amount(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _range(low: float | None, high: float | None, unit: str = "") -> str:
    """6000–8000 元, 3000 元以上, 2 万元以下 (unit after the numbers)."""
    if low is not None and high is not None and low != high:
        return f"{_amount(low)}–{_amount(high)} {unit}".rstrip()
    if low is not None and high is None:
        return f"{_amount(low)} {unit}以上"
    if low is None and high is not None:
        return f"{_amount(high)} {unit}以下"
    return f"{_amount(low if low is not None else high or 0)} {unit}".rstrip()


def pay_in_words(job: Job) -> str:
    low, high = job.salary_min, job.salary_max
    if low is None and high is None:
        return "薪资面议"
    if job.salary_unit not in _UNIT_WORDS:
        return f"薪资 {_range(low, high)}（单位未注明）"
    label, unit = _UNIT_WORDS[job.salary_unit]
    if job.salary_unit == "year" and (low or 0) >= 10000 and (high or low or 0) >= 10000:
        # 年薪 12–20 万元 reads better than 120000–200000 元
        low_w = low / 10000 if low is not None else None
        high_w = high / 10000 if high is not None else None
        return f"{label} {_range(low_w, high_w, '万元')}"
    text = f"{label} {_range(low, high, unit)}"
    if job.salary_months and job.salary_months > 12:
        text += f" · {job.salary_months}薪"
    return text


def place_words(session: Session, job: Job) -> str:
    """County, town and village names, then the address; the posting's district when no codes."""
    names = []
    for code in (job.county_code, job.town_code, job.village_code):
        place = session.get(Place, code) if code else None
        if place is not None:
            names.append(place.name)
    if not names:
        names = [name for name in (job.city, job.district) if name]
    words = "".join(dict.fromkeys(names))
    if job.address:
        words = f"{words} {job.address}".strip()
    return words or "地点未注明"
