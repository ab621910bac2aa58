"""A seeker's applications and an employer's postings through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.api.contract import PREFIX, ApiClient

NewApi = Callable[[], ApiClient]


def _seeker(session: Session, *, desired_job: str | None = "水产加工") -> User:
    user = accounts.user(session, Role.SEEKER, display_name="李强")
    session.add(
        SeekerProfile(user_id=user.id, name="李强", desired_job=desired_job, target_groups=[])
    )
    session.commit()
    return user


def _employer_account(session: Session, employer: Employer) -> User:
    user = accounts.user(session, Role.EMPLOYER, employer_id=employer.id)
    session.commit()
    return user


def _published(session: Session) -> Job:
    job = factories.job(session, title="水产加工工")
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    return job


def _signed_in(new_api: NewApi, user: User) -> ApiClient:
    api = new_api()
    assert user.phone is not None
    api.sign_in(user.phone, accounts.PASSWORD)
    return api


def _employer_api(session: Session, new_api: NewApi, **employer: Any) -> ApiClient:
    """A client signed in for a new employer (verified unless `verification` says otherwise)."""
    return _signed_in(new_api, _employer_account(session, factories.employer(session, **employer)))


def test_a_seeker_applies_lists_and_withdraws(session: Session, new_api: NewApi) -> None:
    job = _published(session)
    api = _signed_in(new_api, _seeker(session))

    applied = api.post(f"{PREFIX}/applications", json={"job_id": job.id})
    assert applied.status_code == 201
    application = applied.get_json()
    assert (application["status"], application["status_label"]) == ("applied", "已投递")
    assert application["job"]["title"] == "水产加工工"
    assert application["job"]["open"] is True

    again = api.post(f"{PREFIX}/applications", json={"job_id": job.id})
    assert again.status_code == 200
    assert again.get_json()["id"] == application["id"]

    (listed,) = api.get(f"{PREFIX}/applications").get_json()["applications"]
    assert [(e["from_status"], e["to_status"]) for e in listed["history"]] == [(None, "applied")]
    assert listed["can_withdraw"] is True

    withdrawn = api.post(f"{PREFIX}/applications/{application['id']}/withdraw")
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert withdrawn.get_json()["can_withdraw"] is False
    twice = api.post(f"{PREFIX}/applications/{application['id']}/withdraw")
    assert twice.status_code == 409
    assert twice.get_json()["error"]["message"] == "申请状态为“已撤回”，不能撤回"


def test_applying_needs_a_complete_profile_and_an_open_job(
    session: Session, new_api: NewApi
) -> None:
    job = _published(session)
    draft = factories.job(session, title="水产质检员")
    session.commit()
    incomplete = _signed_in(new_api, _seeker(session, desired_job=None))
    refused = incomplete.post(f"{PREFIX}/applications", json={"job_id": job.id})
    assert refused.status_code == 409
    assert refused.get_json()["error"] == {
        "code": "profile_incomplete",
        "message": "申请前请先完善求职资料：期望职位",
    }

    api = _signed_in(new_api, _seeker(session))
    closed = api.post(f"{PREFIX}/applications", json={"job_id": draft.id})
    assert closed.status_code == 409
    assert closed.get_json()["error"]["message"] == "该职位已停止招聘，不能申请"
    assert api.post(f"{PREFIX}/applications", json={"job_id": 999_999}).status_code == 404
    missing = api.post(f"{PREFIX}/applications", json={})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["message"] == "job_id：必填"


def test_applications_are_a_seekers_own(session: Session, new_api: NewApi) -> None:
    job = _published(session)
    owner = _signed_in(new_api, _seeker(session))
    application_id = owner.post(f"{PREFIX}/applications", json={"job_id": job.id}).get_json()["id"]

    other = _signed_in(new_api, _seeker(session))
    assert other.post(f"{PREFIX}/applications/{application_id}/withdraw").status_code == 404
    assert other.get(f"{PREFIX}/applications").get_json() == {"applications": []}
    employer = _signed_in(new_api, _employer_account(session, job.employer))
    assert employer.get(f"{PREFIX}/applications").status_code == 403
    assert new_api().get(f"{PREFIX}/applications").status_code == 401


def test_a_verified_employer_posts_and_sees_the_posting_published(
    session: Session, new_api: NewApi
) -> None:
    api = _employer_api(session, new_api)
    posted = api.post(
        f"{PREFIX}/employer/jobs",
        json={
            "title": "船舶电焊工",
            "description": "船体分段焊接，持焊工证，长白班。",
            "pay_min": 7000,
            "pay_max": 9000,
            "pay_unit": "month",
            "headcount": 5,
            "skills": ["电焊"],
            "district": "荣成市",
        },
    )
    assert posted.status_code == 201, posted.get_json()
    outcome = posted.get_json()
    assert outcome["published"] is True
    assert outcome["job"]["status"] == "published"
    assert outcome["job"]["pay"]["text"] == "月薪 7000–9000 元"

    (listed,) = api.get(f"{PREFIX}/employer/jobs").get_json()["jobs"]
    assert (listed["id"], listed["applicants"]) == (outcome["job"]["id"], 0)
    assert api.get(f"{PREFIX}/jobs/{listed['id']}").status_code == 200


def test_a_posting_below_the_minimum_wage_waits_for_review_through_the_api(
    session: Session, new_api: NewApi
) -> None:
    api = _employer_api(session, new_api)
    posted = api.post(
        f"{PREFIX}/employer/jobs",
        json={"title": "叉车司机", "pay_min": 1, "pay_max": 2, "pay_unit": "month"},
    )
    assert posted.status_code == 201, posted.get_json()
    outcome = posted.get_json()
    assert outcome["published"] is False
    assert outcome["job"]["status"] == "pending_review"
    (finding,) = outcome["review"]
    assert (finding["code"], finding["field"]) == ("pay.below_minimum_wage", "salary")
    assert "低于山东省最低工资标准" in finding["message"]


def test_an_unverified_employers_posting_waits_for_review(
    session: Session, new_api: NewApi
) -> None:
    api = _employer_api(session, new_api, verification=Verification.PENDING)
    outcome = api.post(f"{PREFIX}/employer/jobs", json={"title": "扇贝养殖工"}).get_json()
    assert outcome["published"] is False
    assert outcome["job"]["status"] == "pending_review"
    assert api.get(f"{PREFIX}/jobs/{outcome['job']['id']}").status_code == 404


def test_posting_refusals_name_the_problem(session: Session, new_api: NewApi) -> None:
    api = _employer_api(session, new_api)
    missing = api.post(f"{PREFIX}/employer/jobs", json={"description": "无标题"})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["message"] == "title：必填"
    negative = api.post(f"{PREFIX}/employer/jobs", json={"title": "普工", "pay_min": -1})
    assert negative.status_code == 400
    assert negative.get_json()["error"]["message"] == "薪资必须大于 0"
    # a misspelt or unknown field is named, never dropped (the job would post as 薪资面议)
    misspelt = api.post(f"{PREFIX}/employer/jobs", json={"title": "普工", "salary_min": 5000})
    assert misspelt.status_code == 422
    assert misspelt.get_json()["error"]["message"] == "salary_min：不是可用的字段"
    # Python's JSON reader takes NaN; no amount is NaN
    not_a_number = api.post(
        f"{PREFIX}/employer/jobs",
        data='{"title": "普工", "pay_min": NaN}',
        content_type="application/json",
    )
    assert not_a_number.status_code == 422
    assert not_a_number.get_json()["error"]["message"] == "pay_min：须为有限的数字"
    assert api.get(f"{PREFIX}/employer/jobs").get_json()["jobs"] == []

    seeker = _signed_in(new_api, _seeker(session))
    assert seeker.get(f"{PREFIX}/employer/jobs").status_code == 403
    assert new_api().post(f"{PREFIX}/employer/jobs", json={"title": "普工"}).status_code == 401
