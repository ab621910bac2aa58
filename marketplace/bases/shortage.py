"""The key-enterprise shortage board (规模性缺工): vacancies open after N days, and what was done.

Open headcount = headcount − applications hired. Postings without a headcount are left out: their
gap is unknown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Subquery, func, inspect, select
from sqlalchemy.orm import Session, joinedload

from marketplace.accounts.models import Role, User
from marketplace.bases.digest import cell
from marketplace.bases.models import BaseDelivery, BaseDeliveryJob, LabourBase
from marketplace.employers.models import Employer
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.seekers.models import Application, ApplicationStatus

DEFAULT_DAYS = 30
MAX_ROWS = 500


@dataclass(frozen=True)
class Push:
    base_name: str
    at: datetime
    state: str


@dataclass(frozen=True)
class Review:
    at: datetime
    reviewer: str


@dataclass(frozen=True)
class EventAction:
    title: str
    starts_at: datetime
    status: str


@dataclass
class ShortageRow:
    job: Job
    headcount: int
    hired: int
    days_open: int
    pushes: list[Push] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    events: list[EventAction] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return self.headcount - self.hired


def _hired() -> Subquery:
    return (
        select(Application.job_id, func.count().label("hired"))
        .where(Application.status == ApplicationStatus.HIRED)
        .group_by(Application.job_id)
        .subquery()
    )


def shortage_board(
    session: Session, now: datetime, days: int = DEFAULT_DAYS, limit: int = MAX_ROWS
) -> tuple[list[ShortageRow], bool]:
    """Key-enterprise published vacancies at least `days` old with headcount still open, the
    largest gap first; and whether event actions could be read (the events tables exist)."""
    hired = _hired()
    hires = func.coalesce(hired.c.hired, 0)
    gap = Job.headcount - hires
    query = (
        select(Job, hires)
        .join(Job.employer)
        .outerjoin(hired, hired.c.job_id == Job.id)
        .options(joinedload(Job.employer))
        .where(
            Job.status == JobStatus.PUBLISHED,
            Employer.is_key_enterprise.is_(True),
            Job.headcount.is_not(None),
            Job.published_at <= now - timedelta(days=days),
            gap > 0,
        )
        # the biggest gap first; among equals the one waiting longest
        .order_by(gap.desc(), Job.published_at, Job.id)
        .limit(limit)
    )
    rows = [
        ShortageRow(
            job=job,
            headcount=job.headcount or 0,
            hired=int(count),
            days_open=(now - (job.published_at or now)).days,
        )
        for job, count in session.execute(query).unique()
    ]
    by_job = {row.job.id: row for row in rows}
    ids = list(by_job)
    if not ids:
        return rows, _events_available(session)
    for row_job, push in _pushes(session, ids):
        by_job[row_job].pushes.append(push)
    for row_job, review in _reviews(session, ids):
        by_job[row_job].reviews.append(review)
    available = _events_available(session)
    if available:
        for row_job, action in _events(session, ids):
            by_job[row_job].events.append(action)
    return rows, available


def _pushes(session: Session, ids: list[int]) -> list[tuple[int, Push]]:
    query = (
        select(BaseDeliveryJob.job_id, LabourBase.name, BaseDelivery.created_at, BaseDelivery.state)
        .join(BaseDelivery, BaseDelivery.id == BaseDeliveryJob.delivery_id)
        .join(LabourBase, LabourBase.id == BaseDelivery.base_id)
        .where(BaseDeliveryJob.job_id.in_(ids))
        .order_by(BaseDelivery.created_at.desc(), BaseDelivery.id.desc())
    )
    return [(job_id, Push(name, at, state)) for job_id, name, at, state in session.execute(query)]


def _reviews(session: Session, ids: list[int]) -> list[tuple[int, Review]]:
    """Green-channel approvals: pending_review → published decided by a staff member."""
    query = (
        select(JobStatusEvent.job_id, JobStatusEvent.at, User.display_name)
        .join(User, User.id == JobStatusEvent.user_id)
        .where(
            JobStatusEvent.job_id.in_(ids),
            JobStatusEvent.from_status == JobStatus.PENDING_REVIEW,
            JobStatusEvent.to_status == JobStatus.PUBLISHED,
            User.role == Role.STAFF,
        )
        .order_by(JobStatusEvent.at.desc())
    )
    return [(job_id, Review(at, name or "")) for job_id, at, name in session.execute(query)]


def _events_available(session: Session) -> bool:
    """Recruitment events are built alongside; use them only once their tables exist."""
    inspector = inspect(session.connection())
    if not all(inspector.has_table(name) for name in ("events", "booths", "booth_jobs")):
        return False
    try:
        import marketplace.events.models  # noqa: F401  # the feature may not be there yet
    except ImportError:
        return False
    return True


def _events(session: Session, ids: list[int]) -> list[tuple[int, EventAction]]:
    """Events where the employer showed the vacancy at a booth that was not cancelled."""
    from marketplace.events.models import Booth, BoothStatus, Event, booth_jobs

    query = (
        select(booth_jobs.c.job_id, Event.title, Event.starts_at, Event.status)
        .join(Booth, Booth.id == booth_jobs.c.booth_id)
        .join(Event, Event.id == Booth.event_id)
        .where(booth_jobs.c.job_id.in_(ids), Booth.status != BoothStatus.CANCELLED)
        .order_by(Event.starts_at.desc())
    )
    grouped: dict[int, list[EventAction]] = defaultdict(list)
    for job_id, title, starts_at, status in session.execute(query):
        grouped[job_id].append(EventAction(title, starts_at, status))
    return [(job_id, action) for job_id, actions in grouped.items() for action in actions]


CSV_HEADER = [
    "职位编号",
    "职位",
    "单位",
    "招聘人数",
    "已录用",
    "缺口",
    "已发布天数",
    "基地推送次数",
    "绿色通道审核",
    "招聘会",
]


def csv_rows(rows: list[ShortageRow], events_available: bool) -> list[list[str]]:
    out = [CSV_HEADER]
    for row in rows:
        values = [
            str(row.job.id),
            row.job.title,
            row.job.employer.name,
            str(row.headcount),
            str(row.hired),
            str(row.gap),
            str(row.days_open),
            str(len(row.pushes)),
            str(len(row.reviews)),
            str(len(row.events)) if events_available else "",
        ]
        out.append([cell(value) for value in values])
    return out
