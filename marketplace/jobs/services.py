"""Business actions on jobs: pay and its monthly equivalent, and the status lifecycle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from indexer.salary import Salary, monthly_equivalent
from marketplace.database import utcnow
from marketplace.errors import Conflict
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent

# Which status may follow which (draft → pending review → published → filled/closed/expired).
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.DRAFT: frozenset({JobStatus.PENDING_REVIEW, JobStatus.CLOSED}),
    JobStatus.PENDING_REVIEW: frozenset(
        {
            JobStatus.PUBLISHED,
            JobStatus.CHANGES_REQUESTED,
            JobStatus.REJECTED,
            JobStatus.CLOSED,
        }
    ),
    JobStatus.CHANGES_REQUESTED: frozenset({JobStatus.PENDING_REVIEW, JobStatus.CLOSED}),
    JobStatus.REJECTED: frozenset(),
    # an edit that the posting checks send back to staff leaves search until it is approved
    JobStatus.PUBLISHED: frozenset(
        {JobStatus.FILLED, JobStatus.CLOSED, JobStatus.EXPIRED, JobStatus.PENDING_REVIEW}
    ),
    # a filled, closed or expired job can be reposted: it goes through review again
    JobStatus.FILLED: frozenset({JobStatus.PENDING_REVIEW}),
    JobStatus.CLOSED: frozenset({JobStatus.PENDING_REVIEW}),
    JobStatus.EXPIRED: frozenset({JobStatus.PENDING_REVIEW}),
}


def set_pay(job: Job, salary: Salary | None) -> None:
    """Store pay as stated and keep the derived monthly equivalent in step (None: not stated)."""
    if salary is None:
        job.salary_min = job.salary_max = None
        job.salary_unit = None
        job.salary_months = None
    else:
        job.salary_min, job.salary_max = salary.min, salary.max
        job.salary_unit = str(salary.unit)
        job.salary_months = salary.months
    job.salary_monthly_min = monthly_equivalent(job.salary_min, job.salary_unit, job.salary_months)
    job.salary_monthly_max = monthly_equivalent(job.salary_max, job.salary_unit, job.salary_months)


def change_status(
    session: Session,
    job: Job,
    to: JobStatus,
    *,
    user_id: int | None = None,
    reason: str | None = None,
    ttl_days: int = 60,
    at: datetime | None = None,
) -> None:
    """Move a job along its lifecycle and record the change; refuses a transition not allowed.

    `at` back-dates the change (imports and the demo); by default it happens now.
    """
    # a job not yet flushed has no column defaults: it is a platform draft
    current = JobStatus(job.status or JobStatus.DRAFT)
    if to not in TRANSITIONS[current]:
        raise Conflict(f"职位状态不能从 {current.value} 变为 {to.value}")
    now = at or utcnow()
    platform = (job.source or "platform") == "platform"
    job.status = to
    if to == JobStatus.PUBLISHED:
        job.published_at = now
        # expiry applies to postings created here, not to imports (DESIGN.md)
        job.expires_at = now + timedelta(days=ttl_days) if platform else None
    elif to in (JobStatus.FILLED, JobStatus.CLOSED, JobStatus.EXPIRED):
        job.closed_at = now
    session.add(
        JobStatusEvent(
            job=job,
            from_status=current.value,
            to_status=to.value,
            user_id=user_id,
            reason=reason,
            at=now,
        )
    )
