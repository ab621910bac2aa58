"""A seeker's applications through the API: apply, list with history, withdraw."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.accounts.auth import current_seeker_profile
from marketplace.accounts.models import Role
from marketplace.api.access import integer, json_body, required_user, utc_text
from marketplace.api.jobs import job_summary
from marketplace.database import db_session
from marketplace.errors import Conflict, NotFound
from marketplace.interactions.tracking import anonymous_id
from marketplace.jobs.models import Job
from marketplace.seekers import services
from marketplace.seekers.models import Application, ApplicationEvent, SeekerProfile

bp = Blueprint("applications", __name__)

NO_APPLICATION = "没有找到这份申请"


class ProfileIncomplete(Conflict):
    """The profile lacks what an employer needs to judge an application."""

    code = "profile_incomplete"


def _application_json(
    application: Application, events: list[ApplicationEvent] | None = None
) -> dict[str, Any]:
    return {
        "id": application.id,
        "status": application.status,
        "status_label": services.STATUS_LABELS.get(application.status, application.status),
        "can_withdraw": application.status in services.WITHDRAWABLE,
        "applied_at": utc_text(application.created_at),
        "updated_at": utc_text(application.updated_at),
        "job": {**job_summary(application.job), "open": services.job_is_open(application.job)},
        "history": [
            {
                "from_status": event.from_status,
                "to_status": event.to_status,
                "at": utc_text(event.at),
            }
            for event in events or []
        ],
    }


def _own(profile: SeekerProfile | None, application_id: int) -> Application:
    """The seeker's own application; another seeker's is as unknown as a missing one."""
    application = db_session().scalar(
        select(Application)
        .options(joinedload(Application.job).joinedload(Job.employer))
        .where(Application.id == application_id)
    )
    if application is None or profile is None or application.seeker_id != profile.id:
        raise NotFound(NO_APPLICATION)
    return application


@bp.get("/applications")
def mine() -> Response:
    """The seeker's applications, newest first, each with its history."""
    required_user(Role.SEEKER)
    profile = current_seeker_profile()
    found = [] if profile is None else services.my_applications(db_session(), profile)
    return jsonify(
        applications=[_application_json(item.application, item.events) for item in found]
    )


@bp.post("/applications")
def apply() -> tuple[Response, int]:
    """Apply to a published job (201); applying again returns the same application (200)."""
    user = required_user(Role.SEEKER)
    profile = current_seeker_profile()
    job_id = integer(json_body(), "job_id", required=True)
    session = db_session()
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("没有这个职位，或职位已下线")
    missing = services.missing_for_applying(profile)
    if missing or profile is None:
        raise ProfileIncomplete(f"申请前请先完善求职资料：{'、'.join(missing)}")
    applied = services.apply(session, profile, job, user_id=user.id, session_id=anonymous_id())
    session.commit()
    application = _own(profile, applied.application.id)
    return jsonify(_application_json(application)), 201 if applied.created else 200


@bp.post("/applications/<int:application_id>/withdraw")
def withdraw(application_id: int) -> Response:
    user = required_user(Role.SEEKER)
    profile = current_seeker_profile()
    application = _own(profile, application_id)
    assert profile is not None  # noqa: S101 - _own found the seeker's own application
    session = db_session()
    services.withdraw(session, profile, application.job_id, user_id=user.id)
    session.commit()
    return jsonify(_application_json(application))
