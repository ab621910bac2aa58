"""Staff decisions on employers and postings: the review queue, its clock, and what follows.

Services only (no Flask): every action checks that the actor is staff and may see the object, then
moves state through employers.services and jobs.services.change_status. The caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, true
from sqlalchemy.orm import Session, joinedload

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.employers.services import verify_employer
from marketplace.errors import Conflict, Forbidden, ValidationError
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.localtime import LOCAL_OFFSET

log = logging.getLogger(__name__)

# Target time from submit to a decision: the green channel (绿色通道) of key enterprises is faster.
REVIEW_TARGET_KEY_HOURS = 2
REVIEW_TARGET_HOURS = 24
# Reasons are shown to the employer; long enough for a paragraph, short enough to read.
MAX_REASON_LENGTH = 500
AUTO_PUBLISH_REASON = "单位核验通过，自动发布"
# Staff read times in Beijing time; the database keeps naive UTC.


class NotPending(Conflict):
    """The posting no longer waits for review (someone decided, or the employer withdrew it)."""


class EmployerNotVerified(Conflict):
    """A posting cannot be published while its employer is not verified."""


# --- who may do what ----------------------------------------------------------------------------


def require_staff(actor: User) -> None:
    if actor.role != Role.STAFF or not actor.is_active:
        raise Forbidden("只有就业服务工作人员可以进行此操作")


def _job_scope(actor: User) -> ColumnElement[bool]:
    """Which postings a staff member sees: all for city level, else those under their point."""
    point = actor.service_point
    if point is None:
        return true()
    column = {"county": Job.county_code, "town": Job.town_code}.get(point.level, Job.village_code)
    return column == point.place_code


def _employer_scope(actor: User) -> ColumnElement[bool]:
    """Employers are registered per county: city staff see all, county staff their county."""
    point = actor.service_point
    if point is None:
        return true()
    if point.level == "county":
        return Employer.county_code == point.place_code
    # verification and the key-enterprise flag are decided at city or county level
    return Employer.id.is_(None)


def can_see_job(actor: User, job: Job) -> bool:
    point = actor.service_point
    if point is None:
        return True
    code = {"county": job.county_code, "town": job.town_code}.get(point.level, job.village_code)
    return code == point.place_code


def can_manage_employer(actor: User, employer: Employer) -> bool:
    point = actor.service_point
    if point is None:
        return True
    return point.level == "county" and employer.county_code == point.place_code


def _require_job(actor: User, job: Job) -> None:
    require_staff(actor)
    if not can_see_job(actor, job):
        raise Forbidden("该职位不在您负责的服务区域内")


def _require_employer(actor: User, employer: Employer) -> None:
    require_staff(actor)
    if not can_manage_employer(actor, employer):
        raise Forbidden("单位核验和重点企业认定由市级或所在区县工作人员办理")


# --- the clock ----------------------------------------------------------------------------------


def review_target(employer: Employer) -> timedelta:
    """How long a posting of `employer` may wait for a decision."""
    hours = REVIEW_TARGET_KEY_HOURS if employer.is_key_enterprise else REVIEW_TARGET_HOURS
    return timedelta(hours=hours)


def waiting_since(job: Job) -> datetime:
    # postings from before submitted_at existed have only their creation time
    return job.submitted_at or job.created_at


@dataclass(frozen=True)
class QueueRow:
    """One posting waiting for review, with its clock."""

    job: Job
    green_channel: bool  # a key enterprise's posting (绿色通道)
    submitted_at: datetime
    due_at: datetime
    overdue: bool
    remaining: timedelta  # negative when overdue
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def employer(self) -> Employer:
        return self.job.employer

    @property
    def employer_verified(self) -> bool:
        return self.job.employer.verification == Verification.VERIFIED


def queue_row(job: Job, now: datetime) -> QueueRow:
    submitted = waiting_since(job)
    due = submitted + review_target(job.employer)
    return QueueRow(
        job=job,
        green_channel=bool(job.employer.is_key_enterprise),
        submitted_at=submitted,
        due_at=due,
        overdue=now > due,
        remaining=due - now,
        findings=list(job.check_findings or []),
    )


def _queue_query(actor: User | None) -> Any:
    query = (
        select(Job)
        .join(Job.employer)
        .options(joinedload(Job.employer))
        .where(Job.status == JobStatus.PENDING_REVIEW)
    )
    if actor is not None:
        query = query.where(_job_scope(actor))
    return query


def review_queue(session: Session, now: datetime, actor: User | None = None) -> list[QueueRow]:
    """Postings waiting for review: key enterprises first (绿色通道), then the longest waiting.

    `actor` limits the queue to what that staff member sees (None: everything).
    """
    key_first = case((Employer.is_key_enterprise.is_(True), 0), else_=1)
    query = _queue_query(actor).order_by(
        key_first, func.coalesce(Job.submitted_at, Job.created_at), Job.id
    )
    return [queue_row(job, now) for job in session.scalars(query).unique()]


@dataclass(frozen=True)
class StaffCounts:
    employers_pending: int
    reviews_pending: int
    reviews_key: int
    reviews_overdue: int


def staff_counts(session: Session, actor: User, now: datetime) -> StaffCounts:
    """The figures on the staff home page."""
    employers = session.scalar(
        select(func.count())
        .select_from(Employer)
        .where(Employer.verification == Verification.PENDING)
        .where(_employer_scope(actor))
    )
    rows = review_queue(session, now, actor)
    return StaffCounts(
        employers_pending=employers or 0,
        reviews_pending=len(rows),
        reviews_key=sum(1 for row in rows if row.green_channel),
        reviews_overdue=sum(1 for row in rows if row.overdue),
    )


# --- employers ----------------------------------------------------------------------------------


def employers_query(actor: User, verification: str | None = None, key_only: bool = False) -> Any:
    """Employers a staff member may manage, filtered; oldest registration first when pending."""
    query = select(Employer).where(_employer_scope(actor))
    if verification:
        query = query.where(Employer.verification == verification)
    if key_only:
        query = query.where(Employer.is_key_enterprise.is_(True))
    if verification == Verification.PENDING:
        # first come, first served
        return query.order_by(Employer.created_at, Employer.id)
    return query.order_by(Employer.created_at.desc(), Employer.id.desc())


def clean(job: Job) -> bool:
    """A posting the checks found nothing in."""
    return not job.check_findings


def approve_employer(session: Session, actor: User, employer: Employer) -> list[Job]:
    """Verify `employer` and publish at once its pending postings with no check findings.

    Postings with findings stay in the queue for a person to read. Returns those published.
    """
    _require_employer(actor, employer)
    if employer.verification != Verification.VERIFIED:
        # a second click keeps the first verification time
        verify_employer(session, actor, employer, approve=True)
    waiting = session.scalars(
        select(Job)
        .where(Job.employer_id == employer.id, Job.status == JobStatus.PENDING_REVIEW)
        .order_by(Job.id)
    ).all()
    published = [job for job in waiting if clean(job)]
    for job in published:
        change_status(
            session, job, JobStatus.PUBLISHED, user_id=actor.id, reason=AUTO_PUBLISH_REASON
        )
    log.info(
        "employer %s verified by user %s; %d postings published",
        employer.id,
        actor.id,
        len(published),
    )
    return published


def reject_employer(session: Session, actor: User, employer: Employer, reason: str) -> None:
    """Refuse `employer`'s registration; the reason is required (the employer must know why)."""
    _require_employer(actor, employer)
    text = _reason(reason)
    verify_employer(session, actor, employer, approve=False, note=text)
    log.info("employer %s rejected by user %s", employer.id, actor.id)


