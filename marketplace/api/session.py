"""Signing in and out of the API with the website's accounts (the session cookie is the
credential, so every write carries the CSRF token from here in an X-CSRFToken header)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from marketplace.accounts import throttle
from marketplace.accounts.auth import SignedIn, signed_in_user
from marketplace.accounts.models import User
from marketplace.api.access import BadInput, Unauthorized, json_body, text
from marketplace.database import db_session

bp = Blueprint("session", __name__)

LOGIN_FAILED = "账号或密码不正确"


def _user_json(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "role": user.role, "display_name": user.display_name}


def _session_json(user: User | None, status: int = 200) -> tuple[Response, int]:
    return jsonify(user=_user_json(user), csrf_token=generate_csrf()), status


@bp.get("/session")
def current() -> tuple[Response, int]:
    """Who is signed in (or null) and a CSRF token: the first call of any client."""
    return _session_json(signed_in_user())


@bp.post("/session")
def sign_in() -> tuple[Response, int]:
    body = json_body()
    login = text(body, "login", required=True, limit=64) or ""
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise BadInput("password", "必填")
    session = db_session()
    # TooManyAttempts: 429; InactiveAccount: 403
    user = throttle.authenticate(session, login, password, request.remote_addr)
    if user is None:
        # one message for both: do not tell which part was wrong
        raise Unauthorized(LOGIN_FAILED)
    session.commit()  # last_login_at, and a rehash when parameters changed
    login_user(SignedIn(user))
    return _session_json(user, 201)


@bp.delete("/session")
def sign_out() -> tuple[Response, int]:
    logout_user()
    return _session_json(None)
