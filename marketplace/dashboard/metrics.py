"""The dashboard's queries: each returns a `Table` (read-only; nothing here writes).

Weeks are Beijing-time weeks starting on Monday; the database keeps naive UTC.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.dashboard.tables import Table
from marketplace.dashboard.wages import Posting, WageTable, monthly_pay
from marketplace.employers.models import Employer
from marketplace.gigs.models import GigEvent, GigRequest, RequestStatus
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.localtime import LOCAL_OFFSET
from marketplace.occupations.models import Occupation
from marketplace.places.coverage import CoverageReport
from marketplace.seekers.models import Application, ApplicationEvent, ApplicationStatus

PERIODS = (4, 12, 52)  # weeks the period selector offers
UNSTATED = "未注明"
DIMENSIONS = {"industry": "行业", "district": "区县"}
# postings that were on the market at some point: the wage table's population
EVER_PUBLISHED = (JobStatus.PUBLISHED, JobStatus.FILLED, JobStatus.CLOSED, JobStatus.EXPIRED)
WEIHAI = "威海市"


@dataclass(frozen=True)
class Period:
    """The last `weeks` whole-or-current weeks up to `now` (naive UTC)."""

    weeks: int
    now: datetime

    @property
    def first_week(self) -> date:
        return week_of(self.now) - timedelta(weeks=self.weeks - 1)

    @property
    def since(self) -> datetime:
        """The start of the first week, in naive UTC."""
        return datetime.combine(self.first_week, datetime.min.time()) - LOCAL_OFFSET

    def week_starts(self) -> list[date]:
        return [self.first_week + timedelta(weeks=n) for n in range(self.weeks)]


def week_of(at: datetime) -> date:
    """The Monday (Beijing time) of the week a naive-UTC moment falls in."""
    local = (at + LOCAL_OFFSET).date()
    return local - timedelta(days=local.weekday())


def _group_column(dimension: str) -> Any:
    if dimension == "industry":
        return func.coalesce(Employer.industry, UNSTATED)
    if dimension == "district":
        return func.coalesce(Job.district, UNSTATED)
    raise ValueError(f"unknown dimension {dimension!r}")


def vacancies_and_hires(session: Session, dimension: str, period: Period) -> Table:
    """Published postings and their headcount now, and hires within the period, by group.

    A posting that does not state its headcount counts as one place.
    """
    group = _group_column(dimension)
    open_rows = session.execute(
        select(group, func.count(Job.id), func.sum(func.coalesce(Job.headcount, 1)))
        .join(Employer, Job.employer_id == Employer.id)
        .where(Job.status == JobStatus.PUBLISHED)
        .group_by(group)
    ).all()
    hired_rows = session.execute(
        select(group, func.count(func.distinct(Application.id)))
        .select_from(ApplicationEvent)
        .join(Application, ApplicationEvent.application_id == Application.id)
        .join(Job, Application.job_id == Job.id)
        .join(Employer, Job.employer_id == Employer.id)
        .where(
            ApplicationEvent.to_status == ApplicationStatus.HIRED,
            ApplicationEvent.at >= period.since,
            ApplicationEvent.at <= period.now,
        )
        .group_by(group)
    ).all()
    figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, jobs, places in open_rows:
        figures[name][0], figures[name][1] = int(jobs), int(places or 0)
    for name, hires in hired_rows:
        figures[name][2] = int(hires)
    label = DIMENSIONS[dimension]
    return Table(
        name=f"vacancies-by-{dimension}",
        title=f"按{label}：在招岗位与录用人数",
        headers=[label, "在招职位数", "招聘人数", f"近{period.weeks}周录用人数"],
        rows=[
            [name, *values]
            for name, values in sorted(figures.items(), key=lambda item: (-item[1][1], item[0]))
        ],
        note=(
            "在招为当前已发布的职位；未注明招聘人数的职位按 1 人计。"
            "录用按申请转为“已录用”的时间统计。"
        ),
    )


def gig_weeks(session: Session, period: Period) -> Table:
    """Odd-job requests created per week, how many were filled, and how fast.

    Filled means the request reached 已招满 (every place taken) at least once; the time to
    fill runs from its creation to the first time it did.
    """
    created = session.execute(
        select(GigRequest.id, GigRequest.created_at).where(
            GigRequest.created_at >= period.since, GigRequest.created_at <= period.now
        )
    ).all()
    filled_at = dict(
        session.execute(
            select(GigEvent.request_id, func.min(GigEvent.at))
            .where(GigEvent.subject == "request", GigEvent.to_status == RequestStatus.FILLED)
            .where(GigEvent.request_id.in_([row.id for row in created]))
            .group_by(GigEvent.request_id)
        ).all()
    )
    weeks: dict[date, list[float | None]] = defaultdict(list)
    for request_id, created_at in created:
        done = filled_at.get(request_id)
        weeks[week_of(created_at)].append(
            None if done is None else (done - created_at).total_seconds() / 3600
        )
    rows: list[list[Any]] = []
    for start in period.week_starts():
        hours = weeks.get(start, [])
        filled = [h for h in hours if h is not None]
        rows.append(
            [
                start.isoformat(),
                len(hours),
                len(filled),
                round(len(filled) / len(hours), 3) if hours else None,
                round(statistics.median(filled), 1) if filled else None,
            ]
        )
    return Table(
        name="gigs-by-week",
        title="零工需求：每周发布、招满率与招满用时",
        headers=["周（起始日）", "发布需求数", "已招满数", "招满率", "招满用时中位数（小时）"],
        rows=rows,
        note="按需求发布所在周统计；招满指全部名额被接单（曾达到“已招满”）；用时自发布起算。",
    )


def key_enterprise_trend(session: Session, period: Period) -> Table:
    """Key enterprises' open postings and headcount at the end of each week, from the
    postings' status history (the key flag as it stands today: its history is not kept)."""
    jobs = session.execute(
        select(Job.id, func.coalesce(Job.headcount, 1), Job.published_at, Job.closed_at)
        .join(Employer, Job.employer_id == Employer.id)
        .where(Employer.is_key_enterprise.is_(True))
    ).all()
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for job_id, at, status in session.execute(
        select(JobStatusEvent.job_id, JobStatusEvent.at, JobStatusEvent.to_status)
        .where(JobStatusEvent.job_id.in_([row[0] for row in jobs]))
        .order_by(JobStatusEvent.at, JobStatusEvent.id)
    ):
        history[job_id].append((at, status))
    rows: list[list[Any]] = []
    for start in period.week_starts():
        # the week's end in naive UTC, or now for the current week
        end = min(
            datetime.combine(start + timedelta(days=7), datetime.min.time()) - LOCAL_OFFSET,
            period.now,
        )
        open_jobs = places = 0
        for job_id, headcount, published_at, closed_at in jobs:
            if _open_at(history.get(job_id), published_at, closed_at, end):
                open_jobs += 1
                places += int(headcount)
        rows.append([start.isoformat(), open_jobs, places])
    return Table(
        name="key-enterprise-trend",
        title="重点企业在招人数（每周末）",
        headers=["周（起始日）", "在招职位数", "在招人数"],
        rows=rows,
        note="按职位状态历史还原每周末的在招状态；重点企业按当前认定；未注明招聘人数按 1 人计。",
    )


