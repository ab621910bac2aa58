"""Policy matching (政策找人): what a seeker may claim, who qualifies but has not claimed.

Thin: services match and record, templates show. Pages: /policies/ (seeker), /policies/all
(public, no personal data), /policies/staff (staff: the people each policy should find).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from marketplace.accounts.auth import current_seeker_profile, role_required, signed_in_user
from marketplace.accounts.models import Role, User
from marketplace.accounts.services import mask_phone
from marketplace.database import db_session
from marketplace.errors import Forbidden, ValidationError
from marketplace.policies import rules, services, spec
from marketplace.policies.cli import load_command
from marketplace.policies.models import ClaimStatus
from marketplace.seekers.models import SeekerProfile

bp = Blueprint("policies", __name__, url_prefix="/policies")
bp.cli.add_command(load_command)  # `flask policies load [FILE]`

DECLARE_CHOICES = {"yes": True, "no": False, "": None}


@bp.app_template_global("policies_for_profile")
def policies_for_profile() -> list[services.Match] | None:
    """For the include on the seeker's profile page: what they may claim or are missing.

    A template global, not a context processor: nothing runs unless a template calls it.
    """
    user = signed_in_user()
    if user is None or user.role != Role.SEEKER:
        return None
    session = db_session()
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    if profile is None:
        return None
    matches = services.matches_for_seeker(session, profile, services.local_today())
    return [item for item in matches if item.status is not services.MatchStatus.INELIGIBLE]


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "side_labels": spec.SIDES,
        "claim_labels": services.CLAIM_LABELS,
        "amount_words": spec.amount_words,
        "mask_phone": mask_phone,
    }


def _actor() -> User:
    user = signed_in_user()
    if user is None:  # role_required has run; this keeps the type checker sure
        raise Forbidden("请先登录")
    return user


# --- seekers ------------------------------------------------------------------------------------


@bp.get("/")
@role_required("seeker")
def index() -> str:
    session = db_session()
    profile = current_seeker_profile()
    matches: list[services.Match] = []
    declared: dict[str, bool] = {}
    if profile is not None:
        matches = services.matches_for_seeker(session, profile, services.local_today())
        declared = services.declared_facts(session, [profile.id])[profile.id]
    return render_template(
        "policies/index.html",
        profile=profile,
        matches=matches,
        declared=declared,
        declared_facts=rules.DECLARED_FACTS,
        statuses=services.MatchStatus,
    )


@bp.post("/declare")
@role_required("seeker")
def declare() -> BaseResponse:
    profile = current_seeker_profile()
    if profile is None:
        flash("请先完善求职资料", "error")
        return redirect(url_for("accounts.profile"))
    values: dict[str, bool | None] = {}
    for fact in rules.DECLARED_FACTS:
        answer = request.form.get(fact.name)
        if answer is None:
            continue  # not on the form that was sent: leave it as it was
        if answer not in DECLARE_CHOICES:
            raise ValidationError("请选择“是”“否”或“不确定”")
        values[fact.name] = DECLARE_CHOICES[answer]
    session = db_session()
    services.declare(session, profile, values)
    session.commit()
    flash("已保存您的情况，可申请的政策已更新", "success")
    return redirect(url_for("policies.index"), code=303)


@bp.post("/<code>/claim")
@role_required("seeker")
def claim(code: str) -> BaseResponse:
    profile = current_seeker_profile()
    if profile is None:
        flash("请先完善求职资料", "error")
        return redirect(url_for("accounts.profile"))
    session = db_session()
    record = services.claim_policy(session, profile, code, services.local_today())
    session.commit()
    flash(
        f"已提交“{record.policy.name}”的申请。请备齐所需材料，经办机构：{record.policy.office}"
        f"（电话 {record.policy.phone}）。",
        "success",
    )
    return redirect(url_for("policies.index"), code=303)


# --- everyone -----------------------------------------------------------------------------------


@bp.get("/all")
def all_policies() -> str:
    today = services.local_today()
    return render_template(
        "policies/all.html", policies=services.offered_policies(db_session(), today), today=today
    )


# --- staff --------------------------------------------------------------------------------------


@bp.get("/staff")
@role_required("staff")
def staff() -> str:
    session = db_session()
    actor = _actor()
    today = services.local_today()
    return render_template(
        "policies/staff.html",
        outreach=services.outreach(session, actor, today),
        claims=services.open_claims(session, actor),
        employer_policies=services.offered_policies(session, today, side="employer"),
        today=today,
    )


@bp.get("/staff.csv")
@role_required("staff")
def staff_csv() -> Response:
    """The outreach list as CSV: names and masked numbers (a file travels; numbers stay here)."""
    session = db_session()
    actor = _actor()
    today = services.local_today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["政策编码", "政策", "类别", "求职者编号", "姓名", "手机号", "缺少"])
    rows = 0
    for entry in services.outreach(session, actor, today):
        for kind, people in (("符合条件", entry.eligible), ("可能符合", entry.possible)):
            for person in people:
                writer.writerow(
                    [
                        entry.policy.code,
                        entry.policy.name,
                        kind,
                        person.seeker.id,
                        person.seeker.name,
                        mask_phone(person.phone),
                        "、".join(person.missing),
                    ]
                )
                rows += 1
    services.audit.info(
        "staff user %s downloaded the policy outreach list (%s rows)", actor.id, rows
    )
    # a BOM so that Excel (what the service points open it with) reads the Chinese right
    body = "\ufeff" + out.getvalue()
    filename = f"policy-outreach-{today.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.post("/staff/phone")
@role_required("staff")
def reveal_phone() -> str:
    """One seeker's full number, on a POST so that every look is deliberate and audited."""
    seeker_id = request.form.get("seeker_id", "")
    code = request.form.get("policy", "")
    if not seeker_id.isdigit():
        raise ValidationError("缺少求职者编号")
    session = db_session()
    phone = services.reveal_phone(session, _actor(), int(seeker_id), code)
    seeker = session.get(SeekerProfile, int(seeker_id))
    return render_template("policies/phone.html", seeker=seeker, phone=phone, code=code)


@bp.post("/staff/claims/<int:claim_id>")
@role_required("staff")
def decide_claim(claim_id: int) -> BaseResponse:
    status = request.form.get("status", "")
    session = db_session()
    record = services.set_claim_status(session, _actor(), claim_id, status)
    session.commit()
    flash(f"申请 #{record.id} 已更新为：{services.CLAIM_LABELS[ClaimStatus(status)]}", "success")
    return redirect(url_for("policies.staff"), code=303)
