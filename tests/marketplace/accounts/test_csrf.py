"""CSRF: with protection on (as in production), a POST needs the token from the form page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.database import get_database
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import csrf_token

SEEKER = {
    "name": "李强",
    "phone": "13712345678",
    "password": "liqiang-2023-ok",
    "confirm": "liqiang-2023-ok",
    "agree": "y",
}


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


@pytest.fixture
def protected(protected_app: Flask) -> FlaskClient:
    return protected_app.test_client()


def _users(app: Flask) -> int:
    session = get_database(app).session()
    try:
        return session.scalar(select(func.count()).select_from(User)) or 0
    finally:
        session.close()


def test_a_form_post_without_the_token_is_refused(
    protected: FlaskClient, protected_app: Flask
) -> None:
    response = protected.post("/signup/seeker", data=SEEKER)
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert _users(protected_app) == 0


def test_a_form_post_with_the_token_from_the_page_succeeds(
    protected: FlaskClient, protected_app: Flask
) -> None:
    token = csrf_token(protected, "/signup/seeker")
    response = protected.post("/signup/seeker", data={**SEEKER, "csrf_token": token})
    assert response.status_code == 302
    assert _users(protected_app) == 1


def test_a_login_post_without_the_token_is_refused(
    protected: FlaskClient, protected_app: Flask
) -> None:
    session = get_database(protected_app).session()
    factories.user(session, phone="13912345678")
    session.commit()
    session.close()
    data = {"login": "13912345678", "password": factories.PASSWORD}
    assert protected.post("/login", data=data).status_code == 400
    token = csrf_token(protected, "/login")
    assert protected.post("/login", data={**data, "csrf_token": token}).status_code == 302


def test_logout_needs_the_token_from_the_header_form(
    protected: FlaskClient, protected_app: Flask
) -> None:
    token = csrf_token(protected, "/signup/seeker")
    protected.post("/signup/seeker", data={**SEEKER, "csrf_token": token})
    # the non-WTForms logout form is protected too (CSRFProtect, not just FlaskForm)
    assert protected.post("/logout").status_code == 400
    assert protected.get("/profile").status_code == 200
    header_token = csrf_token(protected, "/")
    assert protected.post("/logout", data={"csrf_token": header_token}).status_code == 302
    assert protected.get("/profile").status_code == 302


def test_a_json_client_gets_the_refusal_as_json(protected: FlaskClient) -> None:
    response = protected.post("/signup/seeker", data=SEEKER, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
