"""Recommendations: jobs from the seeker's own profile, with reasons, only for that seeker."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.database import utcnow
from marketplace.jobs.models import Job, JobKind
from marketplace.search.engine import get_search, rebuild_index
from marketplace.search.services import JobHit
from marketplace.seekers import recommend, services
from marketplace.seekers.models import SeekerProfile
from tests.marketplace.seekers.helpers import (
    employer_account,
    profile_of,
    published_job,
    seeker,
    sign_in,
)

# invented points: central 荣成, 文登 (about 37 km west of it)
RONGCHENG = (37.165, 122.486)
WENDENG = (37.194, 122.058)
FORKLIFT = {"desired_job": "叉车司机", "expected_pay_min": 5000.0, "expected_pay_max": 8000.0}


def _job(session: Session, title: str, at: tuple[float, float] = RONGCHENG, **fields: Any) -> Job:
    return published_job(session, title=title, lat=at[0], lng=at[1], **fields)


def _index(app: Flask, session: Session) -> None:
    session.commit()
    rebuild_index(get_search(app), session)


def _recommended(app: Flask, session: Session, user_id: int, **kwargs: Any) -> list[JobHit]:
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user_id))
    with app.app_context():
        return recommend.jobs_for(get_search(app), session, profile, utcnow(), **kwargs)


def test_forklift_jobs_come_first_with_reasons_about_distance_or_pay(
    app: Flask, session: Session
) -> None:
    _job(session, "水产加工工")
    _job(session, "货车司机", at=WENDENG, salary=Salary(9000, 12000, SalaryUnit.MONTH, None))
    near = _job(session, "叉车司机")
    far = _job(session, "叉车工", at=WENDENG)
    user = seeker(session, lat=RONGCHENG[0], lng=RONGCHENG[1], **FORKLIFT)
    _index(app, session)

    hits = _recommended(app, session, user.id)
    titles = [hit.job.title for hit in hits]
    assert titles[0] == "叉车司机"
    assert {near.id, far.id} <= {hit.job.id for hit in hits}
    # every forklift job ranks above every other
    forklift = [i for i, title in enumerate(titles) if "叉车" in title]
    assert forklift == list(range(len(forklift)))
    assert "水产加工工" not in titles
    first = hits[0].reasons
    assert any(reason.startswith("距您") or reason == "薪资符合期望" for reason in first)
    assert "距您 0.0 公里" in first
    # the profile's desired job, not a typed search, is what the title matches
    assert "职位与您的期望一致" in first
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


def test_jobs_the_seeker_applied_to_are_left_out(app: Flask, session: Session) -> None:
    applied = _job(session, "叉车司机")
    withdrawn = _job(session, "叉车司机（夜班）")
    other = _job(session, "叉车工")
    user = seeker(session, lat=RONGCHENG[0], lng=RONGCHENG[1], **FORKLIFT)
    profile = profile_of(session, user)
    services.apply(session, profile, applied, user_id=user.id)
    services.apply(session, profile, withdrawn, user_id=user.id)
    services.withdraw(session, profile, withdrawn.id, user_id=user.id)
    _index(app, session)

    assert [hit.job.id for hit in _recommended(app, session, user.id)] == [other.id]


def test_a_job_of_the_wanted_kind_ranks_above_an_otherwise_equal_one(
    app: Flask, session: Session
) -> None:
    full_time = _job(session, "叉车司机", kind=JobKind.FULL_TIME)
    part_time = _job(session, "叉车司机", kind=JobKind.PART_TIME)
    wants_part = seeker(session, desired_kind=JobKind.PART_TIME.value, **FORKLIFT)
    wants_full = seeker(session, desired_kind=JobKind.FULL_TIME.value, **FORKLIFT)
    _index(app, session)

    hits = _recommended(app, session, wants_part.id)
    assert [hit.job.id for hit in hits] == [part_time.id, full_time.id]
    assert "工作类型符合" in hits[0].reasons
    assert [hit.job.id for hit in _recommended(app, session, wants_full.id)] == [
        full_time.id,
        part_time.id,
    ]


def test_the_skill_reason_says_which_of_the_seekers_skills_the_job_asks_for(
    app: Flask, session: Session
) -> None:
    job = _job(session, "电焊工", skills="焊接,氩弧焊")
    user = seeker(session, desired_job="电焊工", skills="焊接,叉车")
    _index(app, session)

    [hit] = _recommended(app, session, user.id)
    assert hit.job.id == job.id
    assert "技能相符：焊接" in hit.reasons
    assert not any("需要您具备" in reason for reason in hit.reasons)


def test_a_full_time_seeker_gets_full_time_jobs_before_odd_jobs_that_match_better(
    app: Flask, session: Session
) -> None:
    odd_jobs = [_job(session, "水产加工", kind=JobKind.ODD_JOB) for _ in range(4)]
    full_time = _job(session, "水产加工工", at=WENDENG, kind=JobKind.FULL_TIME)
    user = seeker(
        session,
        desired_job="水产加工",
        desired_kind=JobKind.FULL_TIME.value,
        lat=RONGCHENG[0],
        lng=RONGCHENG[1],
    )
    _index(app, session)

    hits = _recommended(app, session, user.id)
    # the far full-time job first; the odd jobs still follow, there being too few full-time
    assert hits[0].job.id == full_time.id
    assert {hit.job.id for hit in hits[1:]} == {job.id for job in odd_jobs}
    assert [hit.rank for hit in hits] == [1, 2, 3, 4, 5]
    assert [hit.job.id for hit in _recommended(app, session, user.id, limit=1)] == [full_time.id]


def test_skills_stand_in_for_an_empty_desired_job(app: Flask, session: Session) -> None:
    _job(session, "水产加工工")
    forklift = _job(session, "仓库叉车工")
    user = seeker(session, desired_job="", skills="叉车")
    _index(app, session)

    assert [hit.job.id for hit in _recommended(app, session, user.id)] == [forklift.id]


def test_a_desired_kind_alone_finds_jobs_of_that_kind_nearest_first(
    app: Flask, session: Session
) -> None:
    far = _job(session, "扇贝分拣", at=WENDENG, kind=JobKind.ODD_JOB)
    near = _job(session, "海带晾晒", kind=JobKind.ODD_JOB)
    _job(session, "水产加工工", kind=JobKind.FULL_TIME)
    user = seeker(
        session,
        desired_job=None,
        desired_kind=JobKind.ODD_JOB.value,
        lat=RONGCHENG[0],
        lng=RONGCHENG[1],
    )
    _index(app, session)

    assert [hit.job.id for hit in _recommended(app, session, user.id)] == [near.id, far.id]


def test_only_nearby_jobs_when_there_are_enough_of_them(app: Flask, session: Session) -> None:
    near = [_job(session, "叉车司机") for _ in range(2)]
    _job(session, "叉车司机", at=WENDENG)
    user = seeker(session, lat=RONGCHENG[0], lng=RONGCHENG[1], **FORKLIFT)
    _index(app, session)

    assert {hit.job.id for hit in _recommended(app, session, user.id, limit=2)} == {
        job.id for job in near
    }
    # too few nearby for three: the far one joins
    assert len(_recommended(app, session, user.id, limit=3)) == 3


def test_a_profile_with_too_little_recommends_nothing(app: Flask, session: Session) -> None:
    user = seeker(session, desired_job=None)
    _job(session, "叉车司机")
    _index(app, session)

    assert recommend.what_to_fill_in(profile_of(session, user)) == ["期望职位", "技能"]
    assert recommend.what_to_fill_in(None) == ["期望职位", "技能"]
    assert _recommended(app, session, user.id) == []


def test_the_page_lists_jobs_with_pay_place_and_reasons(
    client: FlaskClient, app: Flask, session: Session
) -> None:
    job = _job(session, "叉车司机", salary=Salary(6000, 8000, SalaryUnit.MONTH, None))
    user = seeker(session, lat=RONGCHENG[0], lng=RONGCHENG[1], **FORKLIFT)
    _index(app, session)
    sign_in(client, user)

    page = client.get("/me/recommendations").get_data(as_text=True)
    assert f'href="/jobs/{job.id}">叉车司机</a>' in page
    assert job.employer.name in page
    assert "月薪 6000–8000 元" in page
    assert "荣成市" in page
    assert "距您 0.0 公里" in page
    assert "薪资符合期望" in page


def test_an_empty_profile_is_told_what_to_fill_in(app: Flask, session: Session) -> None:
    with_profile = seeker(session, desired_job=None)
    without = seeker(session, with_profile=False)
    session.commit()
    for user in (with_profile, without):
        client = app.test_client()
        sign_in(client, user)
        page = client.get("/me/recommendations").get_data(as_text=True)
        assert "请先在" in page
        assert 'href="/profile"' in page
        assert "期望职位、技能" in page


def test_only_seekers_see_recommendations(app: Flask, session: Session) -> None:
    job = _job(session, "叉车司机")
    employer = employer_account(session, job.employer_id)
    session.commit()
    anonymous = app.test_client().get("/me/recommendations")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    client = app.test_client()
    sign_in(client, employer)
    assert client.get("/me/recommendations").status_code == 403


def test_the_page_says_so_when_search_is_down(client: FlaskClient, session: Session) -> None:
    user = seeker(session, **FORKLIFT)
    session.commit()
    sign_in(client, user)  # no index was built
    response = client.get("/me/recommendations")
    assert response.status_code == 503
    assert "推荐服务暂时不可用" in response.get_data(as_text=True)
