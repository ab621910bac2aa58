"""Who is signed in: the Flask-Login manager, CSRF protection, and role checks for views.

Permission checks on particular objects live beside each service; this module only answers
"who is this and what role do they have".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, Response, jsonify, render_template
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.database import db_session
from marketplace.employers.models import Employer
from marketplace.errors import Forbidden, wants_json
from marketplace.seekers.models import SeekerProfile

P = ParamSpec("P")
R = TypeVar("R")

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "info"
login_manager.needs_refresh_message = "为了您的账号安全，请重新登录"
login_manager.needs_refresh_message_category = "info"
# "strong": a session cookie replayed from another browser or address is dropped outright
login_manager.session_protection = "strong"

# Every POST, PUT, PATCH and DELETE needs a token, WTForms or not (honours WTF_CSRF_ENABLED).
# The JSON API under /api/v1 uses the same session cookie, so it is protected too: clients
# read a token from GET /api/v1/session and send it in the X-CSRFToken header.
csrf = CSRFProtect()

CSRF_MESSAGE = "页面已过期或来源无法确认，请刷新页面后重新提交"


class SignedIn(UserMixin):  # type: ignore[misc]  # flask_login is untyped
    """The signed-in person as Flask-Login sees them: a thin wrapper over the User row.

    The SQLAlchemy model stays free of Flask-Login; templates use `current_user.role`,
    `current_user.display_name`, and views reach the row through `.user`.
    """

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def is_active(self) -> bool:
        return bool(self.user.is_active)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def display_name(self) -> str:
        return self.user.display_name


class Anonymous(AnonymousUserMixin):  # type: ignore[misc]  # flask_login is untyped
    """Nobody signed in; has a `role` so that templates can compare it without checks."""

    role = None
    display_name = None


login_manager.anonymous_user = Anonymous


@login_manager.user_loader  # type: ignore[untyped-decorator]  # flask_login is untyped
def _load_user(user_id: str) -> SignedIn | None:
    if not user_id.isdigit():
        return None
    user = db_session().scalar(select(User).where(User.id == int(user_id)))
    # a user switched off by staff is signed out on their next request
    if user is None or not user.is_active:
        return None
    return SignedIn(user)


def signed_in_user() -> User | None:
    """The User row of the person signed in, or None."""
    if not current_user.is_authenticated:
        return None
    user: User = current_user.user
    return user


def role_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Send anonymous visitors to the login page; refuse signed-in users of other roles (403)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                response: R = login_manager.unauthorized()
                return response
            if current_user.role not in roles:
                raise Forbidden("您没有权限访问此页面")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def current_employer() -> Employer:
    """The employer the signed-in employer account acts for; Forbidden for anyone else."""
    user = signed_in_user()
    if user is None or user.role != Role.EMPLOYER or user.employer_id is None:
        raise Forbidden("仅用人单位账号可以使用此功能")
    employer = db_session().get(Employer, user.employer_id)
    if employer is None:
        raise Forbidden("仅用人单位账号可以使用此功能")
    return employer


def current_seeker_profile() -> SeekerProfile | None:
    """The signed-in seeker's profile (None until they have one); Forbidden for other roles."""
    user = signed_in_user()
    if user is None or user.role != Role.SEEKER:
        raise Forbidden("仅求职者账号可以使用此功能")
    return db_session().scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))


def _csrf_failed(_error: CSRFError) -> tuple[Response | str, int]:
    # Flask-WTF's own descriptions are English; people here read Chinese.
    if wants_json():
        return jsonify(error={"code": "csrf_failed", "message": CSRF_MESSAGE}), 400
    return render_template("error.html", status=400, message=CSRF_MESSAGE), 400


def init_app(app: Flask) -> None:
    """Bind the login manager and CSRF protection to `app`."""
    # The remember-me cookie is only set when the person ticks the box; keep it as guarded
    # as the session cookie (shared terminals at service points are the worry).
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config.get("SESSION_COOKIE_SECURE", False))
    login_manager.init_app(app)
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_failed)
