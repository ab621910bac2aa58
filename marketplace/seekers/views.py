"""A seeker's own pages: my applications and their history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from marketplace.accounts.auth import current_seeker_profile, role_required, signed_in_user
from marketplace.accounts.models import Role
from marketplace.database import db_session
from marketplace.errors import NotFound
from marketplace.jobs.models import JobStatus
from marketplace.seekers import services

bp = Blueprint("seekers", __name__)


@bp.get("/me/applications")
@role_required(Role.SEEKER)
def applications() -> str:
    profile = current_seeker_profile()
    mine = services.my_applications(db_session(), profile) if profile is not None else []
    return render_template(
        "seekers/applications.html",
        applications=mine,
        labels=services.STATUS_LABELS,
        local_time=services.local_time,
        published=JobStatus.PUBLISHED.value,
    )


# Addressed by job, not by application id: a seeker has at most one application per job, and
# the URL then says nothing about how many applications the platform holds.
@bp.post("/me/applications/<int:job_id>/withdraw")
@role_required(Role.SEEKER)
def withdraw(job_id: int) -> Response:
    profile = current_seeker_profile()
    user = signed_in_user()
    if profile is None or user is None:
        raise NotFound("没有找到这份申请")
    database = db_session()
    services.withdraw(database, profile, job_id, user_id=user.id)
    database.commit()
    flash("申请已撤回", "success")
    return redirect(url_for("seekers.applications"))
