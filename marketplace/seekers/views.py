"""A seeker's own pages: my applications and their history, my data, closing my account."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import logout_user
from werkzeug.wrappers import Response

from marketplace.accounts import throttle
from marketplace.accounts.auth import current_seeker_profile, role_required, signed_in_user
from marketplace.accounts.forms import CloseAccountForm
from marketplace.accounts.models import Role
from marketplace.database import db_session, utcnow
from marketplace.errors import DomainError, NotFound, ValidationError
from marketplace.extensions import get_redis, redis_configured
from marketplace.jobs.models import JobStatus
from marketplace.seekers import closing, export, services

bp = Blueprint("seekers", __name__)


@bp.get("/me/applications")
@role_required(Role.SEEKER)
def applications() -> str:
    profile = current_seeker_profile()
    database = db_session()
    mine = services.my_applications(database, profile) if profile is not None else []
    invitations = services.my_invitations(database, profile) if profile is not None else []
    return render_template(
        "seekers/applications.html",
        applications=mine,
        invitations=invitations,
        labels=services.STATUS_LABELS,
        local_time=services.local_time,
        published=JobStatus.PUBLISHED.value,
    )


# Addressed by job, not by application id: a seeker has at most one application per job, and
# the URL then says nothing about how many applications the platform holds. GET asks to
# confirm (a page, no script needed); POST withdraws. Withdrawn already (a second tap, an old
# tab) only says so; so does one already decided (录用 / 不合适), on the list.
@bp.route("/me/applications/<int:job_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.SEEKER)
def withdraw(job_id: int) -> Response | str:
    profile = current_seeker_profile()
    user = signed_in_user()
    if profile is None or user is None:
        raise NotFound("没有找到这份申请")
    database = db_session()
    try:
        if request.method == "GET":
            application = services.withdrawable(database, profile, job_id)
            return render_template("seekers/withdraw.html", application=application)
        services.withdraw(database, profile, job_id, user_id=user.id)
    except services.AlreadyWithdrawn:
        database.rollback()
        flash("这份申请已经撤回，无需再次撤回", "info")
        return redirect(url_for("seekers.applications"))
    except services.CannotWithdraw as decided:  # 已录用 / 不合适: said on the list, not a 409 page
        database.rollback()
        flash(f"{decided.message}（单位已有结果）", "error")
        return redirect(url_for("seekers.applications"))
    database.commit()
    flash("申请已撤回", "success")
    return redirect(url_for("seekers.applications"))


@bp.get("/me/data")
@role_required(Role.SEEKER)
def my_data() -> Response:
    """下载我的数据: a copy of everything held about the seeker (JSON, never cached)."""
    user = signed_in_user()
    if user is None:
        raise NotFound("没有找到您的账号")
    data = export.my_data(db_session(), user, current_seeker_profile())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="jiuye-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/me/close")
@role_required(Role.SEEKER)
def close_account() -> Response:
    """注销账号, confirmed with the password; the person is signed out."""
    user = signed_in_user()
    if user is None:
        raise NotFound("没有找到您的账号")
    form = CloseAccountForm()
    if not form.validate_on_submit():
        flash("请输入密码确认注销", "error")
        return redirect(url_for("accounts.profile"))
    database = db_session()
    try:
        if not throttle.confirm_password(user, form.password.data or "", request.remote_addr):
            raise ValidationError("密码不正确，账号未注销")
        client = get_redis() if redis_configured() else None
        closing.close_account(database, client, user, utcnow())
    except DomainError as refused:
        database.rollback()
        flash(refused.message, "error")
        return redirect(url_for("accounts.profile"))
    logout_user()
    session.clear()  # nothing of the closed account's browser session stays
    flash("账号已注销。感谢您使用本平台。", "success")
    return redirect(url_for("home.index"))


@bp.get("/me/recommendations")
@role_required(Role.SEEKER)
def recommendations() -> str:
    """Jobs for the signed-in seeker from their own profile, each with why (only they see it)."""
    # imported here so that this view is all this change adds to the module
    from indexer.engines.base import SearchUnavailable
    from marketplace.errors import ServiceUnavailable
    from marketplace.search.engine import get_search
    from marketplace.search.filters import KIND_LABELS
    from marketplace.seekers import recommend

    profile = current_seeker_profile()
    missing = recommend.what_to_fill_in(profile)
    try:
        # [] without touching the index when the profile has too little
        hits = recommend.jobs_for(get_search(), db_session(), profile, utcnow())
    except SearchUnavailable as error:
        raise ServiceUnavailable("推荐服务暂时不可用，请稍后再试") from error
    return render_template(
        "seekers/recommendations.html",
        hits=hits,
        missing=missing,
        profile=profile,
        kind_labels=KIND_LABELS,
    )
