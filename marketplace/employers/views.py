"""An employer's own pages: its postings, their applicants, recommended candidates.

Thin: forms read the request, services (`postings`, `applicants`, `candidates`) do the work
and check that every job and application is the signed-in employer's own (another's is a 404).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from indexer.education import EducationLevel
from indexer.highlight import Segment, highlight, snippet
from marketplace.accounts.auth import current_employer, role_required, signed_in_user
from marketplace.accounts.forms import KIND_LABELS
from marketplace.accounts.services import split_skills
from marketplace.database import db_session, utcnow
from marketplace.employers import applicants, candidates, postings
from marketplace.employers.forms import PAY_UNIT_LABELS, ActionForm, JobForm, county_choices
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Conflict, DomainError
from marketplace.jobs.checks import Finding
from marketplace.jobs.models import Job, JobStatus
from marketplace.localtime import LOCAL_OFFSET
from marketplace.places.models import Place
from marketplace.search.engine import get_search
from marketplace.seekers.models import Application, ApplicationStatus

bp = Blueprint("employer", __name__, url_prefix="/employer")

JOB_STATUS_LABELS = {
    JobStatus.DRAFT: "草稿",
    JobStatus.PENDING_REVIEW: "待审核",
    JobStatus.CHANGES_REQUESTED: "需修改",
    JobStatus.REJECTED: "未通过审核",
    JobStatus.PUBLISHED: "招聘中",
    JobStatus.FILLED: "已招满",
    JobStatus.CLOSED: "已关闭",
    JobStatus.EXPIRED: "已过期",
}
# the employer's verification as the dashboard banner says it, and what it means for postings
VERIFICATION_BANNERS = {
    Verification.UNVERIFIED: (
        "未核验",
        "单位信息尚未核验。您发布的职位需等待就业服务机构人工审核后才会公开；"
        "如需核验请联系就业服务机构（12333）。",
    ),
    Verification.PENDING: (
        "审核中",
        "单位信息正在审核中。审核通过前，您发布的职位需等待工作人员审核后才会公开。",
    ),
    Verification.VERIFIED: (
        "已核验",
        "单位信息已核验。检查未发现问题的职位提交后立即公开；有疑问的职位先由工作人员审核。",
    ),
    Verification.REJECTED: (
        "未通过",
        "单位信息未通过核验，发布的职位需等待工作人员审核。请联系就业服务机构（12333）了解原因。",
    ),
}
# the refused banner when staff wrote down why (employers.verification_note)
REFUSED_WITH_REASON = (
    "单位信息未通过核验，发布的职位需等待工作人员审核。如有疑问请联系就业服务机构（12333）。"
)
EXPERIENCE_NONE = "不限"
# form fields a finding can point at; the pay findings go beside the pay fields
FINDING_FIELDS = {
    "title": "title",
    "description": "description",
    "skills": "skills",
    "benefits": "benefits",
    "salary": "pay",
    "pay": "pay",
    "salary_min": "pay",
    "salary_max": "pay",
    "address": "address",
}
TEXT_FIELDS = ("title", "description", "skills", "benefits", "address")


def _user_id() -> int | None:
    user = signed_in_user()
    return user.id if user is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(int(value)) if float(value).is_integer() else Decimal(str(value))


def _job_input(form: JobForm) -> postings.JobInput:
    return postings.JobInput(
        title=form.title.data or "",
        kind=form.kind.data,
        description=form.description.data or "",
        pay_min=_number(form.pay_min.data),
        pay_max=_number(form.pay_max.data),
        pay_unit=form.pay_unit.data,
        headcount=form.headcount.data,
        education=form.education.data,
        experience_years=form.experience_years.data,
        skills=split_skills(form.skills.data or ""),
        benefits=split_skills(form.benefits.data or ""),
        county_code=form.county.data,
        district=form.district.data,
        address=form.address.data,
    )


def _fill_form(form: JobForm, job: Job) -> None:
    form.title.data = job.title
    form.kind.data = job.kind
    form.description.data = job.description
    form.pay_min.data = _decimal(job.salary_min)
    form.pay_max.data = _decimal(job.salary_max)
    form.pay_unit.data = job.salary_unit or "month"
    form.headcount.data = job.headcount
    form.education.data = job.education or ""
    form.experience_years.data = job.experience_years
    form.skills.data = "，".join(split_skills(job.skills or ""))
    form.benefits.data = "，".join(split_skills(job.benefits or ""))
    form.county.data = job.county_code or ""
    form.district.data = job.district if not job.county_code else ""
    form.address.data = job.address


def _marked_findings(form: JobForm, findings: list[Finding]) -> dict[str, list[dict[str, Any]]]:
    """Findings by the form field they belong beside, each with its words marked in context.

    A finding whose words are not in its own field (the checks may read title and description
    together) is shown where the words are.
    """
    texts = {name: str(getattr(form, name).data or "") for name in TEXT_FIELDS}
    shown: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        place = FINDING_FIELDS.get(finding.field, "general")
        segments: list[Segment] = []
        if finding.words:
            holders = [place] + [name for name in TEXT_FIELDS if name != place]
            for name in holders:
                text = texts.get(name, "")
                if any(word in text for word in finding.words):
                    place = name
                    segments = (
                        highlight(text, finding.words)
                        if len(text) <= 160
                        else snippet(text, finding.words, width=120)
                    )
                    break
        shown.setdefault(place, []).append(
            {"message": finding.message, "words": finding.words, "segments": segments}
        )
    return shown


def _review_message(outcome: postings.PostingOutcome, was: str | None = None) -> tuple[str, str]:
    """What happened to a submitted posting, and why it waits when it does."""
    status = outcome.job.status
    if status == JobStatus.PUBLISHED:
        if was == JobStatus.PUBLISHED:
            return "修改已保存，职位继续公开招聘。", "success"
        return "职位已发布，求职者现在可以搜索到。", "success"
    if status != JobStatus.PENDING_REVIEW:
        label = JOB_STATUS_LABELS.get(JobStatus(status), status)
        return f"修改已保存。职位当前{label}，需要时可重新发布。", "success"
    if outcome.review:
        why = "；".join(finding.message.rstrip("。") for finding in outcome.review)
        return f"已提交人工审核：{why}。审核通过后职位自动公开。", "info"
    if was == JobStatus.CHANGES_REQUESTED:
        return "已提交人工审核：修改后的职位由工作人员确认后公开。", "info"
    return "已提交人工审核：单位信息核验通过前，职位需由工作人员审核后公开。", "info"


def _job_form_page(employer: Employer, job: Job | None) -> Response | str | tuple[str, int]:
    session = db_session()
    form = JobForm()
    form.county.choices = county_choices(session)
    if request.method == "GET" and job is not None:
        _fill_form(form, job)
    findings: dict[str, list[dict[str, Any]]] = {}
    status = 200
    if form.validate_on_submit():
        data = _job_input(form)
        was = job.status if job is not None else None
        try:
            if job is None:
                outcome = postings.post_job(session, employer, data, user_id=_user_id())
            else:
                outcome = postings.edit_job(session, employer, job, data, user_id=_user_id())
        except postings.PostingBlocked as blocked:
            session.rollback()
            findings = _marked_findings(form, blocked.findings)
            status = 422
        except DomainError as error:
            session.rollback()
            findings = {"general": [{"message": error.message, "words": (), "segments": []}]}
            status = error.status if error.status != 400 else 422
        else:
            session.commit()
            flash(*_review_message(outcome, was))
            return redirect(url_for("employer.dashboard"))
    elif form.errors:
        status = 422
    # what staff asked to change stays at the top until the posting is resubmitted
    staff_reason = (
        postings.staff_reasons(session, employer, job).get(job.id) if job is not None else None
    )
    return render_template(
        "employers/job_form.html",
        form=form,
        job=job,
        staff_reason=staff_reason,
        findings=findings,
        has_counties=bool(form.county.choices),
        status_labels=JOB_STATUS_LABELS,
    ), status


@bp.get("/")
@role_required("employer")
def dashboard() -> str:
    employer = current_employer()
    groups = postings.dashboard(db_session(), employer)
    label, meaning = VERIFICATION_BANNERS.get(
        Verification(employer.verification), VERIFICATION_BANNERS[Verification.UNVERIFIED]
    )
    refusal = None
    if employer.verification == Verification.REJECTED and employer.verification_note:
        meaning, refusal = REFUSED_WITH_REASON, employer.verification_note
    return render_template(
        "employers/dashboard.html",
        employer=employer,
        groups=groups,
        verification_label=label,
        verification_meaning=meaning,
        verification_refusal=refusal,
        status_labels=JOB_STATUS_LABELS,
        kind_labels=KIND_LABELS,
        editable=postings.EDITABLE,
        repostable=postings.REPOSTABLE,
    )


@bp.route("/jobs/new", methods=["GET", "POST"])
@role_required("employer")
def new_job() -> Response | str | tuple[str, int]:
    return _job_form_page(current_employer(), None)


@bp.route("/jobs/<int:job_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_job(job_id: int) -> Response | str | tuple[str, int]:
    employer = current_employer()
    job = postings.own_job(db_session(), employer, job_id)
    return _job_form_page(employer, job)


ActionService = Callable[..., Any]

# action → (button, question, what happens, service)
ACTIONS: dict[str, tuple[str, str, str, ActionService]] = {
    "close": (
        "关闭职位",
        "确定要关闭这个职位吗？",
        "关闭后求职者将搜索不到此职位，已收到的申请仍可查看。之后可以重新发布。",
        postings.close_job,
    ),
    "fill": (
        "标记为已招满",
        "确定这个职位已经招满了吗？",
        "标记后职位不再公开招聘，已收到的申请仍可查看。之后可以重新发布。",
        postings.mark_filled,
    ),
    "repost": (
        "重新发布",
        "确定要重新发布这个职位吗？",
        "职位将重新检查：未发现问题且单位已核验的立即公开，否则先由工作人员审核。",
        postings.repost_job,
    ),
}
ACTION_DONE = {"close": "职位已关闭。", "fill": "职位已标记为已招满。"}


@bp.route("/jobs/<int:job_id>/<any(close, fill, repost):action>", methods=["GET", "POST"])
@role_required("employer")
def job_action(job_id: int, action: str) -> Response | str | tuple[str, int]:
    session = db_session()
    employer = current_employer()
    job = postings.own_job(session, employer, job_id)
    button, question, explanation, service = ACTIONS[action]
    form = ActionForm()
    error = None
    if form.validate_on_submit():
        try:
            result = service(session, employer, job, user_id=_user_id())
        except DomainError as refused:
            session.rollback()
            error = refused.message
        else:
            session.commit()
            if isinstance(result, postings.PostingOutcome):
                flash(*_review_message(result))
            else:
                flash(ACTION_DONE[action], "success")
            return redirect(url_for("employer.dashboard"))
    return render_template(
        "employers/confirm.html",
        form=form,
        job=job,
        action=action,
        button=button,
        question=question,
        explanation=explanation,
        error=error,
        status_labels=JOB_STATUS_LABELS,
    ), (409 if error else 200)


def _seeker_details() -> dict[str, Any]:
    return {
        "education_label": _education_label,
        "status_labels": applicants.STATUS_LABELS,
        "kind_labels": KIND_LABELS,
    }


def _education_label(code: str | None) -> str:
    if not code:
        return "未填写"
    try:
        return EducationLevel.from_code(code).label
    except ValueError:
        return code


@bp.get("/jobs/<int:job_id>/applicants")
@role_required("employer")
def applicant_list(job_id: int) -> str:
    session = db_session()
    job = postings.own_job(session, current_employer(), job_id)
    return render_template(
        "employers/applicants.html",
        job=job,
        applications=applicants.applications_of(session, job),
        job_status_labels=JOB_STATUS_LABELS,
        **_seeker_details(),
    )


@bp.get("/jobs/<int:job_id>/applicants/<int:application_id>")
@role_required("employer")
def applicant_detail(job_id: int, application_id: int) -> str:
    session = db_session()
    job, application = _own_application(job_id, application_id)
    # opening a new application is what "viewed" means; the seeker sees it in their history
    if applicants.mark_viewed(session, application, user_id=_user_id()):
        session.commit()
    return _detail_page(job, application)


def _own_application(job_id: int, application_id: int) -> tuple[Job, Application]:
    """The signed-in employer's job and one of its applications (another's is a 404)."""
    session = db_session()
    employer = current_employer()
    job = postings.own_job(session, employer, job_id)
    return job, applicants.own_application(session, employer, job, application_id)


def _refused(job: Job, application: Application, refused: DomainError) -> tuple[str, int]:
    """The applicant's page again, unchanged, saying why the change was refused."""
    session = db_session()
    session.rollback()
    session.refresh(application)
    return _detail_page(job, application, error=refused.message), refused.status


