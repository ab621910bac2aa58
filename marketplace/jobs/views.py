"""Job detail and applying (seekers); see seekers.views for their applications."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from indexer.education import EducationLevel
from marketplace.accounts.auth import current_seeker_profile, role_required, signed_in_user
from marketplace.accounts.models import Role
from marketplace.database import db_session, utcnow
from marketplace.employers.models import Verification
from marketplace.interactions.models import InteractionEvent
from marketplace.interactions.tracking import anonymous_id
from marketplace.jobs.display import place_words
from marketplace.jobs.models import Job, JobStatus
from marketplace.search.filters import KIND_LABELS, read_text, search_args
from marketplace.seekers import services

bp = Blueprint("jobs", __name__)
log = logging.getLogger(__name__)

JOB_STATUS_LABELS = {
    JobStatus.DRAFT.value: "草稿",
    JobStatus.PENDING_REVIEW.value: "待审核",
    JobStatus.CHANGES_REQUESTED.value: "需修改后重新提交",
    JobStatus.REJECTED.value: "未通过审核",
    JobStatus.PUBLISHED.value: "招聘中",
    JobStatus.FILLED.value: "已招满",
    JobStatus.CLOSED.value: "已停止招聘",
    JobStatus.EXPIRED.value: "已过期",
}


def _visible_job(job_id: int) -> Job:
    """The job if this visitor may see it: published to all, any status to its employer, staff."""
    job = db_session().scalar(select(Job).options(joinedload(Job.employer)).where(Job.id == job_id))
    if job is None:
        abort(404)
    if job.status != JobStatus.PUBLISHED:
        user = signed_in_user()
        owner = (
            user is not None and user.role == Role.EMPLOYER and user.employer_id == job.employer_id
        )
        if not (owner or (user is not None and user.role == Role.STAFF)):
            abort(404)
    return job


def _education_words(job: Job) -> str | None:
    if job.education:
        try:
            return EducationLevel.from_code(job.education).label
        except ValueError:
            pass
    return job.education_raw or None


def _experience_words(job: Job) -> str | None:
    if job.experience_years is None:
        return None
    return "经验不限" if job.experience_years == 0 else f"{job.experience_years} 年以上"


def _tags(raw: str | None) -> list[str]:
    return [tag.strip() for tag in (raw or "").replace("，", ",").split(",") if tag.strip()]


# a search's results link here with the search (q and its filters, as the results page reads
# them) and the 1-based position the job was shown at
SEARCH_POSITION_ARG = "pos"


def _from_search() -> tuple[str | None, int | None]:
    """(query, position) when this page was opened from a search's results, else (None, None)."""
    query = read_text(request.args)
    position = request.args.get(SEARCH_POSITION_ARG, type=int)
    if not query or position is None or not 1 <= position <= 10_000:
        return None, None
    return query, position


def _log_click(job_id: int, user_id: int | None) -> None:
    """One small insert: the ranker learns from what people open. A failure never costs the page."""
    database = db_session()
    query, position = _from_search()
    try:
        services.record_interaction(
            database,
            InteractionEvent.CLICK,
            job_id,
            user_id=user_id,
            session_id=anonymous_id(),
            query=query,
            position=position,
        )
        database.commit()
    except SQLAlchemyError as error:
        database.rollback()
        log.warning("click on job %s not logged: %s", job_id, error)


@bp.get("/jobs/<int:job_id>")
def detail(job_id: int) -> str:
    job = _visible_job(job_id)
    user = signed_in_user()
    database = db_session()
    profile = current_seeker_profile() if user is not None and user.role == Role.SEEKER else None
    home = services.home_point(database, profile)
    application = services.application_for(database, profile, job.id)
    is_open = services.job_is_open(job)
    if job.status == JobStatus.PUBLISHED:
        _log_click(job.id, user.id if user is not None else None)
    # back to the search this page was opened from: its words, filters and page, re-read
    search: dict[str, Any] = search_args(request.args, home=home, now=utcnow())
    return render_template(
        "jobs/detail.html",
        job=job,
        role=user.role if user is not None else None,
        kind_label=KIND_LABELS.get(job.kind, ""),
        # a published posting past its expiry date is not yet swept: say what it is
        status_label=JOB_STATUS_LABELS[JobStatus.EXPIRED.value]
        if job.status == JobStatus.PUBLISHED and not is_open
        else JOB_STATUS_LABELS.get(job.status, job.status),
        is_open=is_open,
        place=place_words(db_session(), job),
        distance=services.distance_from_home(home, job),
        verified=job.employer.verification == Verification.VERIFIED,
        education=_education_words(job),
        experience=_experience_words(job),
        skills=_tags(job.skills),
        benefits=_tags(job.benefits),
        posted=services.local_time(job.published_at, with_time=False),
        application=application,
        application_label=services.STATUS_LABELS.get(application.status, "") if application else "",
        back_to_search=url_for("search.results", **search),
    )


@bp.post("/jobs/<int:job_id>/apply")
def apply(job_id: int) -> Response:
    if not current_user.is_authenticated:
        # after signing in, back to the job page (the apply URL takes no GET)
        return redirect(url_for("accounts.login", next=url_for("jobs.detail", job_id=job_id)))
    return _apply_as_seeker(job_id)


@role_required(Role.SEEKER)
def _apply_as_seeker(job_id: int) -> Response:
    database = db_session()
    user = signed_in_user()
    job = database.get(Job, job_id)
    if job is None or user is None:
        abort(404)
    profile = current_seeker_profile()
    missing = services.missing_for_applying(profile)
    if missing or profile is None:
        flash(f"申请前请先完善求职资料：{'、'.join(missing)}", "error")
        return redirect(url_for("accounts.profile", next=url_for("jobs.detail", job_id=job_id)))
    applied = services.apply(database, profile, job, user_id=user.id, session_id=anonymous_id())
    database.commit()
    if applied.created:
        flash("申请已提交，用人单位查看后会通过平台通知您", "success")
    else:
        flash("您已申请过该职位，可在“我的申请”查看进度", "info")
    return redirect(url_for("jobs.detail", job_id=job_id))
