"""The applicant pipeline of an employer's job (recommended candidates: `candidates`).

Services take the session and flush; the caller commits. The employer of a job sees its
applicants' phone numbers (they call them); recommended candidates are shown masked, without
any contact details, until they apply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from marketplace.database import utcnow
from marketplace.employers.models import Employer
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job
from marketplace.seekers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
)

log = logging.getLogger(__name__)

INTERVIEW_DAYS_AHEAD = 60
MIN_PLACE_LENGTH = 2
MAX_PLACE_LENGTH = 200

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


@dataclass(frozen=True)
class Interview:
    """When (naive UTC; None: not given or unreadable) and where to come."""

    at: datetime | None
    place: str


def _interview_problem(interview: Interview | None, now: datetime) -> str | None:
    if interview is None or interview.at is None:
        return "邀请面试请填写面试时间"
    if interview.at <= now:
        return "面试时间须晚于现在"
    if interview.at > now + timedelta(days=INTERVIEW_DAYS_AHEAD):
        return f"面试时间最多安排在 {INTERVIEW_DAYS_AHEAD} 天以内，请核实日期（年份）"
    if len(interview.place.strip()) < MIN_PLACE_LENGTH:
        return "邀请面试请填写面试地点（地址或线上会议方式）"
    if len(interview.place.strip()) > MAX_PLACE_LENGTH:
        return f"面试地点不超过 {MAX_PLACE_LENGTH} 个字"
    return None


def _arrange(application: Application, interview: Interview | None, now: datetime) -> None:
    """Set the interview's time and place; ValidationError (in Chinese) when either is wrong."""
    problem = _interview_problem(interview, now)
    if problem is not None:
        raise ValidationError(problem)
    assert interview is not None  # noqa: S101 - checked by _interview_problem
    application.interview_at = interview.at
    application.interview_place = interview.place.strip()


def move_application(
    session: Session,
    application: Application,
    to: str,
    *,
    user_id: int | None = None,
    interview: Interview | None = None,
    now: datetime | None = None,
) -> None:
    """Move an application along; Conflict (in Chinese) for a move not allowed, and a
    ValidationError for an interview invitation without a future time and a place.

    Every change is an ApplicationEvent; a hire is also logged for the ranker.
    """
    target = _parse(to)
    current = ApplicationStatus(application.status)
    if current == ApplicationStatus.WITHDRAWN:
        raise Conflict("求职者已撤回此申请，不能再更改状态")
    if target not in MOVES[current]:
        raise Conflict(f"申请状态不能从“{STATUS_LABELS[current]}”改为“{STATUS_LABELS[target]}”")
    if target == ApplicationStatus.INTERVIEW:
        _arrange(application, interview, now or utcnow())
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


def reschedule_interview(
    session: Session,
    application: Application,
    interview: Interview,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Correct an arranged interview's time or place, checked as the invitation was; the
    history gets an interview → interview step. False when nothing changed.

    Conflict unless the application is at the interview stage.
    """
    if application.status != ApplicationStatus.INTERVIEW:
        raise Conflict("只有“邀请面试”阶段的申请可以更改面试时间和地点")
    before = (application.interview_at, application.interview_place)
    _arrange(application, interview, now or utcnow())
    if (application.interview_at, application.interview_place) == before:
        return False
    session.add(
        ApplicationEvent(
            application=application,
            from_status=ApplicationStatus.INTERVIEW.value,
            to_status=ApplicationStatus.INTERVIEW.value,
            user_id=user_id,
        )
    )
    session.flush()
    log.info("interview rescheduled application_id=%s", application.id)
    return True


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
