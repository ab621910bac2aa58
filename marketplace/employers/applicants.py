"""The applicant pipeline of an employer's job, and recommended candidates for it.

Services take the session and flush; the caller commits. The employer of a job sees its
applicants' phone numbers (they call them); recommended candidates are shown masked, without
any contact details, until they apply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import literal, or_, select
from sqlalchemy.orm import Session, joinedload

from indexer.salary import monthly_equivalent
from marketplace.employers.models import Employer
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job
from marketplace.seekers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    SeekerProfile,
)

log = logging.getLogger(__name__)

# Which status an employer may move an application to. Opening it marks it viewed; an odd job
# may hire without an interview. Hired and not suitable are final; withdrawn is the seeker's.
MOVES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.APPLIED: frozenset(
        {ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW, ApplicationStatus.NOT_SUITABLE}
    ),
    ApplicationStatus.VIEWED: frozenset(
        {ApplicationStatus.INTERVIEW, ApplicationStatus.HIRED, ApplicationStatus.NOT_SUITABLE}
    ),
    ApplicationStatus.INTERVIEW: frozenset(
        {ApplicationStatus.HIRED, ApplicationStatus.NOT_SUITABLE}
    ),
    ApplicationStatus.HIRED: frozenset(),
    ApplicationStatus.NOT_SUITABLE: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}
STATUS_LABELS = {
    ApplicationStatus.APPLIED: "新申请",
    ApplicationStatus.VIEWED: "已查看",
    ApplicationStatus.INTERVIEW: "邀请面试",
    ApplicationStatus.HIRED: "已录用",
    ApplicationStatus.NOT_SUITABLE: "不合适",
    ApplicationStatus.WITHDRAWN: "求职者已撤回",
}
MAX_CANDIDATES = 20
# how many profiles the database pre-selects before they are scored here
CANDIDATE_POOL = 500


def applications_of(session: Session, job: Job) -> list[Application]:
    """A job's applications, newest first (the caller has checked the job is the employer's)."""
    return list(
        session.scalars(
            select(Application)
            .options(joinedload(Application.seeker))
            .where(Application.job_id == job.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def own_application(
    session: Session, employer: Employer, job: Job, application_id: int
) -> Application:
    """An application to the employer's own `job`; NotFound otherwise (another job's too)."""
    application = session.get(Application, application_id)
    if application is None or application.job_id != job.id or job.employer_id != employer.id:
        raise NotFound("未找到该申请")
    return application


def history(session: Session, application: Application) -> list[ApplicationEvent]:
    return list(
        session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        )
    )


def _parse(status: str) -> ApplicationStatus:
    try:
        return ApplicationStatus(status)
    except ValueError:
        raise ValidationError("申请状态选项无效") from None


def move_application(
    session: Session, application: Application, to: str, *, user_id: int | None = None
) -> None:
    """Move an application along; Conflict (in Chinese) for a move not allowed.

    Every change is an ApplicationEvent; a hire is also logged for the ranker.
    """
    target = _parse(to)
    current = ApplicationStatus(application.status)
    if current == ApplicationStatus.WITHDRAWN:
        raise Conflict("求职者已撤回此申请，不能再更改状态")
    if target not in MOVES[current]:
        raise Conflict(f"申请状态不能从“{STATUS_LABELS[current]}”改为“{STATUS_LABELS[target]}”")
    application.status = target
    session.add(
        ApplicationEvent(
            application=application,
            from_status=current.value,
            to_status=target.value,
            user_id=user_id,
        )
    )
    if target == ApplicationStatus.HIRED:
        # who was hired for which job, nothing else (DESIGN.md "interaction log")
        session.add(
            Interaction(
                event=InteractionEvent.HIRE,
                user_id=application.seeker.user_id,
                job_id=application.job_id,
            )
        )
    session.flush()
    log.info(
        "application moved application_id=%s %s→%s", application.id, current.value, target.value
    )


def mark_viewed(session: Session, application: Application, *, user_id: int | None = None) -> bool:
    """Opening a new application marks it viewed; True when it changed."""
    if application.status != ApplicationStatus.APPLIED:
        return False
    move_application(session, application, ApplicationStatus.VIEWED, user_id=user_id)
    return True


def next_moves(application: Application) -> list[ApplicationStatus]:
    """The moves to offer as buttons (viewing happens by opening; not offered)."""
    allowed = MOVES[ApplicationStatus(application.status)] - {ApplicationStatus.VIEWED}
    order = list(ApplicationStatus)
    return sorted(allowed, key=order.index)


# -- recommended candidates ---------------------------------------------------------------------


def mask_name(name: str | None) -> str:
    """'王小明' → '王**': enough to tell candidates apart, not to find them."""
    if not name:
        return "**"
    return f"{name.strip()[:1]}**"


def split_tags(raw: str | None) -> list[str]:
    return [tag.strip() for tag in (raw or "").split(",") if tag.strip()]


@dataclass
class Candidate:
    profile: SeekerProfile
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def masked_name(self) -> str:
        return mask_name(self.profile.name)


def _title_match(job_title: str, desired: str | None) -> bool:
    if not desired:
        return False
    want = desired.strip()
    return bool(want) and (want in job_title or job_title in want)


def _pay_fits(job: Job, profile: SeekerProfile) -> bool:
    """The seeker's lowest expected pay (monthly equivalent) is within what the job pays."""
    job_high = job.salary_monthly_max or job.salary_monthly_min
    expected = monthly_equivalent(profile.expected_pay_min, profile.expected_pay_unit)
    return job_high is not None and expected is not None and expected <= job_high


