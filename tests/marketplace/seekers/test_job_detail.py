"""The job detail page: what a seeker reads, who may see an unpublished job, the click log."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.employers.models import Verification
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import JobKind, JobStatus
from marketplace.jobs.services import change_status
from tests.marketplace import factories
from tests.marketplace.accounts.factories import weihai_places
from tests.marketplace.seekers.helpers import (
    employer_account,
    published_job,
    seeker,
    sign_in,
    staff_account,
)


def test_detail_shows_pay_in_words_badges_and_what_is_asked(
    client: FlaskClient, session: Session
) -> None:
    weihai_places(session)
    employer = factories.employer(session, name="威海海洋食品有限公司", is_key_enterprise=True)
    job = published_job(
        session,
        employer=employer,
        title="扇贝分拣工",
        kind=JobKind.ODD_JOB,
        salary=Salary(200, None, SalaryUnit.DAY, None),
        county_code="371082",
        address="石岛管理区渔港路 8 号",
        education="junior_middle",
        experience_years=0,
        skills="分拣,手脚麻利",
        benefits="包午饭,日结",
        description="扇贝分拣，早六点到下午两点。",
    )
    session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "<h1>扇贝分拣工</h1>" in page
    assert "日薪 200 元/天以上" in page
    assert "零工" in page
    assert "荣成市 石岛管理区渔港路 8 号" in page
    assert "已核验" in page
    assert "重点企业" in page
    assert "初中及以下" in page
    assert "经验不限" in page
    assert "<li>包午饭</li>" in page
    assert "登录后申请" in page


def test_an_unverified_employer_has_no_verified_badge(
    client: FlaskClient, session: Session
) -> None:
    employer = factories.employer(session, verification=Verification.UNVERIFIED)
    job = published_job(session, employer=employer)
    session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "已核验" not in page
    assert "重点企业" not in page


def test_distance_from_the_seekers_home_is_shown(client: FlaskClient, session: Session) -> None:
    # about 3.3 km north of the home point
    job = published_job(session, lat=37.53, lng=122.12)
    user = seeker(session, lat=37.50, lng=122.12)
    session.commit()
    sign_in(client, user)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "距您家约 3.3 公里" in page
    assert f'action="/jobs/{job.id}/apply"' in page


def test_no_distance_without_a_home_point(client: FlaskClient, session: Session) -> None:
    job = published_job(session, lat=37.53, lng=122.12)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    assert "距您家" not in client.get(f"/jobs/{job.id}").get_data(as_text=True)


def test_an_unpublished_job_is_404_to_the_public_and_to_seekers(
    app: Flask, session: Session
) -> None:
    job = factories.job(session, title="待审核的职位")
    change_status(session, job, JobStatus.PENDING_REVIEW)
    user = seeker(session)
    session.commit()
    client = app.test_client()
    assert client.get(f"/jobs/{job.id}").status_code == 404
    sign_in(client, user)
    assert client.get(f"/jobs/{job.id}").status_code == 404


def test_an_unpublished_job_is_visible_to_its_employer_with_a_status_banner(
    app: Flask, session: Session
) -> None:
    job = factories.job(session, title="待审核的职位")
    change_status(session, job, JobStatus.PENDING_REVIEW)
    owner = employer_account(session, job.employer_id)
    other = employer_account(session, factories.employer(session).id)
    session.commit()
    client = app.test_client()
    sign_in(client, owner)
    response = client.get(f"/jobs/{job.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "此职位当前状态" in page
    assert "待审核" in page
    assert "仅求职者账号可以申请职位" in page
    other_client = app.test_client()
    sign_in(other_client, other)
    assert other_client.get(f"/jobs/{job.id}").status_code == 404


def test_staff_see_a_closed_job(client: FlaskClient, session: Session) -> None:
    job = published_job(session)
    change_status(session, job, JobStatus.CLOSED)
    staff = staff_account(session)
    session.commit()
    sign_in(client, staff)
    response = client.get(f"/jobs/{job.id}")
    assert response.status_code == 200
    assert "已停止招聘" in response.get_data(as_text=True)


def test_a_missing_job_is_404(client: FlaskClient) -> None:
    assert client.get("/jobs/99999").status_code == 404


def test_opening_a_job_logs_a_click_with_an_anonymous_session_id(
    client: FlaskClient, session: Session
) -> None:
    job = published_job(session)
    session.commit()
    client.get(f"/jobs/{job.id}")
    client.get(f"/jobs/{job.id}")
    clicks = session.scalars(select(Interaction).where(Interaction.job_id == job.id)).all()
    assert [click.event for click in clicks] == [InteractionEvent.CLICK] * 2
    assert clicks[0].user_id is None
    assert clicks[0].session_id
    # the same browser keeps its id between pages
    assert clicks[0].session_id == clicks[1].session_id


def test_a_signed_in_click_records_the_user(client: FlaskClient, session: Session) -> None:
    job = published_job(session)
    user = seeker(session)
    session.commit()
    sign_in(client, user)
    client.get(f"/jobs/{job.id}")
    click = session.scalar(select(Interaction).where(Interaction.job_id == job.id))
    assert click is not None
    assert click.user_id == user.id
