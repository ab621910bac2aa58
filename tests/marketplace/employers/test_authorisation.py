"""Every job and application is its employer's own: another employer's ids are a plain 404."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.seekers.models import Application, ApplicationStatus
from tests.marketplace import factories as shared
from tests.marketplace.employers.conftest import Account, employer_account
from tests.marketplace.employers.helpers import application, posting, seeker


@pytest.fixture
def someone_elses(session: Session) -> tuple[Job, Application]:
    other = employer_account(session)
    job = shared.job(session, employer=other.employer, title="船体装配工")
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    record = application(session, job, seeker(session))
    session.commit()
    return job, record


def _unchanged(session: Session, job: Job, record: Application) -> None:
    session.expire_all()
    stored_job = session.get(Job, job.id)
    stored_application = session.get(Application, record.id)
    assert stored_job is not None
    assert stored_application is not None
    assert stored_job.status == JobStatus.PUBLISHED
    assert stored_job.title == "船体装配工"
    assert stored_application.status == ApplicationStatus.APPLIED


@pytest.mark.parametrize(
    "path",
    [
        "/employer/jobs/{job}/edit",
        "/employer/jobs/{job}/applicants",
        "/employer/jobs/{job}/applicants/{application}",
        "/employer/jobs/{job}/candidates",
        "/employer/jobs/{job}/close",
        "/employer/jobs/{job}/repost",
    ],
)
def test_another_employers_pages_are_not_found(
    signed_in: FlaskClient,
    session: Session,
    someone_elses: tuple[Job, Application],
    path: str,
) -> None:
    job, record = someone_elses
    response = signed_in.get(path.format(job=job.id, application=record.id))
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "船体装配工" not in page
    assert "未找到" in page
    _unchanged(session, job, record)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/employer/jobs/{job}/edit", posting(title="改掉")),
        ("/employer/jobs/{job}/close", {}),
        ("/employer/jobs/{job}/fill", {}),
        ("/employer/jobs/{job}/applicants/{application}/status", {"to": "interview"}),
    ],
)
def test_another_employers_job_cannot_be_changed(
    signed_in: FlaskClient,
    session: Session,
    someone_elses: tuple[Job, Application],
    path: str,
    data: dict[str, str],
) -> None:
    job, record = someone_elses
    response = signed_in.post(path.format(job=job.id, application=record.id), data=data)
    assert response.status_code == 404
    _unchanged(session, job, record)


def test_an_application_is_only_reachable_through_its_own_job(
    signed_in: FlaskClient,
    session: Session,
    account: Account,
    someone_elses: tuple[Job, Application],
) -> None:
    _other_job, record = someone_elses
    mine = shared.job(session, employer=account.employer)
    session.commit()
    url = f"/employer/jobs/{mine.id}/applicants/{record.id}"
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(f"{url}/status", data={"to": "interview"}).status_code == 404


def test_a_missing_job_is_the_same_404(signed_in: FlaskClient) -> None:
    assert signed_in.get("/employer/jobs/999999/edit").status_code == 404
