"""The applicant pipeline: the list, opening an application, moving it along, hires."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.database import utcnow
from marketplace.interactions.models import Interaction
from marketplace.jobs.models import Job
from marketplace.localtime import LOCAL_OFFSET
from marketplace.seekers.models import Application, ApplicationEvent, ApplicationStatus
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.employers.conftest import Account
from tests.marketplace.employers.helpers import application, seeker


def _local(days: float) -> str:
    """A datetime-local value `days` from now, as a Weihai browser sends it."""
    return (utcnow() + LOCAL_OFFSET + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _interview(days: float = 2, place: str = "荣成市石岛镇工业园 3 号楼") -> dict[str, str]:
    return {"to": "interview", "interview_at": _local(days), "interview_place": place}


def _job_with_applicant(
    session: Session, account: Account, **fields: object
) -> tuple[Job, Application]:
    job = shared.job(session, employer=account.employer, title="扇贝分拣工")
    profile = seeker(
        session,
        name="王小明",
        phone="13912345678",
        desired_job="分拣工",
        skills="分拣,叉车",
        education="senior_high",
        experience_years=3,
    )
    record = application(session, job, profile, **fields)
    session.commit()
    return job, record


def _events(session: Session, record: Application) -> list[tuple[str | None, str, int | None]]:
    session.expire_all()
    return [
        (event.from_status, event.to_status, event.user_id)
        for event in session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == record.id)
            .order_by(ApplicationEvent.id)
        )
    ]


def _status(session: Session, record: Application) -> str:
    session.expire_all()
    stored = session.get(Application, record.id)
    assert stored is not None
    return stored.status


def test_the_list_shows_applicants_with_their_full_phone_and_new_ones_marked(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, _record = _job_with_applicant(session, account)
    page = signed_in.get(f"/employer/jobs/{job.id}/applicants").get_data(as_text=True)
    assert "王小明" in page
    assert "13912345678" in page  # the job's employer calls them
    assert "分拣工" in page
    assert "分拣、叉车" in page
    assert "高中" in page
    assert "3 年" in page
    assert "新申请" in page
    assert 'class="is-new"' in page
    dashboard = signed_in.get("/employer/").get_data(as_text=True)
    assert "申请人 1 位" in dashboard
    assert "1 位新申请" in dashboard


def test_opening_an_application_marks_it_viewed_once(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    url = f"/employer/jobs/{job.id}/applicants/{record.id}"
    page = signed_in.get(url).get_data(as_text=True)
    assert "已查看" in page
    signed_in.get(url)
    assert _status(session, record) == ApplicationStatus.VIEWED
    assert _events(session, record) == [("applied", "viewed", account.user.id)]


def test_the_history_starts_with_the_application_itself(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    at = record.created_at
    session.add(ApplicationEvent(application=record, from_status=None, to_status="applied", at=at))
    session.commit()
    page = signed_in.get(f"/employer/jobs/{job.id}/applicants/{record.id}").get_data(as_text=True)
    when = (at + LOCAL_OFFSET).strftime("%Y-%m-%d %H:%M")
    assert f"<li>{when}：求职者提交申请</li>" in page
    assert "： →" not in page  # no step without a start
    assert "：新申请 → 已查看</li>" in page


def test_moving_an_application_to_interview_then_hired_records_each_step_and_the_hire(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    status_url = f"/employer/jobs/{job.id}/applicants/{record.id}/status"
    assert signed_in.post(status_url, data=_interview()).status_code == 302
    assert signed_in.post(status_url, data={"to": "hired"}).status_code == 302
    assert _status(session, record) == ApplicationStatus.HIRED
    assert _events(session, record) == [
        ("applied", "interview", account.user.id),
        ("interview", "hired", account.user.id),
    ]
    [hire] = session.scalars(select(Interaction)).all()
    assert (hire.event, hire.job_id, hire.user_id) == ("hire", job.id, record.seeker.user_id)


def test_an_interview_invitation_says_when_and_where_and_the_seeker_sees_it(
    app: Flask, signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    status_url = f"/employer/jobs/{job.id}/applicants/{record.id}/status"
    for data, why in (
        ({"to": "interview"}, "请填写面试时间"),
        ({**_interview(), "interview_at": "明天下午"}, "请填写面试时间"),
        (_interview(days=-1), "面试时间须晚于现在"),
        (_interview(days=400), "最多安排在 60 天以内"),
        (_interview(place=" "), "请填写面试地点"),
    ):
        response = signed_in.post(status_url, data=data)
        assert response.status_code == 400
        assert why in response.get_data(as_text=True)
        assert _status(session, record) == ApplicationStatus.APPLIED

    when = _local(3)
    response = signed_in.post(status_url, data={**_interview(), "interview_at": when})

    assert response.status_code == 302
    assert _status(session, record) == ApplicationStatus.INTERVIEW
    shown = when.replace("T", " ")  # Weihai time, as typed
    page = signed_in.get(f"/employer/jobs/{job.id}/applicants/{record.id}").get_data(as_text=True)
    assert f"{shown}，荣成市石岛镇工业园 3 号楼" in page
    mine = _seekers_applications(app, session, record)
    assert f"{shown}</time>　地点：荣成市石岛镇工业园 3 号楼" in mine


def test_an_arranged_interview_can_be_moved_and_the_seeker_sees_the_new_time_and_place(
    app: Flask, signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    base = f"/employer/jobs/{job.id}/applicants/{record.id}"
    first = _local(2)
    signed_in.post(f"{base}/status", data={**_interview(), "interview_at": first})
    page = signed_in.get(base).get_data(as_text=True)
    # the form to correct it shows what was sent
    assert "更改面试时间或地点" in page
    assert f'action="{base}/interview"' in page
    assert f'value="{first}"' in page
    assert 'value="荣成市石岛镇工业园 3 号楼"' in page

    # checked as the invitation is; a refusal changes nothing
    for data, why in (
        (_interview(days=-1), "面试时间须晚于现在"),
        (_interview(days=61), "最多安排在 60 天以内"),
        (_interview(place=""), "请填写面试地点"),
    ):
        response = signed_in.post(f"{base}/interview", data=data)
        assert response.status_code == 400
        assert why in response.get_data(as_text=True)
    assert len(_events(session, record)) == 1

    later = _local(5)
    response = signed_in.post(
        f"{base}/interview", data={"interview_at": later, "interview_place": "文登区米山路 12 号"}
    )
    assert response.status_code == 302
    page = signed_in.get(base).get_data(as_text=True)
    assert "面试安排已更改" in page
    assert f"{later.replace('T', ' ')}，文登区米山路 12 号" in page
    assert "：更改面试时间或地点</li>" in page
    assert _status(session, record) == ApplicationStatus.INTERVIEW
    assert _events(session, record) == [
        ("applied", "interview", account.user.id),
        ("interview", "interview", account.user.id),
    ]
    # the seeker sees the new arrangement, and that it changed
    mine = _seekers_applications(app, session, record)
    assert f"{later.replace('T', ' ')}</time>　地点：文登区米山路 12 号" in mine
    assert "</time> 面试时间或地点已更改</li>" in mine
    assert "石岛镇" not in mine


def test_only_an_arranged_interview_can_be_moved(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account, status=ApplicationStatus.VIEWED)
    base = f"/employer/jobs/{job.id}/applicants/{record.id}"
    assert "更改面试时间或地点" not in signed_in.get(base).get_data(as_text=True)
    response = signed_in.post(f"{base}/interview", data=_interview())
    assert response.status_code == 409
    assert "只有“邀请面试”阶段的申请可以更改面试时间和地点" in response.get_data(as_text=True)
    assert _events(session, record) == []


def _seekers_applications(app: Flask, session: Session, record: Application) -> str:
    """我的申请 as the application's seeker sees it."""
    user = session.get(User, record.seeker.user_id)
    assert user is not None
    seeker_client = app.test_client()
    log_in(seeker_client, user.username, factories.PASSWORD)
    return seeker_client.get("/me/applications").get_data(as_text=True)


