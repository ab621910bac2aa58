"""CSRF on the policy forms: with protection on (as in production) a POST needs the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.database import get_database
from marketplace.policies.models import PolicyClaim
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import csrf_token
from tests.marketplace.policies.conftest import add_policies, policy_entry, seeker


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/login")
    data = {"login": user.username, "password": accounts.PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client


def claims(app: Flask) -> int:
    session = get_database(app).session()
    try:
        return session.scalar(select(func.count()).select_from(PolicyClaim)) or 0
    finally:
        session.close()


def test_a_claim_needs_the_token_from_the_page(protected_app: Flask) -> None:
    session = get_database(protected_app).session()
    add_policies(session, policy_entry(code="grads"))
    profile = seeker(session, target_groups=["graduate"])
    user = session.get(User, profile.user_id)
    session.commit()
    assert user is not None
    client = signed_in(protected_app, user)
    session.close()

    response = client.post("/policies/grads/claim")
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert client.post("/policies/declare", data={"starting_business": "yes"}).status_code == 400
    assert claims(protected_app) == 0

    token = csrf_token(client, "/policies/")
    response = client.post("/policies/grads/claim", data={"csrf_token": token})
    assert response.status_code == 303
    assert claims(protected_app) == 1


def test_revealing_a_number_needs_the_token(protected_app: Flask) -> None:
    session = get_database(protected_app).session()
    add_policies(session, policy_entry(code="grads"))
    profile = seeker(session, target_groups=["graduate"], phone="13900006666")
    staff = accounts.user(session, role=Role.STAFF)
    session.commit()
    client = signed_in(protected_app, staff)
    data = {"seeker_id": str(profile.id), "policy": "grads"}
    session.close()
    assert client.post("/policies/staff/phone", data=data).status_code == 400
    token = csrf_token(client, "/policies/staff")
    response = client.post("/policies/staff/phone", data={**data, "csrf_token": token})
    assert response.status_code == 200
    assert "13900006666" in response.get_data(as_text=True)
