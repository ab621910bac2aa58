"""Signing in and out of the API, and the CSRF token every write carries."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from tests.marketplace.accounts import factories
from tests.marketplace.api.contract import PREFIX, ApiClient

PHONE = "13912345678"


def _seeker(session: Session) -> None:
    factories.user(session, Role.SEEKER, phone=PHONE, display_name="李强")
    session.commit()


def test_nobody_is_signed_in_at_first_and_a_token_is_given(api: ApiClient) -> None:
    body = api.get(f"{PREFIX}/session").get_json()
    assert body["user"] is None
    assert body["csrf_token"]


def test_sign_in_returns_the_role_and_a_token_then_sign_out(
    api: ApiClient, session: Session
) -> None:
    _seeker(session)
    body = api.sign_in(PHONE, factories.PASSWORD).get_json()
    assert body["user"]["role"] == "seeker"
    assert body["user"]["display_name"] == "李强"
    assert api.get(f"{PREFIX}/session").get_json()["user"]["role"] == "seeker"

    assert api.delete(f"{PREFIX}/session").status_code == 200
    assert api.get(f"{PREFIX}/session").get_json()["user"] is None
    assert api.get(f"{PREFIX}/gigs/offers").status_code == 401


def test_a_wrong_password_is_401_without_saying_which_part_was_wrong(
    api: ApiClient, session: Session
) -> None:
    _seeker(session)
    wrong = api.post(f"{PREFIX}/session", json={"login": PHONE, "password": "not-it-at-all"})
    unknown = api.post(f"{PREFIX}/session", json={"login": "13800000000", "password": "x" * 9})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["message"] == "账号或密码不正确"


def test_a_missing_field_is_422_naming_the_field(api: ApiClient) -> None:
    response = api.post(f"{PREFIX}/session", json={"login": PHONE})
    assert response.status_code == 422
    assert response.get_json()["error"] == {"code": "invalid_input", "message": "password：必填"}
    response = api.post(f"{PREFIX}/session", data="login=1", content_type="text/plain")
    assert response.status_code == 422
    assert "JSON" in response.get_json()["error"]["message"]


def test_a_switched_off_account_is_403(api: ApiClient, session: Session) -> None:
    factories.user(session, Role.SEEKER, phone=PHONE, is_active=False)
    session.commit()
    response = api.post(f"{PREFIX}/session", json={"login": PHONE, "password": factories.PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "inactive"


def test_writes_without_the_csrf_header_are_refused(app: Flask, session: Session) -> None:
    _seeker(session)
    client = app.test_client()
    credentials = {"login": PHONE, "password": factories.PASSWORD}
    refused = client.post(f"{PREFIX}/session", json=credentials)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"

    token = client.get(f"{PREFIX}/session").get_json()["csrf_token"]
    signed_in = client.post(f"{PREFIX}/session", json=credentials, headers={"X-CSRFToken": token})
    assert signed_in.status_code == 201
    # signed in, a write still needs the header: the cookie alone is not enough
    assert client.delete(f"{PREFIX}/session").status_code == 400
    assert client.get(f"{PREFIX}/session").get_json()["user"] is not None
    assert client.delete(f"{PREFIX}/session", headers={"X-CSRFToken": "forged"}).status_code == 400
    token = signed_in.get_json()["csrf_token"]
    assert client.delete(f"{PREFIX}/session", headers={"X-CSRFToken": token}).status_code == 200
