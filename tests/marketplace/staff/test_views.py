"""The staff pages as a staff member uses them: verification, key enterprises, the review queue."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.database import get_database, utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.search.engine import get_search, rebuild_index
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in

FINDING = {
    "code": "discrimination.household",
    "severity": "review",
    "field": "description",
    "words": ["限本地户籍"],
    "message": "招聘不得限定户籍，请删去",
}


def pending(session: Session, hours_ago: float = 1, **fields: Any) -> Job:
    job = factories.job(
        session,
        status=JobStatus.PENDING_REVIEW,
        submitted_at=utcnow() - timedelta(hours=hours_ago),
        **fields,
    )
    session.commit()
    return job


def fresh(app: Flask, model: Any, ident: int) -> Any:
    session = get_database(app).session()
    try:
        return session.get(model, ident)
    finally:
        session.close()


def job_events(app: Flask, job_id: int) -> list[JobStatusEvent]:
    session = get_database(app).session()
    try:
        query = select(JobStatusEvent).where(JobStatusEvent.job_id == job_id)
        return list(session.scalars(query))
    finally:
        session.close()


def found(client: FlaskClient, text: str) -> int:
    """How many postings the public search page finds for `text`."""
    page = client.get("/search", query_string={"q": text}).get_data(as_text=True)
    match = re.search(r"共 (\d+)", page)
    assert match is not None
    return int(match.group(1))


# --- who gets in --------------------------------------------------------------------------------


PAGES = ["/staff/", "/staff/employers", "/staff/reviews"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.SEEKER, Role.EMPLOYER])
def test_other_roles_get_403(client: FlaskClient, session: Session, role: Role) -> None:
    user = accounts.user(session, role=role)
    job = pending(session)
    log_in(client, user.username, accounts.PASSWORD)
    for path in [*PAGES, f"/staff/reviews/{job.id}", f"/staff/employers/{job.employer_id}"]:
        assert client.get(path).status_code == 403
    assert client.post(f"/staff/reviews/{job.id}/approve").status_code == 403
    assert fresh(client.application, Job, job.id).status == JobStatus.PENDING_REVIEW


def test_home_shows_the_counts(staff_client: FlaskClient, session: Session) -> None:
    factories.employer(session, verification=Verification.PENDING)
    key = factories.employer(session, is_key_enterprise=True, key_category="other")
    pending(session, 3, employer=key)
    pending(session, 1)
    page = staff_client.get("/staff/").get_data(as_text=True)
    assert "待核验单位 1 家" in page
    assert "待审核职位 2 个" in page
    assert "绿色通道）1 个；已超时 1 个" in page


# --- employers ----------------------------------------------------------------------------------


def test_pending_employers_are_listed_with_code_date_and_accounts(
    staff_client: FlaskClient, session: Session
) -> None:
    waiting = factories.employer(session, name="荣成远洋渔业有限公司", verification="pending")
    accounts.user(session, role=Role.EMPLOYER, employer_id=waiting.id)
    factories.employer(session, name="已认证的单位")
    session.commit()
    page = staff_client.get("/staff/employers?status=pending").get_data(as_text=True)
    assert "荣成远洋渔业有限公司" in page
    assert f"<td>{waiting.credit_code}</td>" in page
    assert "1 个" in page
    assert "已认证的单位" not in page


def test_the_detail_page_checks_the_credit_code_again(
    staff_client: FlaskClient, session: Session
) -> None:
    good = factories.employer(session, verification="pending")
    bad = factories.employer(session, verification="pending", credit_code="91371002MA3C00000X")
    session.commit()
    assert "格式和校验位正确" in staff_client.get(f"/staff/employers/{good.id}").get_data(
        as_text=True
    )
    page = staff_client.get(f"/staff/employers/{bad.id}").get_data(as_text=True)
    assert "校验位不正确" in page


def test_approving_an_employer_publishes_clean_postings_and_keeps_flagged_ones(
    staff_client: FlaskClient, session: Session
) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    clean = pending(session, employer=employer, title="叉车司机")
    flagged = pending(session, employer=employer, check_findings=[FINDING])
    response = staff_client.post(f"/staff/employers/{employer.id}/approve", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "1 个无问题的职位已自动发布" in page
    app = staff_client.application
    assert fresh(app, Employer, employer.id).verification == Verification.VERIFIED
    assert fresh(app, Job, clean.id).status == JobStatus.PUBLISHED
    assert fresh(app, Job, flagged.id).status == JobStatus.PENDING_REVIEW
    assert job_events(app, clean.id)[0].reason == "单位核验通过，自动发布"


def test_rejecting_an_employer_needs_a_reason(staff_client: FlaskClient, session: Session) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    session.commit()
    response = staff_client.post(
        f"/staff/employers/{employer.id}/reject", data={"reject-reason": ""}
    )
    assert response.status_code == 400
    assert "请填写原因" in response.get_data(as_text=True)
    assert fresh(staff_client.application, Employer, employer.id).verification == "pending"
    response = staff_client.post(
        f"/staff/employers/{employer.id}/reject", data={"reject-reason": "执照已注销"}
    )
    assert response.status_code == 303
    assert fresh(staff_client.application, Employer, employer.id).verification == "rejected"


def test_staff_set_and_clear_the_key_enterprise_flag(
    staff_client: FlaskClient, session: Session
) -> None:
    employer = factories.employer(session, name="文登轮胎制造有限公司")
    session.commit()
    url = f"/staff/employers/{employer.id}/key"
    page = staff_client.post(
        url, data={"key-category": "above_scale_industrial"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已设为重点企业（规上工业企业）" in page
    flagged = fresh(staff_client.application, Employer, employer.id)
    assert (flagged.is_key_enterprise, flagged.key_category) == (True, "above_scale_industrial")
    listing = staff_client.get("/staff/employers?key=1").get_data(as_text=True)
    assert "文登轮胎制造有限公司" in listing
    assert staff_client.post(url, data={"key-category": "no-such"}).status_code == 400
    cleared = staff_client.post(url, data={"key-category": ""}, follow_redirects=True)
    assert "已取消重点企业" in cleared.get_data(as_text=True)
    assert not fresh(staff_client.application, Employer, employer.id).is_key_enterprise
    assert "文登轮胎制造有限公司" not in staff_client.get("/staff/employers?key=1").get_data(
        as_text=True
    )


# --- the review queue ---------------------------------------------------------------------------


def test_the_queue_shows_the_green_channel_first_and_marks_overdue_postings(
    staff_client: FlaskClient, session: Session
) -> None:
    key = factories.employer(session, name="石岛重工", is_key_enterprise=True, key_category="other")
    pending(session, 30, title="普通职位甲", check_findings=[FINDING])
    pending(session, 0.5, employer=key, title="重点职位乙")
    page = staff_client.get("/staff/reviews").get_data(as_text=True)
    assert page.index("重点职位乙") < page.index("普通职位甲")
    assert "绿色通道" in page
    assert "已超时" in page
    assert "<mark>限本地户籍</mark>" in page
    assert "剩余 1 小时 29 分" in page or "剩余 1 小时 30 分" in page


def test_the_queue_says_why_an_unverified_employers_posting_cannot_pass(
    staff_client: FlaskClient, session: Session
) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    job = pending(session, employer=employer)
    page = staff_client.get("/staff/reviews").get_data(as_text=True)
    assert "该单位尚未通过核验" in page
    assert f"/staff/employers/{employer.id}#verify" in page
    review_page = staff_client.get(f"/staff/reviews/{job.id}").get_data(as_text=True)
    assert "通过并发布" not in review_page
    response = staff_client.post(f"/staff/reviews/{job.id}/approve")
    assert response.status_code == 409
    assert "尚未通过核验" in response.get_data(as_text=True)
    assert fresh(staff_client.application, Job, job.id).status == JobStatus.PENDING_REVIEW


def test_the_review_page_marks_the_words_in_the_posting(
    staff_client: FlaskClient, session: Session
) -> None:
    job = pending(
        session, description="招聘包装工，限本地户籍，<b>长白班</b>", check_findings=[FINDING]
    )
    page = staff_client.get(f"/staff/reviews/{job.id}").get_data(as_text=True)
    assert "招聘包装工，<mark>限本地户籍</mark>，&lt;b&gt;长白班&lt;/b&gt;" in page


def test_approving_publishes_and_the_posting_becomes_searchable(
    app: Flask, staff_client: FlaskClient, session: Session, staff: Any
) -> None:
    rebuild_index(get_search(app), session)
    job = pending(session, title="海参育苗技术员")
    assert found(staff_client, "海参育苗技术员") == 0
    response = staff_client.post(f"/staff/reviews/{job.id}/approve", follow_redirects=True)
    assert "已通过并发布：海参育苗技术员" in response.get_data(as_text=True)
    assert fresh(app, Job, job.id).status == JobStatus.PUBLISHED
    (event,) = job_events(app, job.id)
    assert event.user_id == staff.id
    assert found(staff_client, "海参育苗技术员") == 1


@pytest.mark.parametrize(
    ("action", "status"),
    [("reject", JobStatus.REJECTED), ("changes", JobStatus.CHANGES_REQUESTED)],
)
def test_reject_and_request_changes_need_a_reason_and_record_it(
    staff_client: FlaskClient, session: Session, staff: Any, action: str, status: JobStatus
) -> None:
    job = pending(session)
    url = f"/staff/reviews/{job.id}/{action}"
    response = staff_client.post(url, data={f"{action}-reason": "  "})
    assert response.status_code == 400
    assert "请填写原因" in response.get_data(as_text=True)
    assert fresh(staff_client.application, Job, job.id).status == JobStatus.PENDING_REVIEW
    assert staff_client.post(url, data={f"{action}-reason": "薪资写法不清"}).status_code == 303
    assert fresh(staff_client.application, Job, job.id).status == status
    (event,) = job_events(staff_client.application, job.id)
    assert (event.user_id, event.reason, event.to_status) == (staff.id, "薪资写法不清", status)


def test_a_stale_form_changes_nothing_and_says_so(
    staff_client: FlaskClient, session: Session
) -> None:
    job = pending(session)
    assert staff_client.post(f"/staff/reviews/{job.id}/approve").status_code == 303
    response = staff_client.post(
        f"/staff/reviews/{job.id}/reject", data={"reject-reason": "迟到的驳回"}
    )
    assert response.status_code == 409
    assert "已不在待审核状态" in response.get_data(as_text=True)
    assert fresh(staff_client.application, Job, job.id).status == JobStatus.PUBLISHED
    assert len(job_events(staff_client.application, job.id)) == 1


def test_a_form_read_before_a_resubmit_is_refused(
    staff_client: FlaskClient, session: Session
) -> None:
    job = pending(session)
    response = staff_client.post(
        f"/staff/reviews/{job.id}/approve",
        data={"approve-submitted": "2020-01-01T00:00:00.000000"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "已重新提交" in page
    assert fresh(staff_client.application, Job, job.id).status == JobStatus.PENDING_REVIEW
    # the page shown with the refusal is the posting as it is now: deciding from it works
    match = re.search(r'name="approve-submitted" type="hidden" value="([^"]+)"', page)
    assert match is not None
    data = {"approve-submitted": match.group(1)}
    assert staff_client.post(f"/staff/reviews/{job.id}/approve", data=data).status_code == 303
    assert fresh(staff_client.application, Job, job.id).status == JobStatus.PUBLISHED
