"""An employer's postings: post, edit, close, mark filled, repost, with the posting checks wired in.

Services take the session and flush; the caller commits. Every status change goes through
`jobs.services.change_status`; a blocked posting raises before anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from indexer.education import EducationLevel
from indexer.salary import Salary, SalaryRejected, SalaryUnit, monthly_equivalent
from marketplace.database import utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.jobs.checks import UNIT_NAMES, Finding, PostingDraft, Severity, check_posting
from marketplace.jobs.models import Job, JobKind, JobStatus, JobStatusEvent
from marketplace.jobs.pay_reference import reference_for
from marketplace.jobs.services import TRANSITIONS, change_status, set_pay
from marketplace.places.models import Place, PlaceLevel
from marketplace.places.weihai import CITY_CODE, CITY_NAME
from marketplace.seekers.models import Application, ApplicationStatus

log = logging.getLogger(__name__)

PROVINCE = "山东省"
AUTO_PUBLISH_REASON = "自动通过：未发现问题"
# A sane ceiling per unit: far above real pay, low enough to catch a typo (an extra zero or two).
PAY_CEILING: dict[SalaryUnit, float] = {
    SalaryUnit.MONTH: 200_000,
    SalaryUnit.YEAR: 2_400_000,
    SalaryUnit.DAY: 10_000,
    SalaryUnit.HOUR: 1_000,
    SalaryUnit.PIECE: 10_000,
}
MAX_HEADCOUNT = 10_000
MAX_EXPERIENCE = 50
MAX_TAGS = 30
# the statuses an employer may still edit (a rejected posting is final: post a new one)
EDITABLE = frozenset(JobStatus) - {JobStatus.REJECTED}
REPOSTABLE = frozenset({JobStatus.CLOSED, JobStatus.FILLED, JobStatus.EXPIRED})
# the statuses staff put a posting in with a reason written for the employer (staff.review)
STAFF_DECIDED = frozenset({JobStatus.CHANGES_REQUESTED, JobStatus.REJECTED})


@dataclass
class JobInput:
    """What an employer states about a posting (codes, not labels; pay as numbers + unit)."""

    title: str
    kind: str = JobKind.FULL_TIME
    description: str = ""
    pay_min: float | None = None
    pay_max: float | None = None
    pay_unit: str = SalaryUnit.MONTH
    headcount: int | None = None
    education: str | None = None
    experience_years: int | None = None
    skills: list[str] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)
    county_code: str | None = None
    district: str | None = None  # free text, used when no Weihai county is chosen
    address: str | None = None


class PostingBlocked(ValidationError):
    """The checks found something that must be fixed first; nothing was written."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__("；".join(finding.message for finding in findings))
        self.findings = list(findings)


@dataclass
class PostingOutcome:
    job: Job
    review: list[Finding]  # the REVIEW findings that sent it to staff (empty when clean)

    @property
    def published(self) -> bool:
        return self.job.status == JobStatus.PUBLISHED


# -- reading and checking the input -------------------------------------------------------------


def salary_of(data: JobInput) -> Salary | None:
    """The stated pay (None: 面议); ValidationError with a Chinese message when it is not sane."""
    low, high = data.pay_min, data.pay_max
    if low is None and high is None:
        return None
    try:
        unit = SalaryUnit(data.pay_unit)
    except ValueError:
        raise ValidationError("薪资单位选项无效") from None
    for amount in (low, high):
        if amount is not None and amount <= 0:
            raise ValidationError("薪资必须大于 0")
        if amount is not None and amount > PAY_CEILING[unit]:
            raise ValidationError(
                f"薪资超出合理范围（每{UNIT_NAMES[unit]}不超过 {PAY_CEILING[unit]:,.0f} 元）"
            )
    try:
        return Salary(min=low, max=high, unit=unit)
    except SalaryRejected:
        # the only rejection left after the checks above is a reversed range
        raise ValidationError("最高薪资不能低于最低薪资") from None


def _county(session: Session, code: str | None) -> Place | None:
    if not code:
        return None
    place = session.get(Place, code)
    if place is None or place.level != PlaceLevel.COUNTY or place.parent_code != CITY_CODE:
        raise ValidationError("区县选项无效")
    return place