def test_an_invalid_move_is_refused_in_chinese_and_changes_nothing(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account)
    status_url = f"/employer/jobs/{job.id}/applicants/{record.id}/status"
    response = signed_in.post(status_url, data={"to": "hired"})
    assert response.status_code == 409
    assert "申请状态不能从“新申请”改为“已录用”" in response.get_data(as_text=True)
    assert _status(session, record) == ApplicationStatus.APPLIED
    assert _events(session, record) == []
    assert signed_in.post(status_url, data={"to": "nonsense"}).status_code == 400
    assert session.scalars(select(Interaction)).all() == []


def test_a_final_result_cannot_be_changed(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account, status=ApplicationStatus.NOT_SUITABLE)
    page = signed_in.get(f"/employer/jobs/{job.id}/applicants/{record.id}").get_data(as_text=True)
    assert "已有最终结果" in page
    response = signed_in.post(
        f"/employer/jobs/{job.id}/applicants/{record.id}/status", data={"to": "interview"}
    )
    assert response.status_code == 409
    assert _status(session, record) == ApplicationStatus.NOT_SUITABLE


def test_a_withdrawn_application_is_read_only(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job, record = _job_with_applicant(session, account, status=ApplicationStatus.WITHDRAWN)
    page = signed_in.get(f"/employer/jobs/{job.id}/applicants/{record.id}").get_data(as_text=True)
    assert "求职者已撤回此申请" in page
    assert 'name="to"' not in page
    response = signed_in.post(
        f"/employer/jobs/{job.id}/applicants/{record.id}/status", data={"to": "interview"}
    )
    assert response.status_code == 409
    assert "求职者已撤回此申请，不能再更改状态" in response.get_data(as_text=True)
    assert _status(session, record) == ApplicationStatus.WITHDRAWN
    assert _events(session, record) == []


def test_a_walk_in_seeker_without_an_account_can_be_hired(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    job = shared.job(session, employer=account.employer)
    profile = seeker(session, with_account=False, name="李大姐")
    record = application(session, job, profile, status=ApplicationStatus.INTERVIEW)
    session.commit()
    url = f"/employer/jobs/{job.id}/applicants/{record.id}/status"
    assert signed_in.post(url, data={"to": "hired"}).status_code == 302
    [hire] = session.scalars(select(Interaction)).all()
    assert hire.user_id is None
    assert hire.job_id == job.id
