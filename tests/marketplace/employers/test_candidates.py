"""Recommended candidates: seekers ranked by the ranker's features turned around, names masked,
no contact details, reasons in the employer's words; the model's order when the instance has one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.accounts.models import User
from marketplace.database import get_database, utcnow
from marketplace.employers.candidates import (
    FALLBACK_WEIGHTS,
    Recommendation,
    candidate_token,
    mask_name,
    recommended_candidates,
)
from marketplace.jobs.models import Job, JobStatus
from marketplace.places.models import PlaceLevel
from marketplace.places.weihai import weihai_places
from marketplace.search.engine import get_search, ranker_path
from marketplace.seekers.models import Invitation, SeekerProfile
from matching.features import FEATURE_NAMES, Candidate, QueryContext, Seeker
from matching.persistence import model_metadata, save_model
from matching.ranker import MODEL_KIND, Ranker
from matching.training import JudgedQuery, fit
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.employers.conftest import Account
from tests.marketplace.employers.helpers import application, seeker

# invented points: the yard in central 荣成; 3.0 km and 1.0 km north of it
YARD = (37.165, 122.486)
THREE_KM = (37.192, 122.486)
ONE_KM = (37.174, 122.486)
GANGWAN_TOWN = "371082002"  # 港湾街道, about 32 km south-west of the yard
WELDER_CODE = "6-18-02-04"  # invented for the test, named 焊工


@dataclass
class Pool:
    job: Job
    welder: SeekerProfile
    distant: SeekerProfile
    cook: SeekerProfile
    applied: SeekerProfile


@pytest.fixture
def instance(app: Flask, tmp_path: Path) -> Path:
    """An instance folder of the test's own: no model unless the test saves one."""
    app.instance_path = str(tmp_path / "instance")
    return Path(app.instance_path)


@pytest.fixture
def pool(session: Session, account: Account) -> Pool:
    factories.weihai_places(session)
    job = shared.job(
        session,
        employer=account.employer,
        title="船舶电焊工",
        status=JobStatus.PUBLISHED,
        occupation_code=WELDER_CODE,
        occupation_name="焊工",
        skills="电焊,焊工证,安全生产",
        county_code="371082",
        lat=YARD[0],
        lng=YARD[1],
        salary=Salary(min=6000, max=9000, unit=SalaryUnit.MONTH),
    )
    welder = seeker(
        session,
        name="王小明",
        phone="13911112222",
        desired_job="焊工",
        desired_occupation_code=WELDER_CODE,
        skills="焊工证,电工证",
        lat=THREE_KM[0],
        lng=THREE_KM[1],
        expected_pay_min=6000,
        expected_pay_max=8000,
        expected_pay_unit="month",
    )
    # only a word of the title (船舶), living far off (a walk-in: home known by town)
    distant = seeker(
        session,
        with_account=False,
        name="李四",
        desired_job="船舶装配工",
        skills="钳工",
        home_town_code=GANGWAN_TOWN,
    )
    # nearer, pay fits, one shared skill: but another occupation and no wish to weld
    cook = seeker(
        session,
        name="赵六",
        desired_job="厨师",
        desired_occupation_code="4-03-02-01",
        skills="面点,安全生产",
        lat=ONE_KM[0],
        lng=ONE_KM[1],
        expected_pay_min=6000,
        expected_pay_max=7000,
        expected_pay_unit="month",
    )
    applied = seeker(
        session,
        name="孙七",
        desired_job="电焊工",
        desired_occupation_code=WELDER_CODE,
        skills="焊工证",
        lat=THREE_KM[0],
        lng=THREE_KM[1],
    )
    application(session, job, applied)
    # nothing about the work matches: not even looked at
    seeker(session, name="周八", desired_job="保洁", skills="家政", lat=YARD[0], lng=YARD[1])
    session.commit()
    return Pool(job, welder, distant, cook, applied)


def _recommend(app: Flask, session: Session, job: Job) -> Recommendation:
    with app.app_context():
        return recommended_candidates(get_search(app), session, job, utcnow())


def test_names_are_masked_to_the_family_name() -> None:
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳") == "欧**"
    assert mask_name("") == "**"


def test_without_a_model_the_welder_nearby_ranks_above_a_title_word_and_a_cook(
    app: Flask, instance: Path, session: Session, pool: Pool
) -> None:
    found = _recommend(app, session, pool.job)

    assert not found.by_model
    order = [candidate.profile.id for candidate in found.candidates]
    assert order[0] == pool.welder.id
    assert set(order) == {pool.welder.id, pool.distant.id, pool.cook.id}  # not the applicant
    # the weighted sum of the features: work before home and pay
    assert order.index(pool.cook.id) < order.index(pool.distant.id)
    assert found.candidates[0].reasons == ["期望职业：焊工", "具备技能：焊工证", "家距此 3.0 公里"]
    # the distant one's home is their town's point: known, and too far to be a reason
    assert not any("家距此" in reason for reason in found.candidates[-1].reasons)