def _open_at(
    events: Sequence[tuple[datetime, str]] | None,
    published_at: datetime | None,
    closed_at: datetime | None,
    moment: datetime,
) -> bool:
    if events:
        status = None
        for at, to_status in events:
            if at > moment:
                break
            status = to_status
        return status == JobStatus.PUBLISHED
    # no history (older rows): the publish and close times stand in for it
    return (
        published_at is not None
        and published_at <= moment
        and (closed_at is None or closed_at > moment)
    )


def coverage_table(report: CoverageReport) -> Table:
    """The 5 km service circle by county, from `places.coverage`."""
    rows: list[list[Any]] = [
        [
            county.name or county.code,
            county.villages,
            county.counted,
            county.covered,
            None if county.share is None else round(county.share, 3),
        ]
        for county in report.counties
    ]
    if report.villages:
        share = None if report.share is None else round(report.share, 3)
        rows.append(["合计", report.villages, report.counted, report.covered, share])
    return Table(
        name="service-coverage",
        title=f"服务网络 {report.radius_km:g} 公里服务圈覆盖",
        headers=["区县", "村居数", "已定位村居", "已覆盖村居", "覆盖率"],
        rows=rows,
        note="覆盖率 = 已覆盖 ÷ 已定位；只定位到区县的村居不计入。",
    )


