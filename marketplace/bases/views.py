"""Labour cooperation bases: vacancy digests (JSON feed, CSV, signed webhook) and recruits.

Staff pages (bases, delivery log, recruits, the key-enterprise shortage board) and the two feeds
a base reads with its token. Thin: forms read the request, bases.services decides.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from marketplace.accounts.auth import role_required, signed_in_user
from marketplace.accounts.models import User
from marketplace.accounts.services import mask_phone
from marketplace.bases import services, shortage
from marketplace.bases.digest import csv_rows
from marketplace.bases.forms import KIND_LABELS, BaseForm, ConfirmForm, RecruitForm
from marketplace.bases.models import LabourBase
from marketplace.bases.webhook import DEFAULT_TIMEOUT
from marketplace.database import db_session, utcnow
from marketplace.errors import DomainError, Forbidden, NotFound
from marketplace.staff import review

bp = Blueprint("bases", __name__, url_prefix="/bases")

P = ParamSpec("P")
R = TypeVar("R")
staff_only: Callable[[Callable[P, R]], Callable[P, R]] = role_required("staff")

DELIVERY_STATES = {"pending": "待发送", "delivered": "已送达", "failed": "失败"}
OUTCOMES = {"delivered": "送达", "retry": "稍后重试", "failed": "失败"}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "local_time": review.local_time,
        "kind_labels": KIND_LABELS,
        "delivery_states": DELIVERY_STATES,
        "outcomes": OUTCOMES,
    }


def _actor() -> User:
    user = signed_in_user()
    if user is None:  # role_required has run; this keeps the type checker sure
        raise Forbidden("请先登录")
    return user


def _site_url() -> str:
    configured: str = current_app.config.get("PUBLIC_BASE_URL") or ""
    return configured.rstrip("/") or request.url_root.rstrip("/")


def _settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "interval": timedelta(hours=float(config.get("BASES_PUSH_INTERVAL_HOURS", 24))),
        "timeout": float(config.get("BASES_WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT)),
        "limit": int(config.get("BASES_DIGEST_LIMIT", 100)),
    }


def _no_store(response: BaseResponse) -> BaseResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def _shown_once(title: str, base: LabourBase, values: dict[str, str], status: int = 200) -> Any:
    """A page with a secret on it: rendered once, never cached, never put in a flash cookie."""
    page = render_template("bases/secret.html", title=title, base=base, values=values)
    return _no_store(make_response(page, status))


# --- bases ---------------------------------------------------------------------------------------


@bp.get("/")
@staff_only
def index() -> str:
    rows = services.base_rows(db_session())
    return render_template(
        "bases/index.html",
        rows=[(base, count, mask_phone(base.contact_phone)) for base, count in rows],
        total_recruits=sum(count for _base, count in rows),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_only
def new() -> Any:
    form = BaseForm()
    if request.method == "GET":
        form.active.data = True
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("bases/form.html", form=form, base=None), status
    session = db_session()
    created = services.register_base(session, _actor(), form.fields_value())
    session.commit()
    values = {
        "推送签名密钥（Webhook secret）": created.secret,
        "订阅令牌（feed token）": created.feed_token,
    }
    return _shown_once("基地已登记", created.base, values, 201)


def _base(base_id: int) -> LabourBase:
    return services.get_base(db_session(), base_id)


def _detail(base: LabourBase, recruit_form: RecruitForm | None = None, status: int = 200) -> Any:
    session = db_session()
    page = render_template(
        "bases/detail.html",
        base=base,
        deliveries=services.delivery_log(session, base),
        recruits=services.recruits_of(session, base),
        recruit_form=recruit_form or RecruitForm(prefix="recruit"),
        confirm=ConfirmForm(),
    )
    return page, status


@bp.get("/<int:base_id>")
@staff_only
def detail(base_id: int) -> Any:
    return _detail(_base(base_id))


@bp.route("/<int:base_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(base_id: int) -> Any:
    base = _base(base_id)
    form = BaseForm(obj=None if request.method == "POST" else base)
    if request.method == "GET":
        form.occupation_prefixes.data = ", ".join(base.occupation_prefixes or [])
        form.keywords.data = ", ".join(base.keywords or [])
        form.districts.data = ", ".join(base.districts or [])
        form.kinds.data = list(base.kinds or [])
        form.min_monthly_pay.data = (
            int(base.min_monthly_pay) if base.min_monthly_pay is not None else None
        )
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("bases/form.html", form=form, base=base), status
    session = db_session()
    services.update_base(session, _actor(), base, form.fields_value())
    session.commit()
    flash(f"已保存：{base.name}", "success")
    return redirect(url_for("bases.detail", base_id=base.id), code=303)


@bp.post("/<int:base_id>/secret")
@staff_only
def rotate_secret(base_id: int) -> Any:
    base = _base(base_id)
    if not ConfirmForm().validate_on_submit():
        return _detail(base, status=400)
    session = db_session()
    secret = services.rotate_secret(session, _actor(), base)
    session.commit()
    return _shown_once("已更换推送签名密钥", base, {"新的推送签名密钥": secret})


@bp.post("/<int:base_id>/token")
@staff_only
def rotate_token(base_id: int) -> Any:
    base = _base(base_id)
    if not ConfirmForm().validate_on_submit():
        return _detail(base, status=400)
    session = db_session()
    token = services.rotate_feed_token(session, _actor(), base)
    session.commit()
    return _shown_once("已更换订阅令牌", base, {"新的订阅令牌": token})


@bp.post("/<int:base_id>/push")
@staff_only
def push_now(base_id: int) -> Any:
    base = _base(base_id)
    if not ConfirmForm().validate_on_submit():
        return _detail(base, status=400)
    if not base.webhook_url or not base.active:
        flash("该基地未启用或没有设置推送地址，无法推送", "error")
        return redirect(url_for("bases.detail", base_id=base.id), code=303)
    settings = _settings()
    report = services.push_due(
        db_session(),
        utcnow(),
        site_url=_site_url(),
        interval=settings["interval"],
        timeout=settings["timeout"],
        limit=settings["limit"],
        base_id=base.id,
        force=True,
    )
    flash(
        f"已推送：送达 {report.delivered} 次，待重试 {report.retrying} 次，失败 {report.failed} 次",
        "success" if report.delivered else "error",
    )
    return redirect(url_for("bases.detail", base_id=base.id), code=303)


@bp.post("/<int:base_id>/recruits")
@staff_only
def record_recruit(base_id: int) -> Any:
    base = _base(base_id)
    form = RecruitForm(prefix="recruit")
    if not form.validate_on_submit():
        return _detail(base, recruit_form=form, status=400)
    session = db_session()
    try:
        recruit = services.record_recruit(
            session,
            _actor(),
            base,
            application_id=form.application_id.data,
            person_name=form.person_name.data,
            job_id=form.job_id.data,
            note=form.note.data,
        )
    except DomainError as error:
        session.rollback()
        form.application_id.errors = [*form.application_id.errors, error.message]
        return _detail(base, recruit_form=form, status=error.status)
    session.commit()
    flash(f"已记录基地输送人员：{recruit.person_name}", "success")
    return redirect(url_for("bases.detail", base_id=base.id), code=303)


# --- the shortage board --------------------------------------------------------------------------


def _days() -> int:
    days = request.args.get("days", shortage.DEFAULT_DAYS, type=int)
    return min(max(days if days is not None else shortage.DEFAULT_DAYS, 0), 3650)


@bp.get("/shortage")
@staff_only
def shortage_board() -> str:
    days = _days()
    rows, events_available = shortage.shortage_board(db_session(), utcnow(), days)
    return render_template(
        "bases/shortage.html", rows=rows, days=days, events_available=events_available
    )


def _csv(rows: list[list[str]], filename: str) -> BaseResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    # the BOM tells Excel the file is UTF-8 (else Chinese reads as mojibake)
    body = "\ufeff" + buffer.getvalue()
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


@bp.get("/shortage.csv")
@staff_only
def shortage_csv() -> BaseResponse:
    days = _days()
    rows, events_available = shortage.shortage_board(db_session(), utcnow(), days)
    return _csv(shortage.csv_rows(rows, events_available), f"shortage-{days}d.csv")


# --- the feeds a base reads ---------------------------------------------------------------------


def _feed_base(base_id: int) -> LabourBase:
    """The base whose token the request carries; 404 alike for no base, off, or a wrong token."""
    base = db_session().get(LabourBase, base_id)
    token = request.args.get("token", "")
    # base ids are not secret; the token is, so only its comparison needs constant time
    if base is None or not services.feed_token_ok(base, token) or not base.active:
        raise NotFound("没有找到该订阅")
    return base


@bp.get("/feed/<int:base_id>.json")
def feed_json(base_id: int) -> BaseResponse:
    base = _feed_base(base_id)
    digest, _jobs = services.build_digest(
        db_session(), base, utcnow(), _site_url(), _settings()["limit"]
    )
    body = json.dumps(digest.as_dict(), ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    return _no_store(response)


@bp.get("/feed/<int:base_id>.csv")
def feed_csv(base_id: int) -> BaseResponse:
    base = _feed_base(base_id)
    digest, _jobs = services.build_digest(
        db_session(), base, utcnow(), _site_url(), _settings()["limit"]
    )
    return _csv(csv_rows(digest), f"jiuye-base-{base.id}.csv")
