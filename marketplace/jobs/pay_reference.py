"""The pay seen in postings like a new one (similar title, same city), for the pay check.

INTERFACE (fixed): reference_for(session, title, city, occupation_code) -> PayRange | None.
The rule (shared with `flask jobs check-postings`, which builds it from a file): the monthly
equivalents of real postings in the same city, with the same occupation code when there are
enough of them, else the same normalised title; the 5th and 95th percentiles of each posting's
pay midpoint; no range from fewer than MIN_POSTINGS postings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from marketplace.jobs.checks import PayRange
from marketplace.jobs.models import Job, JobStatus

MIN_POSTINGS = 20
LOW_PERCENTILE = 5
HIGH_PERCENTILE = 95
# every status a real, once-public posting can be in (drafts and rejected ones never were)
REAL_STATUSES = (JobStatus.PUBLISHED, JobStatus.FILLED, JobStatus.CLOSED, JobStatus.EXPIRED)

# words that advertise rather than name the job (急招 Java开发 → java开发)
_NOISE = re.compile(
    r"急招|急聘|直招|直聘|诚聘|诚招|热招|代招|高薪诚聘|高薪|急需|招聘|招募|聘请|包吃住|包住|包吃"
    r"|五险一金|六险一金|双休|单休|长白班|可兼职|日结|周结|月结|入职即缴社保|无责底薪"
)
_BRACKETED = re.compile(r"[(\[【「{][^)\]】」}]*[)\]】」}]")
_SEPARATORS = re.compile(r"[-/|·—_~,，、;；:：+＋]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_title(title: str) -> str:
    """A title reduced to the job's name: no brackets, ads, separators' tails or spaces."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = _BRACKETED.sub(" ", text)
    text = _NOISE.sub(" ", text)
    # "销售代表-双休-五险" → "销售代表": the first part that is left names the job
    for part in _SEPARATORS.split(text):
        name = _NOT_WORD.sub("", part)
        if name:
            return name
    return ""


def midpoint(low: float | None, high: float | None) -> float | None:
    """One number for a posting's pay: the middle of its range, or its only bound."""
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    position = (len(sorted_values) - 1) * q / 100
    below, above = math.floor(position), math.ceil(position)
    fraction = position - below
    return sorted_values[below] * (1 - fraction) + sorted_values[above] * fraction


def pay_range(midpoints: Sequence[float]) -> PayRange | None:
    """The reference range of these postings' pay midpoints; None when too few to judge."""
    values = sorted(value for value in midpoints if value > 0)
    if len(values) < MIN_POSTINGS:
        return None
    return PayRange(
        low=percentile(values, LOW_PERCENTILE),
        high=percentile(values, HIGH_PERCENTILE),
        postings=len(values),
    )


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def reference_for(
    session: Session, title: str, city: str | None, occupation_code: str | None = None
) -> PayRange | None:
    """Monthly pay range of similar postings in `city`; None when too few to judge."""
    name = normalize_title(title)
    if not city or not (name or occupation_code):
        return None
    similar = []
    if occupation_code:
        similar.append(Job.occupation_code == occupation_code)
    if name:
        # a cheap superset of "same normalised title", narrowed in Python below
        similar.append(func.lower(Job.title).like(f"%{_like_escaped(name)}%", escape="\\"))
    rows = session.execute(
        select(
            Job.title, Job.occupation_code, Job.salary_monthly_min, Job.salary_monthly_max
        ).where(
            Job.city == city,
            Job.status.in_([status.value for status in REAL_STATUSES]),
            or_(Job.salary_monthly_min.is_not(None), Job.salary_monthly_max.is_not(None)),
            or_(*similar),
        )
    ).all()
    if occupation_code:
        by_code = pay_range(
            [
                value
                for _title, code, low, high in rows
                if code == occupation_code and (value := midpoint(low, high)) is not None
            ]
        )
        if by_code is not None:
            return by_code
    if not name:
        return None
    return pay_range(
        [
            value
            for row_title, _code, low, high in rows
            if normalize_title(row_title) == name and (value := midpoint(low, high)) is not None
        ]
    )