def validate(session: Session, data: JobInput) -> tuple[Salary | None, Place | None]:
    """Check what a form cannot be trusted to have checked; ValidationError in Chinese."""
    data.title = data.title.strip()
    if not data.title:
        raise ValidationError("请填写职位名称")
    if len(data.title) > 200:
        raise ValidationError("职位名称不超过 200 字")
    if data.kind not in set(JobKind):
        raise ValidationError("工作类型选项无效")
    if data.headcount is not None and not 1 <= data.headcount <= MAX_HEADCOUNT:
        raise ValidationError(f"招聘人数应为 1–{MAX_HEADCOUNT}")
    if data.experience_years is not None and not 0 <= data.experience_years <= MAX_EXPERIENCE:
        raise ValidationError(f"工作经验应为 0–{MAX_EXPERIENCE} 年")
    if data.education is not None:
        try:
            EducationLevel.from_code(data.education)
        except ValueError:
            raise ValidationError("学历选项无效") from None
    for tags in (data.skills, data.benefits):
        if len(tags) > MAX_TAGS or any(len(tag) > 30 for tag in tags):
            raise ValidationError(f"技能、福利各最多 {MAX_TAGS} 个，每个不超过 30 字")
    if data.address is not None and len(data.address) > 300:
        raise ValidationError("详细地址不超过 300 字")
    if data.district is not None and len(data.district) > 40:
        raise ValidationError("所在区县不超过 40 字")
    return salary_of(data), _county(session, data.county_code)


def draft_of(data: JobInput, salary: Salary | None) -> PostingDraft:
    unit = str(salary.unit) if salary else None
    return PostingDraft(
        title=data.title,
        description=data.description,
        skills=",".join(data.skills),
        benefits=",".join(data.benefits),
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_unit=unit,
        monthly_min=monthly_equivalent(salary.min, unit) if salary else None,
        monthly_max=monthly_equivalent(salary.max, unit) if salary else None,
        city=CITY_NAME,
        kind=str(data.kind),
    )


def run_checks(
    session: Session, draft: PostingDraft, occupation_code: str | None = None
) -> list[Finding]:
    """The posting checks with the pay seen in similar postings; BLOCK raises PostingBlocked."""
    reference = reference_for(session, draft.title, draft.city, occupation_code)
    findings = check_posting(draft, reference)
    blocking = [finding for finding in findings if finding.severity == Severity.BLOCK]
    if blocking:
        raise PostingBlocked(blocking)
    return [finding for finding in findings if finding.severity == Severity.REVIEW]


# -- writing ------------------------------------------------------------------------------------


def _apply(job: Job, data: JobInput, salary: Salary | None, county: Place | None) -> None:
    if job.title != data.title:
        # the label belonged to the old title; staff or `flask occupation label` set it again
        job.occupation_code = job.occupation_name = None
    job.title = data.title
    job.kind = data.kind
    job.description = data.description.strip()
    set_pay(job, salary)
    job.headcount = data.headcount
    job.education = data.education
    job.education_raw = EducationLevel.from_code(data.education).label if data.education else None
    job.experience_years = data.experience_years
    job.skills = ",".join(data.skills)
    job.benefits = ",".join(data.benefits)
    job.province, job.city, job.city_code = PROVINCE, CITY_NAME, CITY_CODE
    if county is not None:
        job.county_code = county.code
        job.district = county.name
        # the county's point stands in until a finer one is known (town, address geocoding)
        job.lat, job.lng, job.datum = county.lat, county.lng, county.datum
    else:
        job.county_code = None
        job.district = (data.district or "").strip() or None
        job.lat = job.lng = None
        job.datum = None
    job.town_code = job.village_code = None
    job.address = (data.address or "").strip() or None


def _submit(
    session: Session,
    job: Job,
    employer: Employer,
    review: list[Finding],
    user_id: int | None,
    reason: str | None,
) -> None:
    """Into review (from draft, changes requested or closed), then out of it when the rule allows.

    The rule: a verified employer's clean posting is published at once; anything else waits
    for staff (they approve through change_status).
    """
    if job.status != JobStatus.PENDING_REVIEW:
        change_status(session, job, JobStatus.PENDING_REVIEW, user_id=user_id, reason=reason)
    job.submitted_at = utcnow()
    job.check_findings = [finding.as_dict() for finding in review]
    if not review and employer.verification == Verification.VERIFIED:
        change_status(
            session, job, JobStatus.PUBLISHED, user_id=user_id, reason=AUTO_PUBLISH_REASON
        )


