"""What staff told an employer: why a posting was sent back or refused, why verification failed."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.employers.models import Verification
from marketplace.jobs.models import Job, JobStatus
from tests.marketplace import factories as shared
from tests.marketplace.employers.conftest import Account, employer_account, sign_in
from tests.marketplace.employers.helpers import posting

AGE_LIMIT = "请删去年龄限制"


def _pending(session: Session, account: Account, title: str = "扇贝分拣工") -> Job:
    job = shared.job(
        session,
        employer=account.employer,
        title=title,
        status=JobStatus.PENDING_REVIEW,
        submitted_at=utcnow() - timedelta(hours=1),
    )
    session.commit()
    return job


def _employer_client(app: Flask, account: Account) -> FlaskClient:
    client = app.test_client()
    sign_in(client, account)
    return client


def _send_back(staff_client: FlaskClient, job: Job, reason: str) -> None:
    response = staff_client.post(
        f"/staff/reviews/{job.id}/changes", data={"changes-reason": reason}
    )
    assert response.status_code == 303


def test_the_employer_sees_why_staff_sent_a_posting_back_on_the_dashboard_and_edit_page(
    app: Flask, staff_client: FlaskClient, session: Session, account: Account
) -> None:
    job = _pending(session, account)
    _send_back(staff_client, job, AGE_LIMIT)
    employer = _employer_client(app, account)

    dashboard = employer.get("/employer/").get_data(as_text=True)
    assert "需修改" in dashboard
    assert f"工作人员的修改意见：</strong>{AGE_LIMIT}" in dashboard
    # on the posting's own row, before the next posting (if any) and its button
    assert dashboard.index("扇贝分拣工") < dashboard.index(AGE_LIMIT)
    assert dashboard.index(AGE_LIMIT) < dashboard.index(f"/employer/jobs/{job.id}/edit")

    form = employer.get(f"/employer/jobs/{job.id}/edit").get_data(as_text=True)
    assert AGE_LIMIT in form
    assert 'aria-labelledby="staff-reason-title"' in form
    # at the top: read before the form it asks to change
    assert form.index(AGE_LIMIT) < form.index('<form method="post" novalidate>')


def test_the_reason_is_escaped(
    app: Flask, staff_client: FlaskClient, session: Session, account: Account
) -> None:
    job = _pending(session, account)
    _send_back(staff_client, job, "<b>请删去</b>年龄限制")
    page = _employer_client(app, account).get("/employer/").get_data(as_text=True)
    assert "&lt;b&gt;请删去&lt;/b&gt;年龄限制" in page
    assert "<b>请删去</b>" not in page


def test_another_employer_never_sees_the_reason(
    app: Flask, staff_client: FlaskClient, session: Session, account: Account
) -> None:
    job = _pending(session, account)
    _send_back(staff_client, job, AGE_LIMIT)
    other = _employer_client(app, employer_account(session))

    assert AGE_LIMIT not in other.get("/employer/").get_data(as_text=True)
    assert other.get(f"/employer/jobs/{job.id}/edit").status_code == 404
    assert AGE_LIMIT not in app.test_client().get(f"/jobs/{job.id}").get_data(as_text=True)


def test_only_the_latest_reason_is_shown_and_none_once_resubmitted(
    app: Flask, staff_client: FlaskClient, session: Session, account: Account
) -> None:
    job = _pending(session, account)
    _send_back(staff_client, job, "请写明工作时间")
    employer = _employer_client(app, account)
    edit = f"/employer/jobs/{job.id}/edit"
    assert employer.post(edit, data=posting(title="扇贝分拣工")).status_code == 302
    # the resubmitted posting waits for staff: the old request is answered, so not shown
    assert "请写明工作时间" not in employer.get("/employer/").get_data(as_text=True)

    _send_back(staff_client, job, AGE_LIMIT)
    dashboard = employer.get("/employer/").get_data(as_text=True)
    assert AGE_LIMIT in dashboard
    assert "请写明工作时间" not in dashboard


def test_the_reason_a_posting_was_refused_is_on_the_dashboard(
    app: Flask, staff_client: FlaskClient, session: Session, account: Account
) -> None:
    job = _pending(session, account)
    response = staff_client.post(
        f"/staff/reviews/{job.id}/reject", data={"reject-reason": "招聘内容涉嫌收取押金"}
    )
    assert response.status_code == 303
    page = _employer_client(app, account).get("/employer/").get_data(as_text=True)
    assert "未通过审核的原因：</strong>招聘内容涉嫌收取押金" in page


def test_the_dashboard_says_why_verification_was_refused(
    app: Flask, staff_client: FlaskClient, session: Session
) -> None:
    account = employer_account(session, verification=Verification.PENDING)
    response = staff_client.post(
        f"/staff/employers/{account.employer.id}/reject", data={"reject-reason": "营业执照已注销"}
    )
    assert response.status_code == 303
    page = _employer_client(app, account).get("/employer/").get_data(as_text=True)
    assert "未通过原因：营业执照已注销" in page
    assert "了解原因" not in page


def test_a_refusal_without_a_stored_reason_still_points_to_12333(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    account.employer.verification = Verification.REJECTED
    session.commit()
    page = signed_in.get("/employer/").get_data(as_text=True)
    assert "请联系就业服务机构（12333）了解原因" in page
