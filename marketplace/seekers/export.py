"""我的数据: everything the platform holds about a signed-in seeker, as one JSON document.

The right to a copy of one's personal information (《个人信息保护法》 第四十五条): the account,
the profile, applications with their history, invitations, policy claims and declarations,
odd-job registration, offers and the requests they posted, and what the interaction log
recorded under the account. Times are Beijing time; codes and statuses are the stored ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from marketplace.accounts.models import User
from marketplace.gigs.models import GigOffer, GigRequest, GigWorker
from marketplace.interactions.models import Interaction
from marketplace.jobs.models import Job
from marketplace.localtime import local_time
from marketplace.policies.models import PolicyClaim, PolicyDeclaration
from marketplace.seekers.models import Application, ApplicationEvent, Invitation, SeekerProfile

PROFILE_FIELDS = (
    "name", "phone", "id_number", "birth_date", "education", "graduation_year",
    "experience_years", "skills", "desired_job", "desired_occupation_code", "desired_kind",
    "expected_pay_min", "expected_pay_max", "expected_pay_unit", "home_county_code",
    "home_town_code", "home_village_code", "lat", "lng", "datum", "target_groups",
    "open_to_employers", "created_at", "updated_at",
)  # fmt: skip

WORKER_FIELDS = (
    "skills", "place_code", "lat", "lng", "days", "available_from", "available_until",
    "rate_amount", "rate_unit", "paused", "declines_count", "completions_count",
    "no_shows_count", "created_at",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """A value as JSON holds it: stored (naive UTC) times in Beijing time."""
    if isinstance(value, datetime):
        return local_time(value, "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _fields(row: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def my_data(session: Session, user: User, profile: SeekerProfile | None) -> dict[str, Any]:
    """The seeker's data, section by section (empty sections are kept: nothing is hidden)."""
    data: dict[str, Any] = {
        "说明": "就业平台保存的您的全部个人信息（时间为北京时间）",
        "账号": _fields(user, ("username", "display_name", "phone", "role", "created_at")),
        "求职资料": _fields(profile, PROFILE_FIELDS) if profile is not None else None,
    }
    seeker_id = profile.id if profile is not None else -1
    applications = session.scalars(
        select(Application)
        .options(joinedload(Application.job).joinedload(Job.employer))
        .where(Application.seeker_id == seeker_id)
        .order_by(Application.id)
    ).all()
    events = session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_([a.id for a in applications]))
        .order_by(ApplicationEvent.at, ApplicationEvent.id)
    ).all()
    data["申请记录"] = [
        {
            "职位": a.job.title,
            "单位": a.job.employer.name,
            **_fields(a, ("status", "interview_at", "interview_place", "created_at")),
            "进度": [
                _fields(e, ("from_status", "to_status", "at"))
                for e in events
                if e.application_id == a.id
            ],
        }
        for a in applications
    ]
    data["投递邀请"] = [
        {"职位": i.job.title, "单位": i.job.employer.name, "邀请时间": _plain(i.created_at)}
        for i in session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.job).joinedload(Job.employer))
            .where(Invitation.seeker_id == seeker_id)
            .order_by(Invitation.id)
        )
    ]
    data["政策申领"] = [
        {"政策": c.policy.name, **_fields(c, ("status", "applied_at", "decided_at", "note"))}
        for c in session.scalars(
            select(PolicyClaim).where(PolicyClaim.seeker_id == seeker_id).order_by(PolicyClaim.id)
        )
    ]
    data["政策声明"] = [
        _fields(d, ("fact", "value", "declared_at"))
        for d in session.scalars(
            select(PolicyDeclaration).where(PolicyDeclaration.seeker_id == seeker_id)
        )
    ]
    worker = session.scalar(select(GigWorker).where(GigWorker.seeker_id == seeker_id))
    data["零工登记"] = _fields(worker, WORKER_FIELDS) if worker is not None else None
    data["零工派单"] = [
        {
            "活": o.request.title,
            **_fields(o, ("status", "distance_km", "offered_at", "responded_at")),
        }
        for o in session.scalars(
            select(GigOffer)
            .where(GigOffer.worker_id == (worker.id if worker is not None else -1))
            .order_by(GigOffer.id)
        )
    ]
    data["我发布的零工需求"] = [
        _fields(r, ("title", "starts_at", "ends_at", "pay_amount", "pay_unit", "status"))
        for r in session.scalars(
            select(GigRequest)
            .where(GigRequest.requester_user_id == user.id)
            .order_by(GigRequest.id)
        )
    ]
    data["浏览与申请记录"] = [
        _fields(i, ("event", "at", "query", "filters", "job_id", "position"))
        for i in session.scalars(
            select(Interaction).where(Interaction.user_id == user.id).order_by(Interaction.id)
        )
    ]
    return data
