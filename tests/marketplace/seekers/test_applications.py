"""My applications: status and history in Chinese, only my own, and when I may withdraw."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.database import get_database
from marketplace.seekers import services
from marketplace.seekers.models import Application, ApplicationEvent, ApplicationStatus
from tests.marketplace.seekers.helpers import (
    employer_account,
    profile_of,
    published_job,
    seeker,
    sign_in,
)


def _applied(session: Session, user_id: int, job_id: int) -> Application:
    from marketplace.jobs.models import Job
    from marketplace.seekers.models import SeekerProfile

    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user_id))
    job = session.get(Job, job_id)
    assert profile is not None
    assert job is not None
    return services.apply(session, profile, job, user_id=user_id).application


def _move(session: Session, application: Application, to: ApplicationStatus, at: datetime) -> None:
    session.add(
        ApplicationEvent(
            application=application, from_status=application.status, to_status=to, at=at
        )
    )
    application.status = to


def test_my_applications_show_status_and_history_in_chinese(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session, title="海参育苗工")
    user = seeker(session)
    application = _applied(session, user.id, job.id)
    _move(session, application, ApplicationStatus.VIEWED, datetime(2023, 5, 4, 1, 0))
    _move(session, application, ApplicationStatus.INTERVIEW, datetime(2023, 5, 5, 6, 30))
    session.commit()
    sign_in(client, user)
    page = client.get("/me/applications").get_data(as_text=True)
    assert f'href="/jobs/{job.id}">海参育苗工</a>' in page
    assert job.employer.name in page
    assert "月薪 5000–7000 元" in page
    assert '状态：<span class="app-status app-status-interview">邀请面试</span>' in page
    # times in Beijing time, each step in words
    assert "2023-05-04 09:00</time> 已查看" in page
    assert "2023-05-05 14:30</time> 邀请面试" in page
    assert "已投递" in page
    assert "撤回申请" in page


def test_a_seeker_sees_only_their_own_applications(app: Flask, session: Session) -> None:
    mine = published_job(session, title="叉车司机")
    theirs = published_job(session, title="电焊工")
    me = seeker(session)
    other = seeker(session)
    _applied(session, me.id, mine.id)
    _applied(session, other.id, theirs.id)
    session.commit()
    client = app.test_client()
    sign_in(client, me)
    page = client.get("/me/applications").get_data(as_text=True)
    assert "叉车司机" in page
    assert "电焊工" not in page
    # withdrawing another seeker's application is as if it did not exist
    assert client.post(f"/me/applications/{theirs.id}/withdraw").status_code == 404
    session.expire_all()
    theirs_application = session.scalar(select(Application).where(Application.job_id == theirs.id))
    assert theirs_application is not None
    assert theirs_application.status == ApplicationStatus.APPLIED


def test_withdrawing_records_the_change(client: FlaskClient, session: Session) -> None:
    job = published_job(session)
    user = seeker(session)
    application = _applied(session, user.id, job.id)
    session.commit()
    sign_in(client, user)
    # 撤回申请 on the list opens a confirmation: nothing changes until it is confirmed
    listed = client.get("/me/applications").get_data(as_text=True)
    confirm_url = f"/me/applications/{job.id}/withdraw"
    assert f'<a class="secondary-link" href="{confirm_url}"' in listed
    confirm = client.get(confirm_url).get_data(as_text=True)
    assert f"确定要撤回对“{job.title}”的申请吗？" in confirm
    assert f'<form method="post" action="{confirm_url}"' in confirm
    assert 'name="csrf_token"' in confirm
    assert '<button type="submit" class="secondary">确认撤回</button>' in confirm
    assert '<a href="/me/applications">不撤回，返回我的申请</a>' in confirm
    session.refresh(application)
    assert application.status == ApplicationStatus.APPLIED

    response = client.post(confirm_url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "申请已撤回" in page
    assert 'app-status-withdrawn">已撤回' in page
    assert confirm_url not in page
    session.expire_all()
    events = session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id)
        .order_by(ApplicationEvent.id)
    ).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "applied"),
        ("applied", "withdrawn"),
    ]


def test_withdrawing_twice_only_says_it_is_withdrawn_already(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    user = seeker(session)
    application = _applied(session, user.id, job.id)
    session.commit()
    sign_in(client, user)
    url = f"/me/applications/{job.id}/withdraw"
    client.post(url)
    for again in (client.post, client.get):  # a second tap, or the confirmation in an old tab
        response = again(url)
        assert response.status_code == 302
        assert response.location == "/me/applications"
        page = client.get(response.location).get_data(as_text=True)
        assert "这份申请已经撤回，无需再次撤回" in page
        assert 'app-status-withdrawn">已撤回' in page
    session.expire_all()
    events = session.scalars(
        select(ApplicationEvent.to_status).where(ApplicationEvent.application_id == application.id)
    ).all()
    assert events == ["applied", "withdrawn"]


@pytest.mark.parametrize("status", [ApplicationStatus.HIRED, ApplicationStatus.NOT_SUITABLE])
def test_a_decided_application_cannot_be_withdrawn(
    client: FlaskClient, session: Session, status: ApplicationStatus
) -> None:
    job = published_job(session)
    user = seeker(session)
    application = _applied(session, user.id, job.id)
    _move(session, application, status, datetime(2023, 5, 4))
    session.commit()
    sign_in(client, user)
    for ask in (client.get, client.post):  # the confirmation from an old page, or the button
        response = ask(f"/me/applications/{job.id}/withdraw")
        assert response.status_code == 302
        page = client.get(response.location).get_data(as_text=True)
        assert "不能撤回（单位已有结果）" in page
    session.expire_all()
    assert session.get(Application, application.id).status == status  # type: ignore[union-attr]


def test_applying_again_after_withdrawing_renews_the_application(session: Session) -> None:
    job = published_job(session)
    user = seeker(session)
    profile = profile_of(session, user)
    first = services.apply(session, profile, job, user_id=user.id)
    # withdrawn after an interview was arranged: that arrangement does not come back
    first.application.interview_at = datetime(2023, 5, 6, 6, 0)
    first.application.interview_place = "荣成市石岛镇工业园"
    _move(session, first.application, ApplicationStatus.INTERVIEW, datetime(2023, 5, 5))
    services.withdraw(session, profile, job.id, user_id=user.id)
    again = services.apply(session, profile, job, user_id=user.id)
    assert again.created
    assert again.application.id == first.application.id
    assert again.application.status == ApplicationStatus.APPLIED
    assert again.application.interview_at is None
    assert again.application.interview_place is None


def test_a_double_tap_read_before_either_wrote_changes_it_once(
    app: Flask, session: Session
) -> None:
    job = published_job(session)
    user = seeker(session)
    profile = profile_of(session, user)
    services.apply(session, profile, job, user_id=user.id)
    session.commit()
    late = get_database(app).session()  # the second request: it read the row first...
    try:
        late_profile = late.get(type(profile), profile.id)
        assert late_profile is not None
        assert services.application_for(late, late_profile, job.id) is not None
        services.withdraw(session, profile, job.id, user_id=user.id)  # ...the first wrote
        session.commit()
        with pytest.raises(services.AlreadyWithdrawn):
            services.withdraw(late, late_profile, job.id, user_id=user.id)
        late.rollback()
        # the same for applying again: the first renews it, the second finds it renewed
        late_job = late.get(type(job), job.id)
        assert late_job is not None
        assert services.application_for(late, late_profile, job.id) is not None
        assert services.apply(session, profile, job, user_id=user.id).created
        session.commit()
        assert not services.apply(late, late_profile, late_job, user_id=user.id).created
        late.commit()
    finally:
        late.close()
    session.expire_all()
    events = session.scalars(select(ApplicationEvent.to_status).order_by(ApplicationEvent.id)).all()
    assert events == ["applied", "withdrawn", "applied"]


def test_only_seekers_have_an_applications_page(app: Flask, session: Session) -> None:
    job = published_job(session)
    account = employer_account(session, job.employer_id)
    session.commit()
    client = app.test_client()
    response = client.get("/me/applications")
    assert response.status_code == 302
    assert "/login" in response.location
    sign_in(client, account)
    assert client.get("/me/applications").status_code == 403


def test_a_seeker_without_applications_is_pointed_to_the_search(
    client: FlaskClient, session: Session
) -> None:
    user = seeker(session, with_profile=False)
    session.commit()
    sign_in(client, user)
    page = client.get("/me/applications").get_data(as_text=True)
    assert "您还没有申请过职位" in page
