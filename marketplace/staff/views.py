"""Staff pages: employer verification, key enterprises, the posting review queue.

Thin: forms read the request, staff.review decides, templates show it. Every page is staff only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from indexer.highlight import highlight
from marketplace.accounts.auth import role_required, signed_in_user
from marketplace.accounts.forms import KIND_LABELS
from marketplace.accounts.models import User
from marketplace.accounts.services import mask_phone
from marketplace.accounts.views import VERIFICATION_LABELS
from marketplace.database import db_session, utcnow
from marketplace.employers.credit_code import InvalidCreditCode, normalize_credit_code
from marketplace.employers.models import Employer, KeyCategory, Verification
from marketplace.employers.services import set_key_enterprise
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.staff import review
from marketplace.staff.forms import (
    KEY_CATEGORY_LABELS,
    ConfirmForm,
    KeyEnterpriseForm,
    ReasonForm,
    read_stamp,
    stamp,
)

bp = Blueprint("staff", __name__, url_prefix="/staff")

PAGE_SIZE = 50
STATUS_LABELS = {
    JobStatus.DRAFT: "草稿",
    JobStatus.PENDING_REVIEW: "待审核",
    JobStatus.CHANGES_REQUESTED: "待单位修改",
    JobStatus.REJECTED: "未通过",
    JobStatus.PUBLISHED: "已发布",
    JobStatus.FILLED: "已招满",
    JobStatus.CLOSED: "已关闭",
    JobStatus.EXPIRED: "已过期",
}
EMPLOYER_FILTERS = {
    Verification.PENDING: "待核验",
    Verification.VERIFIED: "已认证",
    Verification.REJECTED: "未通过",
    Verification.UNVERIFIED: "未认证（导入）",
}


@bp.before_request
@role_required("staff")
def _staff_only() -> None:
    """Every page here: anonymous visitors go to the login page, other roles get 403."""


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "local_time": review.local_time,
        "duration_words": review.duration_words,
        "verification_labels": VERIFICATION_LABELS,
        "status_labels": STATUS_LABELS,
        "key_labels": KEY_CATEGORY_LABELS,
        "kind_labels": KIND_LABELS,
    }


def _actor() -> User:
    user = signed_in_user()
    if user is None:  # the before_request hook has run; this keeps the type checker sure
        raise Forbidden("请先登录")
    return user


def _employer(employer_id: int) -> Employer:
    employer = db_session().get(Employer, employer_id)
    if employer is None:
        raise NotFound("没有找到该单位")
    return employer


def _managed_employer(employer_id: int) -> Employer:
    employer = _employer(employer_id)
    if not review.can_manage_employer(_actor(), employer):
        raise Forbidden("单位核验和重点企业认定由市级或所在区县工作人员办理")
    return employer


def _job(job_id: int) -> Job:
    job = db_session().get(Job, job_id)
    if job is None:
        raise NotFound("没有找到该职位")
    return job


@bp.get("/")
def index() -> str:
    counts = review.staff_counts(db_session(), _actor(), utcnow())
    return render_template("staff/index.html", counts=counts)


# --- employers ----------------------------------------------------------------------------------


@bp.get("/employers")
def employers() -> str:
    session = db_session()
    actor = _actor()
    key_only = request.args.get("key") == "1"
    status = request.args.get("status")
    if status not in EMPLOYER_FILTERS:
        # the key-enterprise list shows every state; the plain list opens on the work to do
        status = None if key_only or request.args.get("status") == "all" else "pending"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = review.employers_query(actor, status, key_only)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    accounts = dict(
        session.execute(
            select(User.employer_id, func.count())
            .where(User.employer_id.in_([row.id for row in rows]))
            .group_by(User.employer_id)
        ).all()
    )
    return render_template(
        "staff/employers.html",
        employers=rows,
        accounts=accounts,
        status=status,
        key_only=key_only,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        filters=EMPLOYER_FILTERS,
    )


def _credit_code_check(code: str | None) -> tuple[bool, str]:
    if not code:
        return False, "未填写统一社会信用代码"
    try:
        normalize_credit_code(code)
    except InvalidCreditCode as error:
        return False, str(error)
    return True, "格式和校验位正确"


def _employer_page(
    employer: Employer,
    reject_form: ReasonForm | None = None,
    key_form: KeyEnterpriseForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session = db_session()
    if key_form is None:
        key_form = KeyEnterpriseForm(prefix="key")
        key_form.category.data = employer.key_category or ""
    code_ok, code_message = _credit_code_check(employer.credit_code)
    users = session.scalars(
        select(User).where(User.employer_id == employer.id).order_by(User.id)
    ).all()
    jobs = session.scalars(
        select(Job)
        .where(Job.employer_id == employer.id, Job.status == JobStatus.PENDING_REVIEW)
        .order_by(Job.id)
    ).all()
    page = render_template(
        "staff/employer.html",
        employer=employer,
        code_ok=code_ok,
        code_message=code_message,
        accounts=[(user, mask_phone(user.phone)) for user in users],
        pending_jobs=jobs,
        clean=review.clean,
        approve_form=ConfirmForm(prefix="approve"),
        reject_form=reject_form or ReasonForm(prefix="reject"),
        key_form=key_form,
    )
    return page, status


@bp.get("/employers/<int:employer_id>")
def employer(employer_id: int) -> tuple[str, int]:
    return _employer_page(_managed_employer(employer_id))


@bp.post("/employers/<int:employer_id>/approve")
def approve_employer(employer_id: int) -> Response | tuple[str, int]:
    session = db_session()
    employer = _managed_employer(employer_id)
    form = ConfirmForm(prefix="approve")
    if not form.validate_on_submit():
        return _employer_page(employer, status=400)
    published = review.approve_employer(session, _actor(), employer)
    session.commit()
    message = f"已核验通过：{employer.name}"
    if published:
        message += f"；{len(published)} 个无问题的职位已自动发布"
    flash(message, "success")
    return redirect(url_for("staff.employer", employer_id=employer.id), code=303)


@bp.post("/employers/<int:employer_id>/reject")
def reject_employer(employer_id: int) -> Response | tuple[str, int]:
    session = db_session()
    employer = _managed_employer(employer_id)
    form = ReasonForm(prefix="reject")
    if not form.validate_on_submit():
        return _employer_page(employer, reject_form=form, status=400)
    try:
        review.reject_employer(session, _actor(), employer, form.reason.data)
    except ValidationError as error:
        session.rollback()
        form.reason.errors.append(error.message)
        return _employer_page(employer, reject_form=form, status=400)
    session.commit()
    flash(f"已驳回：{employer.name}", "success")
    return redirect(url_for("staff.employer", employer_id=employer.id), code=303)


@bp.post("/employers/<int:employer_id>/key")
def key_enterprise(employer_id: int) -> Response | tuple[str, int]:
    session = db_session()
    employer = _managed_employer(employer_id)
    actor = _actor()
    form = KeyEnterpriseForm(prefix="key")
    if not form.validate_on_submit():
        return _employer_page(employer, key_form=form, status=400)
    category = KeyCategory(form.category.data) if form.category.data else None
    set_key_enterprise(session, actor, employer, category)
    session.commit()
    if category is None:
        flash(f"已取消重点企业：{employer.name}", "success")
    else:
        flash(f"已设为重点企业（{KEY_CATEGORY_LABELS[category]}）：{employer.name}", "success")
    return redirect(url_for("staff.employer", employer_id=employer.id), code=303)


# --- postings -----------------------------------------------------------------------------------


@bp.get("/reviews")
def reviews() -> str:
    rows = review.review_queue(db_session(), utcnow(), _actor())
    return render_template("staff/reviews.html", rows=rows)


def _review_page(
    job: Job,
    reject_form: ReasonForm | None = None,
    changes_form: ReasonForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session = db_session()
    row = review.queue_row(job, utcnow())
    words = review.finding_words(row.findings)
    version = stamp(job.submitted_at)
    approve_form = ConfirmForm(prefix="approve")
    reject_form = reject_form or ReasonForm(prefix="reject")
    changes_form = changes_form or ReasonForm(prefix="changes")
    for form in (approve_form, reject_form, changes_form):
        # the page shows the posting as it is now: a decision sent from it is about this version
        form.submitted.data = version
    events = session.scalars(
        select(JobStatusEvent).where(JobStatusEvent.job_id == job.id).order_by(JobStatusEvent.id)
    ).all()
    page = render_template(
        "staff/review.html",
        job=job,
        row=row,
        pending=job.status == JobStatus.PENDING_REVIEW,
        title=highlight(job.title, words),
        description=highlight(job.description or "", words),
        approve_form=approve_form,
        reject_form=reject_form,
        changes_form=changes_form,
        events=events,
        error=error,
    )
    return page, status


def _visible_job(job_id: int) -> Job:
    job = _job(job_id)
    if not review.can_see_job(_actor(), job):
        raise Forbidden("该职位不在您负责的服务区域内")
    return job


@bp.get("/reviews/<int:job_id>")
def review_job(job_id: int) -> tuple[str, int]:
    return _review_page(_visible_job(job_id))


@bp.post("/reviews/<int:job_id>/<any(approve, reject, changes):action>")
def decide(job_id: int, action: str) -> Response | tuple[str, int]:
    session = db_session()
    job = _visible_job(job_id)
    actor = _actor()
    form = ConfirmForm(prefix=action) if action == "approve" else ReasonForm(prefix=action)
    # a refused reason form is shown again with its errors and what was typed
    forms = {f"{action}_form": form} if action != "approve" else {}
    if not form.validate_on_submit():
        return _review_page(job, **forms, status=400)
    seen = read_stamp(form.submitted.data)
    try:
        if action == "approve":
            review.approve_posting(session, actor, job, seen)
        elif action == "reject":
            review.reject_posting(session, actor, job, form.reason.data, seen)
        else:
            review.request_changes(session, actor, job, form.reason.data, seen)
    except (review.NotPending, review.EmployerNotVerified) as refused:
        session.rollback()
        return _review_page(job, error=refused.message, status=409)
    except ValidationError as refused:
        session.rollback()
        form.reason.errors.append(refused.message)
        return _review_page(job, **forms, status=400)
    session.commit()
    done = {"approve": "已通过并发布", "reject": "已驳回", "changes": "已退回单位修改"}[action]
    flash(f"{done}：{job.title}", "success")
    return redirect(url_for("staff.reviews"), code=303)