def score_candidate(job: Job, profile: SeekerProfile) -> Candidate | None:
    """A simple explainable score; None when nothing about the work itself matches.

    Same county and pay fit add to a match but do not make one on their own.
    """
    candidate = Candidate(profile, 0.0)
    if job.occupation_code and profile.desired_occupation_code == job.occupation_code:
        candidate.score += 3
        candidate.reasons.append(
            f"期望职业与本职位一致（{job.occupation_name or job.occupation_code}）"
        )
    if _title_match(job.title, profile.desired_job):
        candidate.score += 2
        candidate.reasons.append(f"期望职位：{profile.desired_job}")
    wanted = {tag.lower(): tag for tag in split_tags(job.skills)}
    shared = [tag for tag in split_tags(profile.skills) if tag.lower() in wanted]
    if shared:
        candidate.score += min(len(shared), 3)
        candidate.reasons.append("具备技能：" + "、".join(shared))
    if candidate.score == 0:
        return None
    if job.county_code and profile.home_county_code == job.county_code:
        candidate.score += 1
        candidate.reasons.append("家在本区县")
    if _pay_fits(job, profile):
        candidate.score += 1
        candidate.reasons.append("期望薪资在本职位薪资范围内")
    return candidate


def recommended_candidates(
    session: Session, job: Job, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """Seekers who fit the job and have not applied to it, best first (at most `limit`)."""
    signals = []
    if job.occupation_code:
        signals.append(SeekerProfile.desired_occupation_code == job.occupation_code)
    # the desired job within the title (焊工 in 船舶电焊工) or the title within it
    signals.append(literal(job.title).contains(SeekerProfile.desired_job))
    signals.append(SeekerProfile.desired_job.contains(job.title, autoescape=True))
    for tag in split_tags(job.skills)[:10]:
        signals.append(SeekerProfile.skills.contains(tag, autoescape=True))
    applied = select(Application.seeker_id).where(Application.job_id == job.id)
    pool = session.scalars(
        select(SeekerProfile)
        .where(or_(*signals), SeekerProfile.id.not_in(applied))
        .order_by(SeekerProfile.updated_at.desc(), SeekerProfile.id.desc())
        .limit(CANDIDATE_POOL)
    )
    scored = [candidate for profile in pool if (candidate := score_candidate(job, profile))]
    # ties: the most recently updated profile first (the pool's order; sort is stable)
    scored.sort(key=lambda candidate: candidate.score, reverse=True)
    return scored[:limit]
