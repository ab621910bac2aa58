"""Applying to a job: who may, what a profile needs first, twice is harmless, closed jobs refuse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace import create_app
from marketplace.database import get_database, utcnow
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.seekers.models import Application, ApplicationEvent, ApplicationStatus
from tests.marketplace.accounts.helpers import csrf_token
from tests.marketplace.seekers.helpers import (
    employer_account,
    published_job,
    seeker,
    sign_in,
    staff_account,
)


def _count(session: Session, model: Any) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_applying_creates_the_application_its_history_and_an_apply_event(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    response = client.post(f"/jobs/{job.id}/apply")
    assert response.status_code == 302
    assert response.location.endswith(f"/jobs/{job.id}")
    application = session.scalar(select(Application))
    assert application is not None
    assert application.job_id == job.id
    assert application.status == ApplicationStatus.APPLIED
    events = session.scalars(select(ApplicationEvent)).all()
    assert [(e.from_status, e.to_status, e.user_id) for e in events] == [(None, "applied", user.id)]
    apply_events = session.scalars(
        select(Interaction).where(Interaction.event == InteractionEvent.APPLY)
    ).all()
    assert [(i.job_id, i.user_id) for i in apply_events] == [(job.id, user.id)]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "申请已提交" in page
    assert "您已申请此职位（已投递）" in page


def test_applying_twice_keeps_one_application(client: FlaskClient, session: Session) -> None:
    job = published_job(session)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    client.post(f"/jobs/{job.id}/apply")
    response = client.post(f"/jobs/{job.id}/apply", follow_redirects=True)
    assert response.status_code == 200
    assert "您已申请过该职位" in response.get_data(as_text=True)
    assert _count(session, Application) == 1
    assert _count(session, ApplicationEvent) == 1


def _withdrawn(client: FlaskClient, session: Session) -> Job:
    """A job a signed-in seeker applied to, then withdrew from."""
    job = published_job(session)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    client.post(f"/jobs/{job.id}/apply")
    client.post(f"/me/applications/{job.id}/withdraw")
    return job


def test_a_withdrawn_application_can_be_sent_again_from_the_job_page(
    client: FlaskClient, session: Session
) -> None:
    job = _withdrawn(client, session)

    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "您已撤回对此职位的申请，可以重新申请" in page
    assert f'action="/jobs/{job.id}/apply"' in page
    assert '<button type="submit" class="primary">重新申请</button>' in page

    response = client.post(f"/jobs/{job.id}/apply", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "申请已提交" in page
    assert "您已申请此职位（已投递）" in page
    assert "重新申请</button>" not in page
    history = client.get("/me/applications").get_data(as_text=True)
    assert "</time> 已撤回</li>" in history
    assert "</time> 重新申请</li>" in history
    # one application, its whole history kept
    assert _count(session, Application) == 1
    events = session.scalars(select(ApplicationEvent).order_by(ApplicationEvent.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "applied"),
        ("applied", "withdrawn"),
        ("withdrawn", "applied"),
    ]


def test_a_withdrawn_application_to_an_expired_job_offers_no_button(
    client: FlaskClient, session: Session
) -> None:
    job = _withdrawn(client, session)
    job.expires_at = utcnow() - timedelta(days=1)  # published still, until the sweep
    session.commit()

    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "您已撤回对此职位的申请。该职位已停止招聘，不能申请。" in page
    assert "重新申请" not in page


def test_a_seeker_without_a_desired_job_is_sent_to_the_profile_page(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    user = seeker(session, desired_job=None)
    session.commit()
    sign_in(client, user)
    response = client.post(f"/jobs/{job.id}/apply")
    assert response.status_code == 302
    assert response.location == f"/profile?next=/jobs/{job.id}"
    page = client.get("/profile").get_data(as_text=True)
    assert "申请前请先完善求职资料：期望职位" in page
    assert _count(session, Application) == 0


def test_a_seeker_with_no_profile_at_all_is_told_both_things_missing(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    user = seeker(session, with_profile=False)
    session.commit()
    sign_in(client, user)
    response = client.post(f"/jobs/{job.id}/apply", follow_redirects=True)
    assert "申请前请先完善求职资料：姓名、期望职位" in response.get_data(as_text=True)
    assert _count(session, Application) == 0


@pytest.mark.parametrize("status", [JobStatus.CLOSED, JobStatus.FILLED])
def test_a_closed_job_refuses_applications(
    client: FlaskClient, session: Session, status: JobStatus
) -> None:
    job = published_job(session)
    change_status(session, job, status)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    response = client.post(f"/jobs/{job.id}/apply")
    assert response.status_code == 409
    assert "该职位已停止招聘，不能申请" in response.get_data(as_text=True)
    assert _count(session, Application) == 0


def test_an_unpublished_job_refuses_applications(client: FlaskClient, session: Session) -> None:
    from tests.marketplace import factories

    job = factories.job(session)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    assert client.post(f"/jobs/{job.id}/apply").status_code == 409
    assert client.post("/jobs/99999/apply").status_code == 404
    assert _count(session, Application) == 0


def test_an_anonymous_visitor_is_sent_to_log_in_and_back_to_the_job(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    session.commit()
    response = client.post(f"/jobs/{job.id}/apply")
    assert response.status_code == 302
    assert response.location == f"/login?next=/jobs/{job.id}"


def test_employers_and_staff_cannot_apply(app: Flask, session: Session) -> None:
    job = published_job(session)
    users = [employer_account(session, job.employer_id), staff_account(session)]
    session.commit()
    for user in users:
        client = app.test_client()
        sign_in(client, user)
        assert client.post(f"/jobs/{job.id}/apply").status_code == 403
    assert _count(session, Application) == 0


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


def test_apply_and_withdraw_need_the_csrf_token_from_the_page(protected_app: Flask) -> None:
    session = get_database(protected_app).session()
    job = published_job(session)
    user = seeker(session)
    session.commit()
    client = protected_app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login", data={"login": user.username, "password": "haibin-2023-ok", "csrf_token": token}
    )
    assert client.post(f"/jobs/{job.id}/apply").status_code == 400
    assert _count(session, Application) == 0
    token = csrf_token(client, f"/jobs/{job.id}")
    assert client.post(f"/jobs/{job.id}/apply", data={"csrf_token": token}).status_code == 302
    assert _count(session, Application) == 1
    assert client.post(f"/me/applications/{job.id}/withdraw").status_code == 400
    token = csrf_token(client, f"/me/applications/{job.id}/withdraw")
    response = client.post(f"/me/applications/{job.id}/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    session.expire_all()
    application = session.scalar(select(Application))
    assert application is not None
    assert application.status == ApplicationStatus.WITHDRAWN
    session.close()
