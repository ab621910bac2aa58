"""CSRF on the employer pages: with protection on (as in production) a POST needs the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.database import get_database
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import csrf_token
from tests.marketplace.employers.conftest import Account, employer_account
from tests.marketplace.employers.helpers import posting


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


@pytest.fixture
def setup(protected_app: Flask) -> tuple[FlaskClient, Account, int]:
    session = get_database(protected_app).session()
    account = employer_account(session)
    job = shared.job(session, employer=account.employer)
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    job_id = job.id
    session.close()
    client = protected_app.test_client()
    token = csrf_token(client, "/login")
    login = {"login": account.user.username, "password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    return client, account, job_id


def _count_and_status(app: Flask, job_id: int) -> tuple[int, str | None]:
    session = get_database(app).session()
    try:
        count = session.scalar(select(func.count()).select_from(Job)) or 0
        return count, session.scalar(select(Job.status).where(Job.id == job_id))
    finally:
        session.close()


def test_posting_a_job_without_the_token_is_refused(
    protected_app: Flask, setup: tuple[FlaskClient, Account, int]
) -> None:
    client, _account, job_id = setup
    response = client.post("/employer/jobs/new", data=posting())
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert _count_and_status(protected_app, job_id) == (1, "published")
    token = csrf_token(client, "/employer/jobs/new")
    response = client.post("/employer/jobs/new", data={**posting(), "csrf_token": token})
    assert response.status_code == 302
    assert _count_and_status(protected_app, job_id)[0] == 2


def test_closing_a_job_needs_the_token_from_the_confirm_page(
    protected_app: Flask, setup: tuple[FlaskClient, Account, int]
) -> None:
    client, _account, job_id = setup
    assert client.post(f"/employer/jobs/{job_id}/close").status_code == 400
    assert _count_and_status(protected_app, job_id) == (1, "published")
    token = csrf_token(client, f"/employer/jobs/{job_id}/close")
    response = client.post(f"/employer/jobs/{job_id}/close", data={"csrf_token": token})
    assert response.status_code == 302
    assert _count_and_status(protected_app, job_id) == (1, "closed")
