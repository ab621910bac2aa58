"""CSRF on the staff forms: with protection on (as in production) a decision needs the token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from marketplace import create_app
from marketplace.accounts.models import Role
from marketplace.database import get_database, utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobStatus
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import csrf_token


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


@pytest.fixture
def signed_in(protected_app: Flask) -> tuple[FlaskClient, int, int]:
    """A staff client signed in through the protected login form; a job and employer to decide."""
    session = get_database(protected_app).session()
    staff = accounts.user(session, role=Role.STAFF)
    employer = factories.employer(session, verification=Verification.PENDING)
    job = factories.job(
        session, status=JobStatus.PENDING_REVIEW, submitted_at=utcnow() - timedelta(hours=1)
    )
    session.commit()
    ids = (job.id, employer.id)
    username = staff.username
    session.close()
    client = protected_app.test_client()
    token = csrf_token(client, "/login")
    login = {"login": username, "password": accounts.PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    return client, *ids


def _get(app: Flask, model: Any, ident: int) -> Any:
    session = get_database(app).session()
    try:
        return session.get(model, ident)
    finally:
        session.close()


def test_a_review_decision_without_the_token_is_refused(
    protected_app: Flask, signed_in: tuple[FlaskClient, int, int]
) -> None:
    client, job_id, _ = signed_in
    response = client.post(f"/staff/reviews/{job_id}/approve")
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert _get(protected_app, Job, job_id).status == JobStatus.PENDING_REVIEW


def test_a_review_decision_with_the_token_from_the_page_succeeds(
    protected_app: Flask, signed_in: tuple[FlaskClient, int, int]
) -> None:
    client, job_id, _ = signed_in
    page = f"/staff/reviews/{job_id}"
    token = csrf_token(client, page)
    data = {"approve-csrf_token": token}
    assert client.post(f"{page}/approve", data=data).status_code == 303
    assert _get(protected_app, Job, job_id).status == JobStatus.PUBLISHED


def test_employer_forms_need_the_token(
    protected_app: Flask, signed_in: tuple[FlaskClient, int, int]
) -> None:
    client, _, employer_id = signed_in
    page = f"/staff/employers/{employer_id}"
    assert client.post(f"{page}/approve").status_code == 400
    assert client.post(f"{page}/key", data={"key-category": "other"}).status_code == 400
    assert _get(protected_app, Employer, employer_id).verification == Verification.PENDING
    token = csrf_token(client, page)
    data = {"key-csrf_token": token, "key-category": "other"}
    assert client.post(f"{page}/key", data=data).status_code == 303
    assert _get(protected_app, Employer, employer_id).is_key_enterprise
