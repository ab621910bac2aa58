"""A seeker's business actions: apply to a job, withdraw, list their applications; their home point.

No Flask here. Every action takes the seeker's own profile: nothing reaches another seeker's rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from indexer.geo import distance_km
from indexer.queries import GeoPoint
from marketplace.database import utcnow
from marketplace.errors import Conflict, NotFound
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job, JobStatus
from marketplace.localtime import LOCAL_OFFSET as CHINA_OFFSET
from marketplace.places.models import Place
from marketplace.seekers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Invitation,
    SeekerProfile,
)

STATUS_LABELS = {
    ApplicationStatus.APPLIED.value: "已投递",
    ApplicationStatus.VIEWED.value: "已查看",
    ApplicationStatus.INTERVIEW.value: "邀请面试",
    ApplicationStatus.HIRED.value: "已录用",
    ApplicationStatus.NOT_SUITABLE.value: "不合适",
    ApplicationStatus.WITHDRAWN.value: "已撤回",
}
# a seeker may take back an application until the employer has decided
WITHDRAWABLE = frozenset(
    {ApplicationStatus.APPLIED, ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW}
)
# China Standard Time has had no daylight saving since 1991: a fixed offset is exact


class JobNotOpen(Conflict):
    """The job takes no applications (not published, closed, filled or expired)."""

    def __init__(self) -> None:
        super().__init__("该职位已停止招聘，不能申请")


class CannotWithdraw(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(f"申请状态为“{STATUS_LABELS.get(status, status)}”，不能撤回")


class AlreadyWithdrawn(CannotWithdraw):
    """Withdrawn already: a second tap, which the pages treat as harmless."""

    def __init__(self) -> None:
        super().__init__(ApplicationStatus.WITHDRAWN.value)


@dataclass(frozen=True)
class Applied:
    application: Application
    created: bool  # False when the seeker had applied already


@dataclass(frozen=True)
class MyApplication:
    application: Application
    events: list[ApplicationEvent] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.application.status, self.application.status)

    @property
    def can_withdraw(self) -> bool:
        return self.application.status in WITHDRAWABLE


def local_time(at: datetime | None, with_time: bool = True) -> str:
    """A stored (naive UTC) time as people in Weihai read it: 2023-05-04 14:30."""
    if at is None:
        return ""
    local = at + CHINA_OFFSET
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def missing_for_applying(profile: SeekerProfile | None) -> list[str]:
    """What the profile lacks before an employer can judge an application (labels, in order)."""
    missing = []
    if profile is None or not (profile.name or "").strip():
        missing.append("姓名")
    if profile is None or not (profile.desired_job or "").strip():
        missing.append("期望职位")
    return missing


def job_is_open(job: Job, now: datetime | None = None) -> bool:
    if job.status != JobStatus.PUBLISHED:
        return False
    return job.expires_at is None or job.expires_at > (now or utcnow())


def record_interaction(
    session: Session,
    event: InteractionEvent,
    job_id: int,
    *,
    user_id: int | None,
    session_id: str | None,
    query: str | None = None,
    position: int | None = None,
) -> None:
    """One row of the interaction log (DESIGN.md: no personal data beyond the user id);
    `query` and `position` when the job was opened from a search's results."""
    session.add(
        Interaction(
            event=event,
            job_id=job_id,
            user_id=user_id,
            session_id=session_id,
            query=query,
            position=position,
        )
    )


def _find(session: Session, profile: SeekerProfile, job_id: int) -> Application | None:
    return session.scalar(
        select(Application).where(Application.job_id == job_id, Application.seeker_id == profile.id)
    )


def _move(session: Session, application: Application, to: ApplicationStatus, user_id: int) -> None:
    session.add(
        ApplicationEvent(
            application=application,
            from_status=application.status,
            to_status=to.value,
            user_id=user_id,
        )
    )
    application.status = to.value


def _move_from(
    session: Session,
    application: Application,
    held: str,
    to: ApplicationStatus,
    user_id: int,
) -> bool:
    """`_move`, only if the row still holds `held`: of a double tap's two requests, which both
    read it before either wrote, the second finds it moved and changes nothing (False)."""
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Application)
            .where(Application.id == application.id, Application.status == held)
            .values(status=to.value)
            .execution_options(synchronize_session=False)
        ),
    )
    session.refresh(application)
    if result.rowcount == 0:
        return False
    session.add(
        ApplicationEvent(
            application=application, from_status=held, to_status=to.value, user_id=user_id
        )
    )
    return True