def events_vs_target(session: Session, period: Period) -> list[Table] | None:
    """Recruitment events held against the plan's targets, by district and by month.

    Per district the plan asks for a specialised event every week and a comprehensive one
    every month; city-wide 300 a year (25 a month). Held means not cancelled and started by
    now. Returns None when the events feature is not installed.
    """
    try:
        from marketplace.events import services as event_services
        from marketplace.events.models import Event, EventKind, EventStatus
        from marketplace.events.targets import EVENTS_PER_YEAR
    except ImportError:
        return None
    rows = session.execute(
        select(Event.starts_at, Event.district_code, Event.kind, Event.is_campus).where(
            Event.status != EventStatus.CANCELLED,
            Event.starts_at >= period.since,
            Event.starts_at <= period.now,
        )
    ).all()
    weeks = set(period.week_starts())
    months = sorted({(day.year, day.month) for day in weeks} | {_month(period.now)})
    per_district: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"specialised": 0, "weeks": set(), "comprehensive": 0, "months": set()}
    )
    per_month: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for starts_at, district, kind, is_campus in rows:
        figures = per_district[district]
        if kind == EventKind.SPECIALISED:
            figures["specialised"] += 1
            figures["weeks"].add(week_of(starts_at))
        elif kind == EventKind.COMPREHENSIVE:
            figures["comprehensive"] += 1
            figures["months"].add(_month(starts_at))
        month = per_month[_month(starts_at)]
        month[0] += 1
        month[1] += int(bool(is_campus))
    by_district = Table(
        name="events-by-district",
        title=f"按区县：近{period.weeks}周招聘活动与目标",
        headers=[
            "区县",
            "专场招聘（场）",
            "有专场的周数",
            "应有周数",
            "综合招聘（场）",
            "有综合招聘的月数",
            "应有月数",
        ],
        rows=[
            [
                place.name,
                per_district[place.code]["specialised"],
                len(per_district[place.code]["weeks"]),
                len(weeks),
                per_district[place.code]["comprehensive"],
                len(per_district[place.code]["months"]),
                len(months),
            ]
            for place in event_services.districts(session)
        ],
        note="目标：每个区县每周至少 1 场专场招聘、每月至少 1 场综合招聘（含本周、本月）；"
        "已取消的活动不计。",
    )
    by_month = Table(
        name="events-by-month",
        title="全市每月招聘活动场次与目标",
        headers=["月份", "举办场次", "其中校园招聘", "月均目标"],
        rows=[
            [f"{year}-{month:02d}", *per_month[(year, month)], round(EVENTS_PER_YEAR / 12)]
            for year, month in months
        ],
        note=f"全年目标 {EVENTS_PER_YEAR} 场，按月平均；统计期首月只含期内的活动。",
    )
    return [by_district, by_month]


def _month(at: datetime | date) -> tuple[int, int]:
    local = at + LOCAL_OFFSET if isinstance(at, datetime) else at
    return local.year, local.month


# -- wage levels ----------------------------------------------------------------------------


def wage_postings(session: Session, city: str | None) -> tuple[list[Posting], int]:
    """Postings with a known monthly equivalent (of `city`, or all cities when None),
    and how many postings were left out for want of one."""
    query = select(
        Job.salary_monthly_min,
        Job.salary_monthly_max,
        Job.district,
        Job.city,
        Job.occupation_code,
        Job.occupation_name,
    ).where(Job.status.in_(EVER_PUBLISHED))
    if city:
        query = query.where(Job.city == city)
    postings: list[Posting] = []
    missing = 0
    for low, high, district, job_city, code, name in session.execute(query):
        pay = monthly_pay(low, high)
        if pay is None:
            missing += 1
            continue
        # across cities a district name alone is ambiguous (many cities have a 市中区)
        where = district if city else f"{job_city or UNSTATED}·{district or UNSTATED}"
        postings.append(Posting(pay, where, code, name))
    return postings, missing


def occupation_names(session: Session) -> dict[str, str]:
    """Code → name of the imported classification (for the 小类 and 中类 groups)."""
    return {code: name for code, name in session.execute(select(Occupation.code, Occupation.name))}


def cities(session: Session, limit: int = 40) -> list[tuple[str, int]]:
    """The cities with postings that state pay, most postings first (for the city selector)."""
    rows = session.execute(
        select(Job.city, func.count(Job.id))
        .where(
            Job.status.in_(EVER_PUBLISHED),
            Job.city.is_not(None),
            (Job.salary_monthly_min.is_not(None)) | (Job.salary_monthly_max.is_not(None)),
        )
        .group_by(Job.city)
        .order_by(func.count(Job.id).desc())
        .limit(limit)
    ).all()
    return [(str(name), int(count)) for name, count in rows]


def wage_levels_table(table: WageTable) -> Table:
    """The cells that pass the minimum count, by occupation, by district and by both."""
    rows: list[list[Any]] = [
        [
            cell.occupation_code,
            cell.occupation,
            cell.district,
            cell.count,
            cell.p25,
            cell.median,
            cell.p75,
        ]
        for cell in (*table.occupations_shown, *table.districts_shown, *table.cells_shown)
    ]
    summary = table.summary()
    return Table(
        name="wages",
        title="人力资源市场工资价位（元/月）",
        headers=["职业编码", "职业", "区县", "岗位数", "P25", "中位数", "P75"],
        rows=rows,
        note=(
            f"按月折算工资（区间取中点）统计；岗位数少于 {table.min_count} 的组合不公布，"
            f"本表隐去 {summary['cells_suppressed']} 个职业×区县组合、"
            f"{table.suppressed(table.by_occupation)} 个职业、"
            f"{table.suppressed(table.by_district)} 个区县。"
        ),
    )