def post_job(
    session: Session, employer: Employer, data: JobInput, *, user_id: int | None = None
) -> PostingOutcome:
    """A new posting, checked and submitted; PostingBlocked (nothing written) on a BLOCK finding."""
    salary, county = validate(session, data)
    review = run_checks(session, draft_of(data, salary))
    job = Job(employer=employer, source="platform", status=JobStatus.DRAFT)
    _apply(job, data, salary, county)
    session.add(job)
    session.flush()
    _submit(session, job, employer, review, user_id, "单位发布")
    session.flush()
    log.info("job posted job_id=%s status=%s employer_id=%s", job.id, job.status, employer.id)
    return PostingOutcome(job, review)


def _back_to_review(session: Session, job: Job, user_id: int | None, reason: str) -> None:
    """A published posting whose edit needs a second look goes back to review.

    TRANSITIONS may not (yet) allow published → pending review directly; then the posting is
    taken down (closed) and resubmitted, both steps recorded.
    """
    if JobStatus.PENDING_REVIEW not in TRANSITIONS[JobStatus.PUBLISHED]:
        change_status(session, job, JobStatus.CLOSED, user_id=user_id, reason=reason)
    change_status(session, job, JobStatus.PENDING_REVIEW, user_id=user_id, reason=reason)


def edit_job(
    session: Session, employer: Employer, job: Job, data: JobInput, *, user_id: int | None = None
) -> PostingOutcome:
    """Save an edit; re-runs the checks. PostingBlocked leaves the stored posting as it was.

    A clean edit of a published posting stays published; a REVIEW finding sends it back to
    review. Drafts and pending postings are resubmitted by the posting rule; postings staff sent
    back for changes go to staff again; closed, filled and expired ones are only saved.
    """
    _require_owner(employer, job)
    current = JobStatus(job.status)
    if current not in EDITABLE:
        raise Conflict("未通过审核的职位不能修改，请重新发布一个新职位")
    salary, county = validate(session, data)
    # the occupation label belongs to the stored title; a new title has none yet
    occupation = job.occupation_code if data.title == job.title else None
    review = run_checks(session, draft_of(data, salary), occupation)
    _apply(job, data, salary, county)
    if current == JobStatus.PUBLISHED:
        if review:
            _back_to_review(session, job, user_id, "修改后需人工审核")
            job.submitted_at = utcnow()
            job.check_findings = [finding.as_dict() for finding in review]
    elif current == JobStatus.CHANGES_REQUESTED:
        # staff asked for changes: they see the result, whatever the checks say
        change_status(
            session, job, JobStatus.PENDING_REVIEW, user_id=user_id, reason="单位按要求修改后提交"
        )
        job.submitted_at = utcnow()
        job.check_findings = [finding.as_dict() for finding in review]
    elif current in (JobStatus.DRAFT, JobStatus.PENDING_REVIEW):
        _submit(session, job, employer, review, user_id, "单位修改后提交")
    session.flush()
    log.info("job edited job_id=%s status=%s", job.id, job.status)
    return PostingOutcome(job, review)


def close_job(
    session: Session, employer: Employer, job: Job, *, user_id: int | None = None
) -> None:
    """Take a posting down (published or waiting for review → closed)."""
    _require_owner(employer, job)
    if job.status not in (JobStatus.PUBLISHED, JobStatus.PENDING_REVIEW, JobStatus.DRAFT):
        raise Conflict("只有招聘中或待审核的职位可以关闭")
    change_status(session, job, JobStatus.CLOSED, user_id=user_id, reason="单位关闭")
    session.flush()


def mark_filled(
    session: Session, employer: Employer, job: Job, *, user_id: int | None = None
) -> None:
    """A published posting whose places are all taken."""
    _require_owner(employer, job)
    if job.status != JobStatus.PUBLISHED:
        raise Conflict("只有招聘中的职位可以标记为已招满")
    change_status(session, job, JobStatus.FILLED, user_id=user_id, reason="单位标记已招满")
    session.flush()


