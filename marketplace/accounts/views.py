"""Sign-up, login, logout and the profile page (server-rendered, Chinese, phone-first).

Thin: forms read the request, services do the work, templates show it.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from indexer.education import EducationLevel
from marketplace.accounts import services, throttle
from marketplace.accounts.auth import SignedIn, current_seeker_profile, signed_in_user
from marketplace.accounts.forms import (
    KIND_LABELS,
    PAY_UNIT_LABELS,
    TARGET_GROUP_LABELS,
    CloseAccountForm,
    EmployerSignupForm,
    LoginForm,
    ProfileForm,
    SeekerSignupForm,
    town_choices,
)
from marketplace.accounts.models import Role, User
from marketplace.database import db_session
from marketplace.employers.models import Employer, Verification
from marketplace.errors import DomainError, Forbidden
from marketplace.places.models import Place

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = "用户名或密码不正确"
VERIFICATION_LABELS = {
    Verification.UNVERIFIED: "未认证",
    Verification.PENDING: "审核中",
    Verification.VERIFIED: "已认证",
    Verification.REJECTED: "未通过审核",
}
STAFF_LEVEL_LABELS = {"county": "区县级", "town": "镇（街道）级", "village": "村（社区）级"}


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects).

    Browsers read '//host', '/\\host' and 'https:host' as other sites, so only a plain
    absolute path without scheme or host passes.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(char in target for char in "\\\r\n\t") or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _required_user() -> User:
    user = signed_in_user()
    if user is None:  # login_required has run; this keeps the type checker and reader sure
        raise Forbidden("请先登录")
    return user


def _sign_in(user: User, remember: bool = False) -> None:
    login_user(SignedIn(user), remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("home.index"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        session = db_session()
        login_text = form.login.data or ""
        try:
            user = throttle.authenticate(
                session, login_text, form.password.data, request.remote_addr
            )
        except services.InactiveAccount as refused:
            error, status = refused.message, 401
        except throttle.TooManyAttempts as refused:
            error, status = refused.message, refused.status
        else:
            if user is None:
                # one message for both: do not tell which part was wrong
                error, status = LOGIN_FAILED, 401
            else:
                session.commit()  # last_login_at, and a rehash when parameters changed
                _sign_in(user, remember=bool(form.remember.data))
                flash(f"欢迎回来，{user.display_name}", "success")
                return redirect(next_url or url_for("home.index"))
    return render_template("accounts/login.html", form=form, error=error, next=next_url), status


@bp.post("/logout")
def logout() -> Response:
    # POST only (and so CSRF-checked): a link or an <img> elsewhere cannot sign anyone out
    if current_user.is_authenticated:
        logout_user()
        flash("您已安全退出", "success")
    return redirect(url_for("home.index"))


@bp.get("/terms")
def terms() -> str:
    """《用户服务协议》: what the platform promises and asks of its users."""
    return render_template("accounts/terms.html")


@bp.get("/privacy")
def privacy() -> str:
    """《隐私政策》: what is collected, who sees it, and how to change it."""
    return render_template("accounts/privacy.html")


@bp.get("/signup")
def signup() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup.html")


@bp.route("/signup/seeker", methods=["GET", "POST"])
def signup_seeker() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SeekerSignupForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            user = services.register_seeker(
                session, name=form.name.data, phone=form.phone.data, password=form.password.data
            )
        except services.PhoneTaken as error:
            session.rollback()
            form.phone.errors.append(error.message)
        else:
            session.commit()
            _sign_in(user)
            flash("注册成功！完善求职资料，能为您推荐更合适的岗位。", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup_seeker.html", form=form)


@bp.route("/signup/employer", methods=["GET", "POST"])
def signup_employer() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = EmployerSignupForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            user = services.register_employer(
                session,
                employer_name=form.employer_name.data,
                credit_code=form.credit_code.data,
                contact_name=form.contact_name.data,
                phone=form.phone.data,
                password=form.password.data,
            )
        except services.PhoneTaken as error:
            session.rollback()
            form.phone.errors.append(error.message)
        except DomainError as error:
            # a registered credit code (the format was checked by the form already)
            session.rollback()
            form.credit_code.errors.append(error.message)
        else:
            session.commit()
            _sign_in(user)
            flash("注册成功。单位信息由就业服务机构审核，通过后发布的职位才会公开。", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup_employer.html", form=form)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _seeker_profile_page() -> Response | str:
    session = db_session()
    user = _required_user()
    profile = current_seeker_profile()
    form = ProfileForm()
    form.home_town.choices = town_choices(session)
    if request.method == "GET" and profile is not None:
        form.desired_job.data = profile.desired_job
        form.skills.data = "，".join(services.split_skills(profile.skills or ""))
        form.education.data = profile.education or ""
        form.pay_min.data = _decimal(profile.expected_pay_min)
        form.pay_max.data = _decimal(profile.expected_pay_max)
        form.pay_unit.data = profile.expected_pay_unit or "month"
        form.desired_kind.data = profile.desired_kind or ""
        form.home_town.data = profile.home_town_code or ""
        form.target_groups.data = list(profile.target_groups or [])
        form.birth_date.data = profile.birth_date
        form.graduation_year.data = profile.graduation_year
        form.open_to_employers.data = profile.open_to_employers
    if form.validate_on_submit():
        changes = services.ProfileChanges(
            desired_job=form.desired_job.data,
            skills=services.split_skills(form.skills.data or ""),
            education=form.education.data,
            expected_pay_min=_number(form.pay_min.data),
            expected_pay_max=_number(form.pay_max.data),
            expected_pay_unit=form.pay_unit.data,
            desired_kind=form.desired_kind.data,
            home_town_code=form.home_town.data,
            target_groups=list(form.target_groups.data or []),
            birth_date=form.birth_date.data,
            graduation_year=form.graduation_year.data,
            open_to_employers=bool(form.open_to_employers.data),
        )
        try:
            services.update_profile(session, user, changes)
        except DomainError as error:
            session.rollback()
            flash(error.message, "error")
        else:
            session.commit()
            flash("求职资料已保存", "success")
            # back to where the seeker was going (a job they were applying to)
            return redirect(safe_next(request.args.get("next")) or url_for("accounts.profile"))
    town = (
        session.get(Place, profile.home_town_code) if profile and profile.home_town_code else None
    )
    return render_template(
        "accounts/profile_seeker.html",
        form=form,
        user=user,
        profile=profile,
        town=town,
        phone=services.mask_phone(user.phone),
        kind_labels=KIND_LABELS,
        unit_labels=PAY_UNIT_LABELS,
        group_labels=TARGET_GROUP_LABELS,
        education_labels={level.code: level.label for level in EducationLevel},
        next=safe_next(request.args.get("next")),
        close_form=CloseAccountForm(),
    )


def _decimal(value: float | None) -> Decimal | None:
    # whole yuan show without ".0"
    if value is None:
        return None
    return Decimal(int(value)) if float(value).is_integer() else Decimal(str(value))


@bp.route("/profile", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]  # flask_login is untyped
def profile() -> Response | str:
    user = _required_user()
    if user.role == Role.SEEKER:
        return _seeker_profile_page()
    if request.method == "POST":
        return redirect(url_for("accounts.profile"))
    if user.role == Role.EMPLOYER:
        employer = db_session().scalar(select(Employer).where(Employer.id == user.employer_id))
        return render_template(
            "accounts/profile_employer.html",
            user=user,
            employer=employer,
            phone=services.mask_phone(user.phone),
            verification_labels=VERIFICATION_LABELS,
        )
    point = user.service_point
    return render_template(
        "accounts/profile_staff.html",
        user=user,
        point=point,
        level=STAFF_LEVEL_LABELS.get(point.level, point.level) if point else "市级",
        phone=services.mask_phone(user.phone),
    )