# --- postings -----------------------------------------------------------------------------------


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError("请填写原因，单位会看到这段说明")
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(f"原因不超过 {MAX_REASON_LENGTH} 字")
    return text


def _require_pending(job: Job, submitted_at: datetime | None) -> None:
    if job.status != JobStatus.PENDING_REVIEW:
        raise NotPending("该职位已不在待审核状态，可能已被其他工作人员处理，本次未做任何更改")
    # the page was opened before the employer edited and resubmitted it: read it again first
    if (
        submitted_at is not None
        and job.submitted_at is not None
        and submitted_at != job.submitted_at
    ):
        raise NotPending("该职位在您打开页面后已重新提交，请查看最新内容后再审核，本次未做任何更改")


def approve_posting(
    session: Session, actor: User, job: Job, submitted_at: datetime | None = None
) -> None:
    """Publish a pending posting; refused while its employer is not verified."""
    _require_job(actor, job)
    _require_pending(job, submitted_at)
    if job.employer.verification != Verification.VERIFIED:
        raise EmployerNotVerified("该单位尚未通过核验，职位暂不能发布，请先核验单位")
    change_status(session, job, JobStatus.PUBLISHED, user_id=actor.id)


def reject_posting(
    session: Session, actor: User, job: Job, reason: str, submitted_at: datetime | None = None
) -> None:
    """Refuse a pending posting for good (it cannot be resubmitted); the reason is required."""
    _require_job(actor, job)
    text = _reason(reason)
    _require_pending(job, submitted_at)
    change_status(session, job, JobStatus.REJECTED, user_id=actor.id, reason=text)


def request_changes(
    session: Session, actor: User, job: Job, reason: str, submitted_at: datetime | None = None
) -> None:
    """Send a pending posting back to the employer to fix; the reason says what to change."""
    _require_job(actor, job)
    text = _reason(reason)
    _require_pending(job, submitted_at)
    change_status(session, job, JobStatus.CHANGES_REQUESTED, user_id=actor.id, reason=text)


# --- display helpers (plain functions; the views pass them to templates) -----------------------


def local_time(moment: datetime | None) -> str:
    """Naive UTC → '2026-11-26 20:15' in Beijing time."""
    if moment is None:
        return "—"
    return (moment + LOCAL_OFFSET).strftime("%Y-%m-%d %H:%M")


def duration_words(span: timedelta) -> str:
    """A duration in hours and minutes, e.g. '1 小时 20 分', '35 分钟', '3 天 2 小时'."""
    minutes = int(abs(span).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分钟"


def finding_words(findings: Sequence[dict[str, Any]]) -> list[str]:
    """Every word that triggered a finding, for highlighting in the posting's text."""
    return [str(word) for finding in findings for word in finding.get("words") or []]