def repost_job(
    session: Session, employer: Employer, job: Job, *, user_id: int | None = None
) -> PostingOutcome:
    """A closed, filled or expired posting again, checked again (the rules may have changed)."""
    _require_owner(employer, job)
    if job.status not in REPOSTABLE:
        raise Conflict("只有已关闭、已招满或已过期的职位可以重新发布")
    draft = PostingDraft(
        title=job.title,
        description=job.description or "",
        skills=job.skills or "",
        benefits=job.benefits or "",
        salary_min=job.salary_min,
        salary_max=job.salary_max,
        salary_unit=job.salary_unit,
        monthly_min=job.salary_monthly_min,
        monthly_max=job.salary_monthly_max,
        city=job.city,
        kind=str(job.kind),
    )
    review = run_checks(session, draft, job.occupation_code)
    job.closed_at = None
    _submit(session, job, employer, review, user_id, "单位重新发布")
    session.flush()
    return PostingOutcome(job, review)


# -- reading ------------------------------------------------------------------------------------


def _require_owner(employer: Employer, job: Job) -> None:
    if job.employer_id != employer.id:
        # as if it did not exist: another employer's ids tell nothing
        raise NotFound("未找到该职位")


def own_job(session: Session, employer: Employer, job_id: int) -> Job:
    """The employer's own job; NotFound for a missing one and for another employer's alike."""
    job = session.get(Job, job_id)
    if job is None or job.employer_id != employer.id:
        raise NotFound("未找到该职位")
    return job


def staff_reasons(session: Session, employer: Employer, job: Job | None = None) -> dict[int, str]:
    """Why staff sent back (需修改) or refused each of `employer`'s postings now in that state.

    The reason is that of the latest change into the posting's current status: an earlier
    request already answered by a resubmit is not shown. `job` narrows it to one posting.
    """
    query = (
        select(JobStatusEvent.job_id, JobStatusEvent.reason)
        .join(Job, Job.id == JobStatusEvent.job_id)
        .where(
            Job.employer_id == employer.id,
            Job.status.in_(STAFF_DECIDED),
            JobStatusEvent.to_status == Job.status,
        )
        # ids, not times: an import or the demo may back-date `at`
        .order_by(JobStatusEvent.id)
    )
    if job is not None:
        query = query.where(Job.id == job.id)
    latest: dict[int, str | None] = dict(session.execute(query).all())  # id order: the last stays
    return {job_id: reason for job_id, reason in latest.items() if reason}


@dataclass
class JobRow:
    job: Job
    applicants: int
    new_applicants: int  # not yet opened by the employer
    staff_reason: str | None = None  # why staff sent it back or refused it (staff_reasons)


# the order of the dashboard's groups: what needs attention first
DASHBOARD_ORDER = (
    JobStatus.CHANGES_REQUESTED,
    JobStatus.PENDING_REVIEW,
    JobStatus.PUBLISHED,
    JobStatus.DRAFT,
    JobStatus.FILLED,
    JobStatus.CLOSED,
    JobStatus.EXPIRED,
    JobStatus.REJECTED,
)


def dashboard(session: Session, employer: Employer) -> list[tuple[JobStatus, list[JobRow]]]:
    """The employer's jobs grouped by status (non-empty groups only), newest first."""
    counts = {
        job_id: (total, new or 0)
        for job_id, total, new in session.execute(
            select(
                Application.job_id,
                func.count(),
                func.sum(case((Application.status == ApplicationStatus.APPLIED, 1), else_=0)),
            )
            .join(Job, Job.id == Application.job_id)
            .where(Job.employer_id == employer.id)
            .group_by(Application.job_id)
        )
    }
    reasons = staff_reasons(session, employer)
    groups: dict[JobStatus, list[JobRow]] = {status: [] for status in DASHBOARD_ORDER}
    for job in session.scalars(
        select(Job)
        .where(Job.employer_id == employer.id)
        .order_by(Job.updated_at.desc(), Job.id.desc())
    ):
        total, new = counts.get(job.id, (0, 0))
        row = JobRow(job, total, int(new), reasons.get(job.id))
        groups.setdefault(JobStatus(job.status), []).append(row)
    return [(status, rows) for status, rows in groups.items() if rows]
