"""A base's digest: which published vacancies it wants, in what order. Pure: no database, Flask.

Key enterprises' vacancies come first (重点企业用工保障), then the newest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from marketplace.jobs.display import pay_in_words
from marketplace.jobs.models import Job

# A digest is read by people at the base: a few screens, not the whole market.
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Wants:
    """What a base asked for; an empty field does not filter."""

    occupation_prefixes: Sequence[str] = ()
    kinds: Sequence[str] = ()
    min_monthly_pay: float | None = None
    keywords: Sequence[str] = ()
    districts: Sequence[str] = ()


class HasWants(Protocol):
    occupation_prefixes: list[str]
    kinds: list[str]
    min_monthly_pay: float | None
    keywords: list[str]
    districts: list[str]


def wants_of(base: HasWants) -> Wants:
    return Wants(
        occupation_prefixes=tuple(base.occupation_prefixes or ()),
        kinds=tuple(base.kinds or ()),
        min_monthly_pay=base.min_monthly_pay,
        keywords=tuple(base.keywords or ()),
        districts=tuple(base.districts or ()),
    )


def matches(wants: Wants, job: Job) -> bool:
    """Whether `job` is something the base asked for."""
    if wants.kinds and job.kind not in wants.kinds:
        return False
    if wants.occupation_prefixes and not any(
        (job.occupation_code or "").startswith(prefix) for prefix in wants.occupation_prefixes
    ):
        return False
    if wants.min_monthly_pay is not None:
        # the best the job pays a month; pay not stated (or piece rates) does not match a pay filter
        best = job.salary_monthly_max
        if best is None:
            best = job.salary_monthly_min
        if best is None or best < wants.min_monthly_pay:
            return False
    if wants.districts and (job.district or "") not in wants.districts:
        return False
    if wants.keywords:
        text = " ".join((job.title or "", job.description or "", job.skills or ""))
        if not any(word and word in text for word in wants.keywords):
            return False
    return True


def _order(job: Job) -> tuple[int, float, int]:
    published = job.published_at or datetime.min
    return (0 if job.employer.is_key_enterprise else 1, -published.timestamp(), -job.id)


def choose(wants: Wants, jobs: Iterable[Job], limit: int = DEFAULT_LIMIT) -> list[Job]:
    """The vacancies for a base: those it wants, key enterprises first, then the newest."""
    return sorted((job for job in jobs if matches(wants, job)), key=_order)[:limit]


@dataclass(frozen=True)
class DigestItem:
    job_id: int
    title: str
    employer: str
    key_enterprise: bool
    pay: str
    place: str
    headcount: int | None
    url: str
    published_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "title": self.title,
            "employer": {"name": self.employer, "key_enterprise": self.key_enterprise},
            "pay": self.pay,
            "place": self.place,
            "headcount": self.headcount,
            "url": self.url,
            "published_at": self.published_at,
        }


def place_of(job: Job) -> str:
    parts = [job.city or "", job.district or ""]
    if job.district and job.city and job.district.startswith(job.city):
        parts = [job.district]
    return "".join(part for part in parts if part) or "威海市"


def item(job: Job, site_url: str) -> DigestItem:
    """One vacancy as a base reads it; `site_url` is the public site's root (no trailing /)."""
    return DigestItem(
        job_id=job.id,
        title=job.title,
        employer=job.employer.name,
        key_enterprise=bool(job.employer.is_key_enterprise),
        pay=pay_in_words(job),
        place=place_of(job),
        headcount=job.headcount,
        url=f"{site_url}/jobs/{job.id}",
        published_at=job.published_at.isoformat() + "Z" if job.published_at else None,
    )


@dataclass(frozen=True)
class Digest:
    base_id: int
    base_name: str
    generated_at: datetime
    items: list[DigestItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": {"id": self.base_id, "name": self.base_name},
            "generated_at": self.generated_at.isoformat() + "Z",
            "count": len(self.items),
            "vacancies": [entry.as_dict() for entry in self.items],
        }


CSV_HEADER = ["职位编号", "职位", "单位", "重点企业", "薪资", "工作地点", "招聘人数", "链接"]


def cell(text: str) -> str:
    """A spreadsheet cell that cannot run as a formula (an employer writes the titles)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(digest: Digest) -> list[list[str]]:
    """The digest as spreadsheet rows (a header, then one vacancy a row)."""
    rows = [CSV_HEADER]
    for entry in digest.items:
        row = [
            str(entry.job_id),
            entry.title,
            entry.employer,
            "是" if entry.key_enterprise else "否",
            entry.pay,
            entry.place,
            "" if entry.headcount is None else str(entry.headcount),
            entry.url,
        ]
        rows.append([cell(value) for value in row])
    return rows