def test_the_page_masks_names_and_phones_and_leaves_out_applicants(
    signed_in: FlaskClient, instance: Path, pool: Pool
) -> None:
    response = signed_in.get(f"/employer/jobs/{pool.job.id}/candidates")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "王**" in page
    assert "王小明" not in page
    assert "13911112222" not in page
    assert "孙" not in page  # already applied: in the applicants list instead
    assert "周" not in page
    assert "推荐理由：期望职业：焊工 · 具备技能：焊工证 · 家距此 3.0 公里" in page
    assert "按排序模型排列" not in page
    assert "可邀请合适的人选投递" in page


def test_an_invited_candidate_sees_the_job_and_the_employer_still_sees_a_masked_name(
    app: Flask, signed_in: FlaskClient, instance: Path, session: Session, pool: Pool
) -> None:
    token = candidate_token(app.config["SECRET_KEY"], pool.job.id, pool.welder.id)
    invite = f"/employer/jobs/{pool.job.id}/candidates/{token}/invite"
    listed = signed_in.get(f"/employer/jobs/{pool.job.id}/candidates").get_data(as_text=True)
    assert f'action="{invite}"' in listed
    assert f"/candidates/{pool.welder.id}/" not in listed  # no profile ids for employers

    assert signed_in.post(invite).status_code == 302
    assert signed_in.post(invite).status_code == 302  # again: harmless

    page = signed_in.get(f"/employer/jobs/{pool.job.id}/candidates").get_data(as_text=True)
    assert "已邀请投递" in page
    assert "王小明" not in page
    assert session.scalar(select(func.count()).select_from(Invitation)) == 1
    welder = app.test_client()
    user = session.get(User, pool.welder.user_id)
    assert user is not None
    log_in(welder, user.username, factories.PASSWORD)
    mine = welder.get("/me/applications").get_data(as_text=True)
    assert "招聘单位邀请您投递" in mine
    assert f'href="/jobs/{pool.job.id}"' in mine
    # the cook was not invited: nothing for them
    assert session.scalar(select(Invitation.seeker_id)) == pool.welder.id
    # applying answers the invitation
    application(session, pool.job, pool.welder)
    session.commit()
    assert "招聘单位邀请您投递" not in welder.get("/me/applications").get_data(as_text=True)


def test_only_a_recommended_candidate_of_ones_own_published_job_can_be_invited(
    app: Flask, signed_in: FlaskClient, instance: Path, session: Session, pool: Pool
) -> None:
    secret = app.config["SECRET_KEY"]

    def url(job: int, seeker_id: int) -> str:
        return f"/employer/jobs/{job}/candidates/{candidate_token(secret, job, seeker_id)}/invite"

    job = pool.job.id
    # already applied (so not a candidate), a made-up name, or another job's token: not found
    assert signed_in.post(url(job, pool.applied.id)).status_code == 404
    assert signed_in.post(f"/employer/jobs/{job}/candidates/0123456789/invite").status_code == 404
    other = shared.job(session, title="焊工", status=JobStatus.PUBLISHED)
    session.commit()
    stolen = url(other.id, pool.welder.id).replace(f"/jobs/{other.id}/", f"/jobs/{job}/")
    assert signed_in.post(stolen).status_code == 404
    # another employer's job
    assert signed_in.post(url(other.id, pool.welder.id)).status_code == 404
    # a job no longer published
    pool.job.status = JobStatus.CLOSED
    session.commit()
    response = signed_in.post(url(job, pool.welder.id), follow_redirects=True)
    assert "职位不在招聘中" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (JobStatus.PENDING_REVIEW, "职位正在审核中，审核通过、公开招聘后可邀请人选投递。"),
        (JobStatus.CLOSED, "职位当前为“已关闭”，公开招聘时才能邀请人选投递。"),
    ],
)
def test_an_unpublished_job_says_when_candidates_can_be_invited(
    signed_in: FlaskClient, instance: Path, session: Session, pool: Pool, status: str, why: str
) -> None:
    pool.job.status = status
    session.commit()
    page = signed_in.get(f"/employer/jobs/{pool.job.id}/candidates").get_data(as_text=True)
    assert "王**" in page  # the list is there to read
    assert why in page
    assert "可邀请合适的人选投递" not in page
    assert "邀请投递</button>" not in page


def test_a_seeker_who_said_no_is_never_recommended(
    app: Flask, instance: Path, session: Session, pool: Pool
) -> None:
    pool.welder.open_to_employers = False
    session.commit()

    order = [candidate.profile.id for candidate in _recommend(app, session, pool.job).candidates]

    assert pool.welder.id not in order
    assert set(order) == {pool.distant.id, pool.cook.id}