def _detail_page(job: Job, application: Application, error: str | None = None) -> str:
    session = db_session()
    profile = application.seeker
    county = session.get(Place, profile.home_county_code) if profile.home_county_code else None
    return render_template(
        "employers/applicant.html",
        job=job,
        application=application,
        profile=profile,
        county=county,
        events=applicants.history(session, application),
        moves=applicants.next_moves(application),
        form=ActionForm(),
        error=error,
        unit_labels=PAY_UNIT_LABELS,
        **_seeker_details(),
    )


def _local_moment(text: str) -> datetime | None:
    """A browser's datetime-local value (Weihai time, 2026-12-01T14:00) as naive UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment - LOCAL_OFFSET if moment.tzinfo is None else None


def _interview_input() -> applicants.Interview:
    return applicants.Interview(
        _local_moment(request.form.get("interview_at", "")),
        request.form.get("interview_place", ""),
    )


@bp.post("/jobs/<int:job_id>/applicants/<int:application_id>/status")
@role_required("employer")
def applicant_status(job_id: int, application_id: int) -> Response | tuple[str, int]:
    session = db_session()
    job, application = _own_application(job_id, application_id)
    target = request.form.get("to", "")
    interview = _interview_input()
    try:
        applicants.move_application(
            session, application, target, user_id=_user_id(), interview=interview, now=utcnow()
        )
    except DomainError as refused:
        return _refused(job, application, refused)
    session.commit()
    label = applicants.STATUS_LABELS[ApplicationStatus(application.status)]
    flash(f"申请状态已改为“{label}”。", "success")
    return redirect(
        url_for("employer.applicant_detail", job_id=job.id, application_id=application.id)
    )


@bp.post("/jobs/<int:job_id>/applicants/<int:application_id>/interview")
@role_required("employer")
def reschedule_interview(job_id: int, application_id: int) -> Response | tuple[str, int]:
    """更改面试安排: a wrong time or place corrected; the seeker sees the new one."""
    session = db_session()
    job, application = _own_application(job_id, application_id)
    try:
        changed = applicants.reschedule_interview(
            session, application, _interview_input(), user_id=_user_id(), now=utcnow()
        )
    except DomainError as refused:
        return _refused(job, application, refused)
    session.commit()
    if changed:
        flash("面试安排已更改，求职者会在“我的申请”中看到新的时间和地点。", "success")
    else:
        flash("面试时间和地点没有变化。", "info")
    return redirect(
        url_for("employer.applicant_detail", job_id=job.id, application_id=application.id)
    )


# the endpoint keeps its name (`employer.candidates`); the function may not shadow the module
@bp.get("/jobs/<int:job_id>/candidates", endpoint="candidates")
@role_required("employer")
def candidate_list(job_id: int) -> str:
    session = db_session()
    job = postings.own_job(session, current_employer(), job_id)
    found = candidates.recommended_candidates(get_search(), session, job, utcnow())
    return render_template(
        "employers/candidates.html",
        job=job,
        candidates=found.candidates,
        by_model=found.by_model,
        limit=candidates.MAX_CANDIDATES,
        invited=candidates.invited(session, job),
        tokens={
            c.profile.id: candidates.candidate_token(_secret(), job.id, c.profile.id)
            for c in found.candidates
        },
        published=job.status == JobStatus.PUBLISHED,
        job_status_labels=JOB_STATUS_LABELS,
        **_seeker_details(),
    )


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


@bp.post("/jobs/<int:job_id>/candidates/<token>/invite")
@role_required("employer")
def invite_candidate(job_id: int, token: str) -> Response:
    """邀请投递: the candidate sees the job among their invitations and decides."""
    session = db_session()
    job = postings.own_job(session, current_employer(), job_id)
    user = signed_in_user()
    try:
        candidates.invite(
            get_search(),
            session,
            job,
            token,
            secret=_secret(),
            user_id=user.id if user else None,
            now=utcnow(),
        )
    except Conflict as refused:  # the job is not published (a stranger's id is a 404)
        session.rollback()
        flash(refused.message, "error")
    else:
        session.commit()
        flash("已发出邀请。对方会在“我的申请”里看到；申请后您可看到其完整信息。", "success")
    return redirect(url_for("employer.candidates", job_id=job.id))