def apply(
    session: Session,
    profile: SeekerProfile,
    job: Job,
    *,
    user_id: int,
    session_id: str | None = None,
) -> Applied:
    """Apply to `job`; applying again changes nothing (a withdrawn application is renewed).

    Raises JobNotOpen when the job takes no applications.
    """
    existing = _find(session, profile, job.id)
    if existing is not None and existing.status != ApplicationStatus.WITHDRAWN:
        return Applied(existing, created=False)
    if not job_is_open(job):
        raise JobNotOpen()
    if existing is not None:
        # the same row comes back as a new application (one per job and seeker); an interview
        # arranged before the withdrawal is not the employer's word any more
        if not _move_from(
            session, existing, ApplicationStatus.WITHDRAWN, ApplicationStatus.APPLIED, user_id
        ):
            return Applied(existing, created=False)  # renewed a moment ago
        existing.interview_at = None
        existing.interview_place = None
        application = existing
    else:
        application = Application(
            job_id=job.id, seeker_id=profile.id, status=ApplicationStatus.APPLIED.value
        )
        try:
            # a double-click's second request may race the first: the unique key decides
            with session.begin_nested():
                session.add(application)
                session.flush()
        except IntegrityError:
            raced = _find(session, profile, job.id)
            if raced is None:
                raise
            return Applied(raced, created=False)
        session.add(
            ApplicationEvent(
                application=application,
                from_status=None,
                to_status=ApplicationStatus.APPLIED.value,
                user_id=user_id,
            )
        )
    record_interaction(
        session, InteractionEvent.APPLY, job.id, user_id=user_id, session_id=session_id
    )
    session.flush()
    return Applied(application, created=True)


def application_for(
    session: Session, profile: SeekerProfile | None, job_id: int
) -> Application | None:
    """The seeker's application to the job, if any."""
    return None if profile is None else _find(session, profile, job_id)


def withdrawable(session: Session, profile: SeekerProfile, job_id: int) -> Application:
    """The seeker's application to a job if it may be withdrawn (errors as `withdraw`)."""
    application = _find(session, profile, job_id)
    if application is None:
        raise NotFound("没有找到这份申请")
    if application.status == ApplicationStatus.WITHDRAWN:
        raise AlreadyWithdrawn()
    if application.status not in WITHDRAWABLE:
        raise CannotWithdraw(application.status)
    return application


def withdraw(session: Session, profile: SeekerProfile, job_id: int, *, user_id: int) -> Application:
    """Take back the seeker's application to a job; NotFound when they have none,
    AlreadyWithdrawn or CannotWithdraw (decided) when it cannot be taken back."""
    application = withdrawable(session, profile, job_id)
    if not _move_from(
        session, application, application.status, ApplicationStatus.WITHDRAWN, user_id
    ):
        # changed since it was read: withdrawn by a double tap, or decided by the employer
        withdrawable(session, profile, job_id)
        return withdraw(session, profile, job_id, user_id=user_id)  # moved on, still open
    session.flush()
    return application


def my_applications(session: Session, profile: SeekerProfile) -> list[MyApplication]:
    """The seeker's applications, newest first, each with its history (oldest event first)."""
    applications = session.scalars(
        select(Application)
        .options(joinedload(Application.job).joinedload(Job.employer))
        .where(Application.seeker_id == profile.id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    ).all()
    events: dict[int, list[ApplicationEvent]] = defaultdict(list)
    if applications:
        for event in session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id.in_([a.id for a in applications]))
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        ):
            events[event.application_id].append(event)
    return [MyApplication(a, events[a.id]) for a in applications]


def my_invitations(session: Session, profile: SeekerProfile) -> list[Invitation]:
    """Employers' invitations to apply, newest first: for jobs still published that the seeker
    has not applied to (an application answers an invitation)."""
    applied = select(Application.job_id).where(Application.seeker_id == profile.id)
    return list(
        session.scalars(
            select(Invitation)
            .join(Job, Job.id == Invitation.job_id)
            .options(joinedload(Invitation.job).joinedload(Job.employer))
            .where(
                Invitation.seeker_id == profile.id,
                Job.status == JobStatus.PUBLISHED,
                Invitation.job_id.not_in(applied),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def home_point(session: Session, profile: SeekerProfile | None) -> GeoPoint | None:
    """Where the seeker lives: their own point, else their village's, else their town's."""
    if profile is None:
        return None
    if profile.lat is not None and profile.lng is not None:
        return GeoPoint(profile.lat, profile.lng)
    for code in (profile.home_village_code, profile.home_town_code):
        place = session.get(Place, code) if code else None
        if place is not None and place.lat is not None and place.lng is not None:
            return GeoPoint(place.lat, place.lng)
    return None


def distance_from_home(home: GeoPoint | None, job: Job) -> float | None:
    """Kilometres from the seeker's home to the job, when both points are known."""
    if home is None or job.lat is None or job.lng is None:
        return None
    return distance_km(home.lat, home.lng, job.lat, job.lng)