def test_at_most_twenty_candidates_are_shown(
    app: Flask, instance: Path, session: Session, account: Account
) -> None:
    job = shared.job(session, employer=account.employer, title="焊工", skills="电焊")
    for _ in range(25):
        seeker(session, with_account=False, desired_job="焊工")
    session.commit()
    assert len(_recommend(app, session, job).candidates) == 20


def test_a_neighbouring_occupation_of_the_same_middle_class_is_pooled_and_said(
    app: Flask, instance: Path, session: Session, account: Account
) -> None:
    job = shared.job(session, employer=account.employer, title="铆工", occupation_code="6-18-02-05")
    # 焊工 (6-18-02-04) and 铆工 share the 中类 6-18; 厨师 does not
    welder = seeker(session, desired_job="焊工", desired_occupation_code=WELDER_CODE)
    seeker(session, desired_job="厨师", desired_occupation_code="4-03-02-01")
    session.commit()

    found = _recommend(app, session, job)

    assert [candidate.profile.id for candidate in found.candidates] == [welder.id]
    assert found.candidates[0].reasons == ["期望职业与本职位同属一类"]


def test_the_pool_is_scored_without_a_query_per_profile(
    app: Flask, instance: Path, session: Session, account: Account
) -> None:
    factories.weihai_places(session)
    towns = [row["code"] for row in weihai_places() if row["level"] == PlaceLevel.TOWN][:30]
    job = shared.job(session, employer=account.employer, title="焊工", skills="电焊")
    for town in towns:  # every one's home known only by a different town
        seeker(session, with_account=False, desired_job="焊工", home_town_code=town)
    session.commit()
    database = get_database(app)
    with app.app_context():
        get_search(app).tokenizer  # noqa: B018 - loads the dictionary words (its own queries)
    fresh = database.session()
    fresh_job = fresh.get(Job, job.id)
    assert fresh_job is not None
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        found = _recommend(app, fresh, fresh_job)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
        fresh.close()

    assert len(found.candidates) == 20
    # the pool, the homes' towns, the job's employer: not one per profile
    assert len(statements) <= 4, statements


def _tiny_model() -> Ranker:
    """A model taught that a seeker of the posting's occupation nearby is what is wanted:
    another occupation, or an unknown one far off, is not."""
    now = datetime(2026, 11, 26)
    codes = (WELDER_CODE, "4-03-02-01", None)
    queries = []
    for qid in range(20):
        wanted = Seeker(lat=YARD[0], lng=YARD[1], occupation_code=WELDER_CODE)
        candidates = [
            Candidate(
                job_id=qid * 100 + n,
                engine_score=10.0 - n,
                engine_rank=n,
                title_words=("焊工",),
                words=frozenset({"焊工"}),
                compact_title="焊工",
                occupation_code=codes[n % 3],
                lat=YARD[0] + (0.3 if codes[n % 3] is None else 0.01),
                lng=YARD[1],
            )
            for n in range(1, 13)
        ]
        grades = {c.job_id: 3 for c in candidates if c.occupation_code == WELDER_CODE}
        queries.append(JudgedQuery(f"q{qid}", QueryContext(seeker=wanted), candidates, grades))
    return fit(queries, now, Ranker(min_samples_leaf=5))


def test_a_model_in_the_instance_folder_orders_the_candidates(
    app: Flask, instance: Path, session: Session, pool: Pool, signed_in: FlaskClient
) -> None:
    save_model(ranker_path(instance), _tiny_model(), model_metadata(MODEL_KIND, FEATURE_NAMES))

    found = _recommend(app, session, pool.job)

    assert found.by_model
    # the model learned nothing of skills or pay: the cook (another occupation) falls below
    # the distant one it ties with, by the text match's order; the weighted sum has it above
    order = [candidate.profile.id for candidate in found.candidates]
    assert order == [pool.welder.id, pool.distant.id, pool.cook.id]
    assert pool.applied.id not in {candidate.profile.id for candidate in found.candidates}
    # the model's grades (0–3), not the fallback's weighted sum
    assert all(0 <= c.score <= 3.5 for c in found.candidates)
    assert found.candidates[0].score < sum(FALLBACK_WEIGHTS.values())
    assert found.candidates[0].reasons[0] == "期望职业：焊工"
    page = signed_in.get(f"/employer/jobs/{pool.job.id}/candidates").get_data(as_text=True)
    assert "按排序模型排列" in page


def test_a_stale_model_falls_back_to_the_weighted_sum(
    app: Flask, instance: Path, session: Session, pool: Pool
) -> None:
    stale = _tiny_model()
    stale.feature_names_ = ("something", "else")
    save_model(ranker_path(instance), stale, model_metadata(MODEL_KIND, ("something", "else")))

    found = _recommend(app, session, pool.job)

    assert not found.by_model
    assert found.candidates[0].profile.id == pool.welder.id
    assert not math.isnan(found.candidates[0].score)
